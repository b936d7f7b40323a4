-- The job ledger (src/observability/schema.ts): the last run and the last successful run of each
-- cron-driven job, for /health/ready and GET /v1/admin/metrics.
CREATE TABLE `job_run` (
	`job` text PRIMARY KEY NOT NULL,
	`run_id` text NOT NULL,
	`started_at` integer NOT NULL,
	`finished_at` integer NOT NULL,
	`outcome` text NOT NULL,
	`duration_ms` integer NOT NULL,
	`items` integer NOT NULL,
	`error` text,
	`last_success_at` integer,
	`last_success_run_id` text
);
