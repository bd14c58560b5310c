-- Semicolons inside a dollar-quoted body must not split the script.
CREATE FUNCTION add_one(x int) RETURNS int
LANGUAGE plpgsql IMMUTABLE AS $$
BEGIN
    RETURN x + 1;
END;
$$;

CREATE INDEX notes_embedding_idx ON notes USING hnsw (embedding vector_cosine_ops);
