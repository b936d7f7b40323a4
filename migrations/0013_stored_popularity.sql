-- Popularity stored (src/catalog/popularity.ts): sort=popularity and /v1/popular walk
-- anime_sort_popularity_idx (keyed like the other sort indexes: system_status, key, id)
-- instead of computing the value for every filtered row. The importer writes it with each
-- row (popularityOf, in JS); existing rows are backfilled here with the same formula in SQL:
-- min(distinct source hosts, 10) * round(score * 100) * 100 + min(related, 99).
ALTER TABLE `anime` ADD `popularity` integer DEFAULT 0 NOT NULL;--> statement-breakpoint
UPDATE `anime` SET `popularity` =
  min((SELECT count(DISTINCT CASE WHEN instr(h, '/') > 0 THEN substr(h, 1, instr(h, '/') - 1) ELSE h END)
       FROM (SELECT substr(value, instr(value, '://') + 3) AS h FROM json_each(`anime`.`sources`))), 10)
  * CAST(round(coalesce(`score`, 0) * 100) AS INTEGER) * 100 + min(json_array_length(`related`), 99);--> statement-breakpoint
CREATE INDEX `anime_sort_popularity_idx` ON `anime` (`system_status`,`popularity`,`id`);
