CREATE TABLE `image_vector_state` (
	`anime_id` integer PRIMARY KEY NOT NULL,
	`picture_url` text NOT NULL,
	`model` text NOT NULL,
	`indexed_at` integer NOT NULL
);
