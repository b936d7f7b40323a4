CREATE TABLE `usage_daily` (
	`subject` text NOT NULL,
	`day` text NOT NULL,
	`requests` integer NOT NULL,
	`queries` integer NOT NULL,
	PRIMARY KEY(`subject`, `day`)
);
