import { createRoute, OpenAPIHono, z, type RouteHandler } from "@hono/zod-openapi";
import type { AppEnv } from "../../context";
import type { Services } from "../../services";
import { configurationProblems } from "../../search/backends";
import { UnavailableImageSearch } from "../../images/image-search";
import { PUBLIC } from "../../openapi/security";
import { JOBS, type JobName } from "../../scheduled";

const CHECK_TIMEOUT_MS = 2000;

const CheckSchema = z.object({ ok: z.boolean(), latency_ms: z.number(), error: z.string().optional() });
const JobHealthSchema = z.object({
  cron: z.string(),
  last_success_at: z.string().nullable().openapi({ description: "ISO 8601; null when the job has not succeeded since the ledger exists." }),
  last_outcome: z.enum(["ok", "failed"]).nullable().openapi({ description: "The last run's outcome; null when the job has not run (a fresh deployment, a local server whose crons do not fire)." }),
  overdue: z.boolean().openapi({ description: "The last success is older than 1.5 periods + 5 min, or the job ran and never succeeded: a warning, never a failure." }),
});
const ReadySchema = z
  .object({
    status: z.enum(["ok", "fail"]),
    checks: z.object({
      d1: CheckSchema,
      kv: CheckSchema,
      r2: CheckSchema,
      search: CheckSchema.openapi({ description: "The search backends as configured: fails, naming the problem, when a vector index, embedding model or image search is configured but cannot be built (search then answers degraded)." }),
    }),
    jobs: z.record(z.string(), JobHealthSchema).openapi({ description: "Each cron-driven job's last successful run (the job ledger in D1). Empty when the ledger cannot be read (the d1 check says why)." }),
    warnings: z.array(z.string()).openapi({ description: "What needs a look without failing readiness: overdue jobs." }),
  })
  .openapi("Readiness", {
    example: {
      status: "ok",
      checks: { d1: { ok: true, latency_ms: 1 }, kv: { ok: true, latency_ms: 1 }, r2: { ok: true, latency_ms: 2 }, search: { ok: true, latency_ms: 0 } },
      jobs: {
        curatedLists: { cron: "0 * * * *", last_success_at: "2026-11-20T09:00:01.000Z", last_outcome: "ok", overdue: false },
        searchIndex: { cron: "*/10 * * * *", last_success_at: "2026-11-20T08:10:02.000Z", last_outcome: "failed", overdue: true },
      },
      warnings: ["job searchIndex is overdue: last success 2026-11-20T08:10:02.000Z, runs every 10 min"],
    },
  });

/** The job ledger as readiness reports it: overdue jobs are warnings, an unreadable ledger is left to the d1 check. */
async function jobHealth(services: Services): Promise<{ jobs: z.infer<typeof ReadySchema>["jobs"]; warnings: string[] }> {
  const schedules = (Object.keys(JOBS) as JobName[]).map((job) => ({ job, cron: JOBS[job].cron, periodMs: JOBS[job].periodMs }));
  let timer: ReturnType<typeof setTimeout> | undefined;
  try {
    const deadline = new Promise<never>((_, reject) => (timer = setTimeout(() => reject(new Error("timed out")), CHECK_TIMEOUT_MS)));
    const status = await Promise.race([services.jobLedger.status(schedules, services.now()), deadline]);
    const period = (ms: number) => (ms >= 86_400_000 ? `${ms / 86_400_000} days` : ms >= 3600_000 ? `${ms / 3600_000} h` : `${ms / 60_000} min`);
    return {
      jobs: Object.fromEntries(status.map((j) => [j.job, { cron: j.cron, last_success_at: j.last_success_at, last_outcome: j.last_run?.outcome ?? null, overdue: j.overdue }])),
      warnings: status
        .filter((j) => j.overdue)
        .map((j) => `job ${j.job} is overdue: ${j.last_success_at ? `last success ${j.last_success_at}` : "it has run but never succeeded"}, runs every ${period(JOBS[j.job as JobName].periodMs)}`),
    };
  } catch {
    return { jobs: {}, warnings: [] };
  } finally {
    clearTimeout(timer);
  }
}

/** Runs one probe with a deadline; a failure is reported, never thrown. */
async function probe(run: () => Promise<unknown>): Promise<z.infer<typeof CheckSchema>> {
  const started = Date.now();
  let cancelTimer = () => {};
  const deadline = new Promise((_, reject) => {
    const timer = setTimeout(() => reject(new Error(`timed out after ${CHECK_TIMEOUT_MS} ms`)), CHECK_TIMEOUT_MS);
    cancelTimer = () => clearTimeout(timer);
  });
  try {
    await Promise.race([run(), deadline]);
    return { ok: true, latency_ms: Date.now() - started };
  } catch (err) {
    return { ok: false, latency_ms: Date.now() - started, error: err instanceof Error ? err.message : "failed" };
  } finally {
    cancelTimer();
  }
}

/** Throws the configuration problems of search (text and image), if any: a check without I/O. */
async function searchConfigured(services: Services): Promise<void> {
  const problems = configurationProblems(services.backends);
  const image = services.imageSearch;
  if (image instanceof UnavailableImageSearch) problems.push(`image search: ${image.reason}`);
  if (problems.length > 0) throw new Error(problems.join("; "));
}

export const liveRoute = createRoute({
  method: "get",
  path: "/live",
  tags: ["Health"],
  operationId: "getLiveness",
  security: PUBLIC,
  summary: "Liveness: the Worker answers",
  responses: { 200: { description: "Alive.", content: { "application/json": { schema: z.object({ status: z.literal("ok") }) } } } },
});

export const live: RouteHandler<typeof liveRoute, AppEnv> = (c) => c.json({ status: "ok" as const }, 200);

export const readyRoute = createRoute({
  method: "get",
  path: "/ready",
  tags: ["Health"],
  operationId: "getReadiness",
  security: PUBLIC,
  summary: "Readiness: D1, KV and R2 answer, search is configured, cron jobs on time",
  description: "Each check reports its latency. 503 when any check fails; `search` fails when a search backend is configured but cannot be built (for example the local vector index in production with an embedding wider than 256 dimensions), and its `error` names the problem. `jobs` gives each cron-driven job's last successful run; an overdue job is a `warnings` entry, never a failure.",
  responses: {
    200: { description: "All checks passed.", content: { "application/json": { schema: ReadySchema } } },
    503: { description: "At least one check failed.", content: { "application/json": { schema: ReadySchema } } },
  },
});

export const ready: RouteHandler<typeof readyRoute, AppEnv> = async (c) => {
  const services = c.var.services;
  const probes = services.probes;
  const [d1, kv, r2, search, jobs] = await Promise.all([probe(probes.d1), probe(probes.kv), probe(probes.r2), probe(() => searchConfigured(services)), jobHealth(services)]);
  const ok = d1.ok && kv.ok && r2.ok && search.ok;
  c.header("Cache-Control", "no-store");
  return c.json({ status: ok ? ("ok" as const) : ("fail" as const), checks: { d1, kv, r2, search }, ...jobs }, ok ? 200 : 503);
};

export const healthRoutes = new OpenAPIHono<AppEnv>().openapi(liveRoute, live).openapi(readyRoute, ready);
