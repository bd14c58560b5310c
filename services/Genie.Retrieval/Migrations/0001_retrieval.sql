-- Knowledge bases, their sources, documents and chunks. Applied inside a transaction under an
-- advisory lock by AddGenieDatabase; the schema itself is created by it.
CREATE EXTENSION IF NOT EXISTS vector;

CREATE TABLE retrieval.knowledge_bases (
    id uuid PRIMARY KEY,
    name text NOT NULL,
    description text NOT NULL DEFAULT '',
    embedder_provider text NOT NULL,
    embedder_model text NOT NULL,
    dimension integer NOT NULL CHECK (dimension BETWEEN 1 AND 2000),
    created_by text NOT NULL,
    created_at timestamptz NOT NULL DEFAULT now(),
    updated_at timestamptz NOT NULL DEFAULT now()
);
CREATE UNIQUE INDEX knowledge_bases_name_key ON retrieval.knowledge_bases (lower(name));

-- Who may read a knowledge base: user ids and roles.
CREATE TABLE retrieval.kb_grants (
    kb_id uuid NOT NULL REFERENCES retrieval.knowledge_bases ON DELETE CASCADE,
    principal_kind text NOT NULL CHECK (principal_kind IN ('user', 'role')),
    principal text NOT NULL,
    PRIMARY KEY (kb_id, principal_kind, principal)
);
CREATE INDEX kb_grants_principal ON retrieval.kb_grants (principal_kind, principal);

CREATE TABLE retrieval.sources (
    id uuid PRIMARY KEY,
    kb_id uuid NOT NULL REFERENCES retrieval.knowledge_bases ON DELETE CASCADE,
    name text NOT NULL,
    kind text NOT NULL CHECK (kind IN ('upload', 'folder', 'mcp')),
    config jsonb NOT NULL,                       -- SourceConfig without secrets
    secrets bytea,                               -- AES-GCM sealed JSON map (SecretProtector)
    secret_names text[] NOT NULL DEFAULT '{}',
    sync_interval_minutes integer NOT NULL DEFAULT 0 CHECK (sync_interval_minutes >= 0),
    next_sync_at timestamptz,
    status text NOT NULL DEFAULT 'idle',
    last_synced_at timestamptz,
    last_error text NOT NULL DEFAULT '',
    created_by text NOT NULL,
    created_at timestamptz NOT NULL DEFAULT now(),
    updated_at timestamptz NOT NULL DEFAULT now()
);
CREATE INDEX sources_kb ON retrieval.sources (kb_id);
CREATE INDEX sources_due ON retrieval.sources (next_sync_at) WHERE next_sync_at IS NOT NULL;

-- Files given to an upload source; the sync re-reads them from here.
CREATE TABLE retrieval.uploads (
    source_id uuid NOT NULL REFERENCES retrieval.sources ON DELETE CASCADE,
    file_name text NOT NULL,
    content_type text,
    content bytea NOT NULL,
    uploaded_by text NOT NULL,
    uploaded_at timestamptz NOT NULL DEFAULT now(),
    PRIMARY KEY (source_id, file_name)
);

CREATE TABLE retrieval.sync_runs (
    id uuid PRIMARY KEY,
    source_id uuid NOT NULL REFERENCES retrieval.sources ON DELETE CASCADE,
    trigger text NOT NULL,
    status text NOT NULL,
    started_at timestamptz NOT NULL DEFAULT now(),
    finished_at timestamptz,
    added integer NOT NULL DEFAULT 0,
    updated integer NOT NULL DEFAULT 0,
    unchanged integer NOT NULL DEFAULT 0,
    deleted integer NOT NULL DEFAULT 0,
    failed integer NOT NULL DEFAULT 0,
    chunks_written integer NOT NULL DEFAULT 0,
    error text NOT NULL DEFAULT ''
);
CREATE INDEX sync_runs_source ON retrieval.sync_runs (source_id, started_at DESC);

CREATE TABLE retrieval.sync_run_errors (
    run_id uuid NOT NULL REFERENCES retrieval.sync_runs ON DELETE CASCADE,
    uri text NOT NULL,
    error text NOT NULL
);
CREATE INDEX sync_run_errors_run ON retrieval.sync_run_errors (run_id);

CREATE TABLE retrieval.documents (
    id uuid PRIMARY KEY,
    kb_id uuid NOT NULL REFERENCES retrieval.knowledge_bases ON DELETE CASCADE,
    source_id uuid NOT NULL REFERENCES retrieval.sources ON DELETE CASCADE,
    uri text NOT NULL,
    title text NOT NULL,
    content_type text NOT NULL,
    content_hash text NOT NULL,                  -- sha256 hex of the raw bytes
    indexer_version integer NOT NULL,            -- chunking/parsing generation that produced the chunks
    size_bytes bigint NOT NULL,
    chunk_count integer NOT NULL,
    indexed_at timestamptz NOT NULL DEFAULT now(),
    UNIQUE (source_id, uri)
);
CREATE INDEX documents_kb ON retrieval.documents (kb_id);

-- Vectors of any dimension live in one column; each dimension gets its own partial HNSW index on
-- embedding::vector(N) (created by the service when a knowledge base with a new dimension appears).
CREATE TABLE retrieval.chunks (
    id uuid PRIMARY KEY,
    document_id uuid NOT NULL REFERENCES retrieval.documents ON DELETE CASCADE,
    kb_id uuid NOT NULL REFERENCES retrieval.knowledge_bases ON DELETE CASCADE,
    ordinal integer NOT NULL,
    heading_path text[] NOT NULL,
    context text NOT NULL,                       -- document title and heading path, weighted higher in full text
    text text NOT NULL,
    dimension integer NOT NULL,
    embedding vector NOT NULL,
    search_text tsvector GENERATED ALWAYS AS (
        setweight(to_tsvector('english', context), 'A') || setweight(to_tsvector('english', text), 'B')) STORED
);
CREATE INDEX chunks_document ON retrieval.chunks (document_id);
CREATE INDEX chunks_kb ON retrieval.chunks (kb_id);
CREATE INDEX chunks_search_text ON retrieval.chunks USING gin (search_text);
CREATE INDEX chunks_embedding_hnsw_384 ON retrieval.chunks
    USING hnsw ((embedding::vector(384)) vector_cosine_ops) WHERE dimension = 384;
