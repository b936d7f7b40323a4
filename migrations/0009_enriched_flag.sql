ALTER TABLE `anime` ADD `enriched` integer DEFAULT false NOT NULL;--> statement-breakpoint
-- Backfill: only the enrichment pipeline writes a synopsis.
UPDATE `anime` SET `enriched` = 1 WHERE `synopsis` IS NOT NULL;
