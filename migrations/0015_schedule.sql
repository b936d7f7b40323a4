-- Airing schedules from bangumi-data (CC BY 4.0): src/schedule/schema.ts documents each table;
-- src/schedule/store.ts replaces them whole on every load (hourly cron at most daily, npm start).
CREATE TABLE `schedule_item` (
	`id` integer PRIMARY KEY NOT NULL,
	`title` text NOT NULL,
	`type` text NOT NULL,
	`origin_tz` text NOT NULL,
	`begin_at` integer,
	`end_at` integer,
	`mal_id` text,
	`anilist_id` text,
	`anidb_id` text,
	`shared_mal` integer NOT NULL,
	`anime_id` integer,
	`matched_by` text
);
--> statement-breakpoint
CREATE INDEX `schedule_item_anime_idx` ON `schedule_item` (`anime_id`);--> statement-breakpoint
CREATE TABLE `schedule_rule` (
	`id` integer PRIMARY KEY NOT NULL,
	`item_id` integer NOT NULL,
	`kind` text NOT NULL,
	`site` text,
	`site_title` text,
	`url` text,
	`regions` text,
	`begin_at` integer,
	`anchor_at` integer,
	`period` text,
	`repeats` integer,
	`until_at` integer NOT NULL
);
--> statement-breakpoint
CREATE INDEX `schedule_rule_item_idx` ON `schedule_rule` (`item_id`);--> statement-breakpoint
CREATE INDEX `schedule_rule_until_idx` ON `schedule_rule` (`until_at`,`anchor_at`);--> statement-breakpoint
CREATE TABLE `schedule_site` (
	`key` text PRIMARY KEY NOT NULL,
	`title` text NOT NULL,
	`url_template` text NOT NULL,
	`regions` text
);
--> statement-breakpoint
CREATE TABLE `schedule_source` (
	`id` integer PRIMARY KEY NOT NULL,
	`source` text NOT NULL,
	`version` text NOT NULL,
	`etag` text,
	`content_hash` text NOT NULL,
	`fetched_at` integer NOT NULL,
	`checked_at` integer NOT NULL,
	`data_date` integer,
	`items` integer NOT NULL,
	`rules` integer NOT NULL
);
