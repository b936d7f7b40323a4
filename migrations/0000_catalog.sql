CREATE TABLE `anime` (
	`id` integer PRIMARY KEY NOT NULL,
	`title` text NOT NULL,
	`title_key` text NOT NULL,
	`synonyms` text NOT NULL,
	`type` text NOT NULL,
	`episodes` integer NOT NULL,
	`status` text NOT NULL,
	`season` text NOT NULL,
	`year` integer,
	`duration_seconds` integer,
	`score` real,
	`picture` text,
	`thumbnail` text,
	`genres` text NOT NULL,
	`studios` text NOT NULL,
	`producers` text NOT NULL,
	`sources` text NOT NULL,
	`related` text NOT NULL,
	`synopsis` text,
	`system_status` text DEFAULT 'ACTIVE' NOT NULL,
	`orphaned_at` integer,
	`created_at` integer NOT NULL,
	`updated_at` integer NOT NULL,
	`content_hash` text NOT NULL
);
--> statement-breakpoint
CREATE INDEX `anime_sort_title_idx` ON `anime` (`system_status`,`title_key`,`id`);--> statement-breakpoint
CREATE INDEX `anime_sort_updated_idx` ON `anime` (`system_status`,`updated_at`,`id`);--> statement-breakpoint
CREATE INDEX `anime_type_idx` ON `anime` (`type`);--> statement-breakpoint
CREATE INDEX `anime_status_idx` ON `anime` (`status`);--> statement-breakpoint
CREATE INDEX `anime_year_season_idx` ON `anime` (`year`,`season`);--> statement-breakpoint
CREATE INDEX `anime_score_idx` ON `anime` (`score`);--> statement-breakpoint
CREATE INDEX `anime_episodes_idx` ON `anime` (`episodes`);--> statement-breakpoint
CREATE INDEX `anime_updated_idx` ON `anime` (`updated_at`);--> statement-breakpoint
CREATE TABLE `anime_genre` (
	`anime_id` integer NOT NULL,
	`genre_key` text NOT NULL,
	`name` text NOT NULL,
	PRIMARY KEY(`anime_id`, `genre_key`),
	FOREIGN KEY (`anime_id`) REFERENCES `anime`(`id`) ON UPDATE no action ON DELETE no action
);
--> statement-breakpoint
CREATE INDEX `anime_genre_key_idx` ON `anime_genre` (`genre_key`,`anime_id`);--> statement-breakpoint
CREATE TABLE `anime_source` (
	`url` text PRIMARY KEY NOT NULL,
	`anime_id` integer NOT NULL,
	`site` text NOT NULL,
	`site_id` text NOT NULL,
	FOREIGN KEY (`anime_id`) REFERENCES `anime`(`id`) ON UPDATE no action ON DELETE no action
);
--> statement-breakpoint
CREATE UNIQUE INDEX `anime_source_site_idx` ON `anime_source` (`site`,`site_id`);--> statement-breakpoint
CREATE INDEX `anime_source_anime_idx` ON `anime_source` (`anime_id`);--> statement-breakpoint
CREATE TABLE `anime_studio` (
	`anime_id` integer NOT NULL,
	`studio_key` text NOT NULL,
	`name` text NOT NULL,
	PRIMARY KEY(`anime_id`, `studio_key`),
	FOREIGN KEY (`anime_id`) REFERENCES `anime`(`id`) ON UPDATE no action ON DELETE no action
);
--> statement-breakpoint
CREATE INDEX `anime_studio_key_idx` ON `anime_studio` (`studio_key`,`anime_id`);--> statement-breakpoint
CREATE TABLE `import_run` (
	`id` integer PRIMARY KEY NOT NULL,
	`source` text NOT NULL,
	`started_at` integer NOT NULL,
	`finished_at` integer,
	`report` text
);
