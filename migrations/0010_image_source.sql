CREATE TABLE `image_source` (
	`id` integer PRIMARY KEY NOT NULL,
	`url_hash` text NOT NULL,
	`url` text NOT NULL,
	`anime_id` integer NOT NULL,
	`status` text NOT NULL,
	`r2_key` text,
	`content_type` text,
	`bytes` integer,
	`attempts` integer DEFAULT 0 NOT NULL,
	`last_error` text,
	`last_attempt_at` integer,
	`next_retry_at` integer,
	`created_at` integer NOT NULL,
	`updated_at` integer NOT NULL
);
--> statement-breakpoint
CREATE UNIQUE INDEX `image_source_hash_idx` ON `image_source` (`url_hash`);--> statement-breakpoint
CREATE UNIQUE INDEX `image_source_url_idx` ON `image_source` (`url`);--> statement-breakpoint
CREATE INDEX `image_source_due_idx` ON `image_source` (`status`,`next_retry_at`);