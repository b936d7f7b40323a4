import { canonicalCron } from "./cron";
import { buildServices, type ServiceOptions, type Services } from "./services";
import { refreshCurated } from "./cache/curated-refresh";
import { indexPendingSearch } from "./search/scheduled";
import { startScheduledSync, writeScheduledSnapshot } from "./sync/scheduled";
import { ingestScheduledImages } from "./images/scheduled";
import { refreshScheduleSource } from "./schedule/scheduled";
import { messageOf } from "./logging/logger";
import { recordJobRun } from "./observability/job-run";

const MINUTE = 60_000;
const HOUR = 60 * MINUTE;
const WEEK = 7 * 24 * HOUR;

/**
 * The scheduled jobs and the cron each runs on (UTC; wrangler.toml's [triggers] list exactly
 * these, in both profiles; src/cron.test.ts holds the two together). Day of week is
 * Cloudflare's: SAT, SUN (1 = Sunday when written as a number). `periodMs` is the time between
 * two runs: /health/ready warns when a job's last success is older than 1.5 periods. A job's
 * `run` may return how many items it handled (its data point's `items`).
 */
export const JOBS = {
  /**
   * Hourly: the airing schedule (bangumi-data, asked at most daily; its failure is logged and
   * does not stop the lists), then curated lists into KV — in that order, so a new schedule's
   * cache invalidation does not retire the lists just written.
   */
  curatedLists: {
    cron: "0 * * * *",
    periodMs: HOUR,
    run: async (s: Services) => {
      await runAll(s, [refreshScheduleSource]);
      return refreshCurated(s);
    },
  },
  /** Every 10 minutes: index what imports and syncs changed, and ingest a batch of images. */
  searchIndex: { cron: "*/10 * * * *", periodMs: 10 * MINUTE, run: (s: Services) => runAll(s, [indexPendingSearch, ingestScheduledImages]) },
  /** Saturday 01:00: sync with the anime-offline-database release. */
  weeklySync: { cron: "0 1 * * SAT", periodMs: WEEK, run: (s: Services) => startScheduledSync(s) },
  /** Sunday 03:00, after Saturday's sync has settled: a catalog snapshot to R2. */
  weeklySnapshot: { cron: "0 3 * * SUN", periodMs: WEEK, run: (s: Services) => writeScheduledSnapshot(s) },
} as const satisfies Record<string, { cron: string; periodMs: number; run: (s: Services) => Promise<number | void> }>;

export type JobName = keyof typeof JOBS;

/** Independent jobs of one cron: one failing must not stop the other; each failure is logged. Returns the items they counted. */
async function runAll(s: Services, jobs: ((s: Services) => Promise<number | void>)[]): Promise<number> {
  const results = await Promise.allSettled(jobs.map((job) => job(s)));
  for (const r of results) if (r.status === "rejected") s.log.error("scheduled.job_failed", { message: messageOf(r.reason) });
  return results.reduce((n, r) => n + (r.status === "fulfilled" && typeof r.value === "number" ? r.value : 0), 0);
}

/**
 * The job a Cron Trigger is for, matched by schedule, not by spelling: the platform may hand
 * back a normalised form of the configured expression (`7` for `SAT`, other spacing).
 */
export function jobOf(cron: string): JobName | null {
  const wanted = canonicalCron(cron);
  if (wanted === null) return null;
  return (Object.keys(JOBS) as JobName[]).find((name) => canonicalCron(JOBS[name].cron) === wanted) ?? null;
}

/**
 * Dispatches a Cron Trigger to its job; an unknown cron runs nothing and is logged as an error.
 * Every run writes one data point and its line in the job ledger (src/observability/job-run.ts);
 * `options` reach the composition root (tests inject a metrics sink).
 */
export async function runScheduled(controller: ScheduledController, env: Env, ctx: ExecutionContext, options: Pick<ServiceOptions, "metrics"> = {}): Promise<void> {
  const job = jobOf(controller.cron);
  const runId = crypto.randomUUID();
  const services = buildServices(env, ctx, { ...options, context: { job: job ?? "unknown", run_id: runId } });
  if (!job) {
    services.log.error("scheduled.unknown_cron", { cron: controller.cron });
    return;
  }
  const started = Date.now();
  try {
    const items = (await JOBS[job].run(services)) ?? 0;
    services.log.info("scheduled.done", { cron: controller.cron, duration_ms: Date.now() - started, items });
    await recordJobRun(services, { job, runId, cron: controller.cron, startedAt: started, finishedAt: Date.now(), outcome: "ok", items, error: null });
  } catch (err) {
    services.log.error("scheduled.failed", { cron: controller.cron, duration_ms: Date.now() - started, message: messageOf(err) });
    await recordJobRun(services, { job, runId, cron: controller.cron, startedAt: started, finishedAt: Date.now(), outcome: "failed", items: 0, error: messageOf(err) });
    throw err;
  }
}
