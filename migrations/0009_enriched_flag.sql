ALTER TABLE `anime` ADD `enriched` integer DEFAULT false NOT NULL;--> statement-breakpoint
-- Backfill (approximate: rows written before this flag existed): an anime with a synopsis came
-- through the enrichment pipeline, which brings its own images.
UPDATE `anime` SET `enriched` = 1 WHERE `synopsis` IS NOT NULL;
