-- Expression indexes for keyset pagination on nullable sort keys (see src/catalog/schema.ts).
-- Queries must use the identical expressions: coalesce(score, -1) and coalesce(year, 0).
CREATE INDEX `anime_sort_score_idx` ON `anime` (`system_status`, coalesce(`score`, -1), `id`);
--> statement-breakpoint
CREATE INDEX `anime_sort_year_idx` ON `anime` (`system_status`, coalesce(`year`, 0), `id`);
