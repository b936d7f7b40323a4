-- The keyword index is rewritten only when indexed text changes: `reset()` (npm run reindex)
-- marks every row stale by setting `version`, which must not rewrite all FTS rows at once.
DROP TRIGGER anime_search_text_au;
--> statement-breakpoint
CREATE TRIGGER anime_search_text_au AFTER UPDATE OF title, synonyms, joined, names ON anime_search_text BEGIN
  DELETE FROM anime_fts WHERE rowid = old.anime_id;
  DELETE FROM anime_trgm WHERE rowid BETWEEN old.anime_id * 64 AND old.anime_id * 64 + 63;
  INSERT INTO anime_fts (rowid, title, synonyms, joined) VALUES (new.anime_id, new.title, new.synonyms, new.joined);
  INSERT INTO anime_trgm (rowid, name) SELECT new.anime_id * 64 + j.key, j.value FROM json_each(new.names) AS j WHERE j.key < 64;
END;
