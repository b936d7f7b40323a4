CREATE TABLE `review_item` (
	`id` integer PRIMARY KEY NOT NULL,
	`anime_id` integer NOT NULL,
	`run_id` integer NOT NULL,
	`status` text NOT NULL,
	`reasons` text NOT NULL,
	`proposed` text NOT NULL,
	`created_at` integer NOT NULL,
	`decided_at` integer
);
--> statement-breakpoint
CREATE UNIQUE INDEX `review_item_open_idx` ON `review_item` (`anime_id`) WHERE status = 'open';--> statement-breakpoint
CREATE INDEX `review_item_status_idx` ON `review_item` (`status`,`id`);--> statement-breakpoint
CREATE TABLE `sync_event` (
	`id` integer PRIMARY KEY NOT NULL,
	`run_id` integer NOT NULL,
	`kind` text NOT NULL,
	`anime_id` integer NOT NULL,
	`others` text NOT NULL
);
--> statement-breakpoint
CREATE UNIQUE INDEX `sync_event_key` ON `sync_event` (`run_id`,`kind`,`anime_id`);--> statement-breakpoint
CREATE TABLE `sync_run` (
	`id` integer PRIMARY KEY NOT NULL,
	`trigger` text NOT NULL,
	`source` text NOT NULL,
	`status` text NOT NULL,
	`phase` text NOT NULL,
	`source_last_update` text,
	`source_etag` text,
	`chunks_total` integer,
	`next_chunk` integer DEFAULT 0 NOT NULL,
	`counts` text NOT NULL,
	`error` text,
	`started_at` integer NOT NULL,
	`heartbeat_at` integer NOT NULL,
	`finished_at` integer
);
--> statement-breakpoint
CREATE INDEX `sync_run_status_idx` ON `sync_run` (`status`,`id`);--> statement-breakpoint
ALTER TABLE `anime` ADD `sync_run` integer;--> statement-breakpoint
ALTER TABLE `anime_source` ADD `sync_run` integer;