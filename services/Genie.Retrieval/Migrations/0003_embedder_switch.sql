-- Switching a knowledge base's embedder (ChangeEmbedder): the new vectors are written beside the old ones in
-- chunks.next_embedding while search keeps using chunks.embedding; when every chunk of the knowledge base has
-- one, a single transaction swaps them in with the knowledge base's embedder columns. A chunk therefore never
-- holds a vector of another model than the one its knowledge base records.
ALTER TABLE retrieval.chunks ADD COLUMN next_embedding vector;

ALTER TABLE retrieval.knowledge_bases
    ADD COLUMN next_embedder_provider text,
    ADD COLUMN next_embedder_model text,
    ADD COLUMN next_dimension integer CHECK (next_dimension BETWEEN 1 AND 2000),
    ADD COLUMN switch_state text CHECK (switch_state IN ('running', 'failed')),
    ADD COLUMN switch_error text NOT NULL DEFAULT '',
    ADD COLUMN switch_started_at timestamptz,
    ADD CONSTRAINT knowledge_bases_switch_complete CHECK ((switch_state IS NULL) = (next_embedder_provider IS NULL));
