-- Search plans its full-text side from how common each lexeme is (pg_stats.most_common_elems of
-- chunks.search_text). The default target keeps about 1,000 lexemes, too coarse to tell a word in
-- 0.5% of the chunks from one in 0.01%; 1,000 keeps about 10,000 (ANALYZE then samples up to
-- 300,000 rows, a few seconds at 100k chunks).
ALTER TABLE retrieval.chunks ALTER COLUMN search_text SET STATISTICS 1000;
