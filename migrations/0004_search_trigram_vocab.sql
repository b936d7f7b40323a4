-- Document frequency of each trigram (fts5vocab over anime_trgm): the typo query ORs only the
-- rarest trigrams of the query, which keeps its bm25 work small (docs/benchmarks.md).
CREATE VIRTUAL TABLE anime_trgm_vocab USING fts5vocab(anime_trgm, 'row');
