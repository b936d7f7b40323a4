import { integer, sqliteTable, text } from "drizzle-orm/sqlite-core";

export const JOB_OUTCOMES = ["ok", "failed"] as const;

/**
 * The job ledger: one row per cron-driven job (src/scheduled.ts JOBS), overwritten by each run.
 * `/health/ready` reads the last successful run of each job from it (a warning when overdue),
 * and `GET /v1/admin/metrics` its last run and outcome. One small D1 write per run (about 170 a
 * day); the history of runs is in Analytics Engine (one data point per run).
 */
export const jobRun = sqliteTable("job_run", {
  job: text("job").primaryKey(),
  /** The last run, whatever its outcome. */
  runId: text("run_id").notNull(),
  startedAt: integer("started_at").notNull(),
  finishedAt: integer("finished_at").notNull(),
  outcome: text("outcome", { enum: JOB_OUTCOMES }).notNull(),
  durationMs: integer("duration_ms").notNull(),
  /** What the run reported doing (anime indexed, images tried, lists stored…); 0 when it does not count. */
  items: integer("items").notNull(),
  /** The failure's message (no stack), null after a success. */
  error: text("error"),
  /** When the job last ended well (null: never, as far as this ledger knows). */
  lastSuccessAt: integer("last_success_at"),
  lastSuccessRunId: text("last_success_run_id"),
});
