-- Descriptive keyword index (src/search/keyword/): what an anime is about — its tags,
-- studios and synopsis — apart from its names. Hand-written: drizzle-kit does not model FTS5.
-- anime_search_text gains the two texts (filled from the anime row by UPSERT_SEARCH_TEXT);
-- anime_about_fts (rowid = anime id) mirrors them through the triggers below, so the index
-- cannot drift from the table. Porter stemming ("sisters" = "sister", "riding" = "ride"):
-- descriptions paraphrase; the name index (0003) keeps exact word forms for titles.
-- Existing rows get empty texts and are refilled by the indexer (NORMALISER_VERSION 2).
ALTER TABLE `anime_search_text` ADD `about_tags` text DEFAULT '' NOT NULL;--> statement-breakpoint
ALTER TABLE `anime_search_text` ADD `about_text` text DEFAULT '' NOT NULL;
--> statement-breakpoint
CREATE VIRTUAL TABLE anime_about_fts USING fts5(tags, synopsis, tokenize = 'porter unicode61 remove_diacritics 2');
--> statement-breakpoint
CREATE TRIGGER anime_search_text_about_ai AFTER INSERT ON anime_search_text BEGIN
  INSERT INTO anime_about_fts (rowid, tags, synopsis) VALUES (new.anime_id, new.about_tags, new.about_text);
END;
--> statement-breakpoint
CREATE TRIGGER anime_search_text_about_ad AFTER DELETE ON anime_search_text BEGIN
  DELETE FROM anime_about_fts WHERE rowid = old.anime_id;
END;
--> statement-breakpoint
CREATE TRIGGER anime_search_text_about_au AFTER UPDATE OF about_tags, about_text ON anime_search_text
WHEN old.about_tags IS NOT new.about_tags OR old.about_text IS NOT new.about_text BEGIN
  DELETE FROM anime_about_fts WHERE rowid = old.anime_id;
  INSERT INTO anime_about_fts (rowid, tags, synopsis) VALUES (new.anime_id, new.about_tags, new.about_text);
END;
--> statement-breakpoint
INSERT INTO anime_about_fts (rowid, tags, synopsis) SELECT anime_id, about_tags, about_text FROM anime_search_text;
