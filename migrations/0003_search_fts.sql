-- Keyword index (see src/search/keyword/). Hand-written: drizzle-kit does not model FTS5.
-- anime_fts: one row per anime (rowid = anime id), words of the normalised names.
-- anime_trgm: one row per compact name (rowid = anime id * 64 + name index), for substring,
-- typo and CJK matching. Both are written only by the triggers below, which mirror
-- anime_search_text, so the index cannot drift from the table.
CREATE VIRTUAL TABLE anime_fts USING fts5(title, synonyms, joined, tokenize = 'unicode61 remove_diacritics 2', prefix = '2 3 4');
--> statement-breakpoint
CREATE VIRTUAL TABLE anime_trgm USING fts5(name, tokenize = 'trigram');
--> statement-breakpoint
CREATE TRIGGER anime_search_text_ai AFTER INSERT ON anime_search_text BEGIN
  INSERT INTO anime_fts (rowid, title, synonyms, joined) VALUES (new.anime_id, new.title, new.synonyms, new.joined);
  INSERT INTO anime_trgm (rowid, name) SELECT new.anime_id * 64 + j.key, j.value FROM json_each(new.names) AS j WHERE j.key < 64;
END;
--> statement-breakpoint
CREATE TRIGGER anime_search_text_ad AFTER DELETE ON anime_search_text BEGIN
  DELETE FROM anime_fts WHERE rowid = old.anime_id;
  DELETE FROM anime_trgm WHERE rowid BETWEEN old.anime_id * 64 AND old.anime_id * 64 + 63;
END;
--> statement-breakpoint
CREATE TRIGGER anime_search_text_au AFTER UPDATE ON anime_search_text BEGIN
  DELETE FROM anime_fts WHERE rowid = old.anime_id;
  DELETE FROM anime_trgm WHERE rowid BETWEEN old.anime_id * 64 AND old.anime_id * 64 + 63;
  INSERT INTO anime_fts (rowid, title, synonyms, joined) VALUES (new.anime_id, new.title, new.synonyms, new.joined);
  INSERT INTO anime_trgm (rowid, name) SELECT new.anime_id * 64 + j.key, j.value FROM json_each(new.names) AS j WHERE j.key < 64;
END;
