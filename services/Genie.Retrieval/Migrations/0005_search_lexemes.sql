-- BM25 normalises a chunk's term frequencies by its length against the average length in its knowledge
-- base. A chunk's length is length(search_text), its distinct lexemes (read with the tsvector the ranking
-- unnests anyway); each document keeps the sum over its chunks, so the average per knowledge base is
-- sum(search_lexemes) / sum(chunk_count) over its documents, read with the chunk counts TermStatistics loads.
ALTER TABLE retrieval.documents ADD COLUMN search_lexemes bigint NOT NULL DEFAULT 0;

UPDATE retrieval.documents d
SET search_lexemes = s.lexemes
FROM (SELECT document_id, sum(length(search_text))::bigint AS lexemes FROM retrieval.chunks GROUP BY document_id) s
WHERE s.document_id = d.id;
