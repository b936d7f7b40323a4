import type { JobStatus } from "./view";

/** A job as the ledger judges it: its name, schedule and how often it should succeed. */
export interface JobSchedule {
  job: string;
  cron: string;
  /** The time between two scheduled runs. */
  periodMs: number;
}

/** One finished run, as src/scheduled.ts records it. */
export interface JobRunRecord {
  job: string;
  runId: string;
  startedAt: number;
  finishedAt: number;
  outcome: "ok" | "failed";
  items: number;
  error: string | null;
}

interface LedgerRow {
  job: string;
  run_id: string;
  started_at: number;
  finished_at: number;
  outcome: "ok" | "failed";
  duration_ms: number;
  items: number;
  error: string | null;
  last_success_at: number | null;
  last_success_run_id: string | null;
}

/** A missed or failed scheduled run makes a job overdue: its last success is older than 1.5 periods plus this grace. */
const OVERDUE_GRACE_MS = 5 * 60_000;

/** Overdue: succeeded once but not since 1.5 periods (+5 min); or ran and never succeeded. A job never run is not overdue (a fresh deployment, a local server whose crons do not fire). */
export function isOverdue(row: Pick<LedgerRow, "last_success_at"> | undefined, periodMs: number, now: number): boolean {
  if (!row) return false;
  if (row.last_success_at === null) return true;
  return now - row.last_success_at > 1.5 * periodMs + OVERDUE_GRACE_MS;
}

const iso = (ms: number | null) => (ms === null ? null : new Date(ms).toISOString());

/**
 * The job ledger in D1 (table `job_run`, src/observability/schema.ts): the last run and last
 * success of each cron-driven job, written once per run. Health and the metrics view read it.
 */
export class JobLedger {
  constructor(private readonly db: D1Database) {}

  record(r: JobRunRecord): Promise<unknown> {
    return this.db
      .prepare(
        `INSERT INTO job_run (job, run_id, started_at, finished_at, outcome, duration_ms, items, error, last_success_at, last_success_run_id)
         VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, CASE WHEN ?5 = 'ok' THEN ?4 END, CASE WHEN ?5 = 'ok' THEN ?2 END)
         ON CONFLICT (job) DO UPDATE SET run_id = excluded.run_id, started_at = excluded.started_at, finished_at = excluded.finished_at,
           outcome = excluded.outcome, duration_ms = excluded.duration_ms, items = excluded.items, error = excluded.error,
           last_success_at = coalesce(excluded.last_success_at, job_run.last_success_at),
           last_success_run_id = coalesce(excluded.last_success_run_id, job_run.last_success_run_id)`,
      )
      .bind(r.job, r.runId, r.startedAt, r.finishedAt, r.outcome, r.finishedAt - r.startedAt, r.items, r.error)
      .run();
  }

  private async rows(): Promise<Map<string, LedgerRow>> {
    const { results } = await this.db.prepare("SELECT * FROM job_run").all<LedgerRow>();
    return new Map(results.map((r) => [r.job, r]));
  }

  /** Every scheduled job with its last run and success (jobs the ledger has not seen included, as never run). */
  async status(jobs: JobSchedule[], now: number): Promise<Omit<JobStatus, "runs_in_window" | "failed_in_window">[]> {
    const rows = await this.rows();
    return jobs.map(({ job, cron, periodMs }) => {
      const r = rows.get(job);
      return {
        job,
        cron,
        last_run: r ? { run_id: r.run_id, started_at: iso(r.started_at)!, outcome: r.outcome, duration_ms: r.duration_ms, items: r.items, error: r.error } : null,
        last_success_at: iso(r?.last_success_at ?? null),
        overdue: isOverdue(r, periodMs, now),
      };
    });
  }
}
