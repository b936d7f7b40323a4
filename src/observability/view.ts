import { z } from "@hono/zod-openapi";

/** The windows GET /v1/admin/metrics offers, in ms. */
export const WINDOWS = { "5m": 5 * 60_000, "15m": 15 * 60_000, "1h": 3600_000, "6h": 6 * 3600_000, "24h": 24 * 3600_000 } as const;
export type WindowName = keyof typeof WINDOWS;

const ms = (description: string) => z.number().nullable().openapi({ description });

export const RouteTrafficSchema = z
  .object({
    route: z.string().openapi({ description: "The route template (`/v1/anime/:id`); `(unmatched)` for paths no route serves.", example: "/v1/anime/:id" }),
    method: z.string().openapi({ example: "GET" }),
    status_class: z.string().openapi({ description: "`2xx`, `3xx`, `4xx` or `5xx`.", example: "2xx" }),
    requests: z.number().int().openapi({ description: "Requests in the window (Analytics Engine: sample-weighted)." }),
    p50_ms: ms("Median duration, ms (the Worker's own measure: from the request's arrival at the app to its response)."),
    p95_ms: ms("95th percentile duration, ms."),
    cache_hit_ratio: z
      .object({
        any: z.number().openapi({ description: "Share of the cache-served answers that a tier hit (not MISS or BYPASS)." }),
        by_tier: z.record(z.string(), z.number()).openapi({ description: "Share per tier that hit: L0 (isolate memory), L1 (Cache API), L2 (KV), HIT (image responses from the Cache API)." }),
      })
      .nullable()
      .openapi({ description: "Null when no answer of this row went through a cache." }),
    degraded: z.number().int().openapi({ description: "Answers with a degraded leg (vector or image search down or slow)." }),
    rate_limited: z.number().int().openapi({ description: "429 answers." }),
  })
  .openapi("MetricsRouteTraffic");

export const CallerTrafficSchema = z
  .object({
    tier: z.string().openapi({ description: "anonymous, free, premium, enterprise; `admin` on admin routes; `key` when a key was sent but the request was refused before its tier was known (401, a 429 from its quota object); `-` where nothing is metered (health, images, docs).", example: "anonymous" }),
    requests: z.number().int(),
    rate_limited: z.number().int(),
  })
  .openapi("MetricsCallerTraffic");

export const TotalsSchema = z.object({
  requests: z.number().int(),
  p50_ms: ms("Median duration over every request, ms."),
  p95_ms: ms("95th percentile over every request, ms."),
  errors_5xx: z.number().int(),
  rate_limited: z.number().int(),
  degraded: z.number().int(),
});

export const JobStatusSchema = z
  .object({
    job: z.string().openapi({ example: "searchIndex" }),
    cron: z.string().openapi({ example: "*/10 * * * *" }),
    last_run: z
      .object({
        run_id: z.string(),
        started_at: z.string().openapi({ description: "ISO 8601." }),
        outcome: z.enum(["ok", "failed"]),
        duration_ms: z.number().int(),
        items: z.number().int().openapi({ description: "What the run counted doing (anime indexed, images tried, lists stored…)." }),
        error: z.string().nullable(),
      })
      .nullable()
      .openapi({ description: "Null when the job has not run since the ledger exists." }),
    last_success_at: z.string().nullable(),
    overdue: z.boolean().openapi({ description: "The last success is older than 1.5 periods + 5 min (a scheduled run was missed or failed)." }),
    runs_in_window: z.number().int().openapi({ description: "Runs seen in the window's data points." }),
    failed_in_window: z.number().int(),
  })
  .openapi("MetricsJobStatus");

export const MetricsViewSchema = z
  .object({
    window: z.enum(Object.keys(WINDOWS) as [WindowName, ...WindowName[]]),
    from: z.string().openapi({ description: "ISO 8601 start of the window." }),
    to: z.string(),
    source: z.enum(["local-window", "analytics-engine"]).openapi({
      description:
        "`analytics-engine`: every isolate's data points, through the Analytics Engine SQL API (production). `local-window`: this isolate's bounded in-process window (local profile, where that API does not exist): only what this isolate served since it started.",
    }),
    note: z.string().optional().openapi({ description: "What limits these figures (the local window's bounds, points dropped)." }),
    totals: TotalsSchema,
    routes: z.array(RouteTrafficSchema).openapi({ description: "Per route template, method and status class, most requests first." }),
    callers: z.array(CallerTrafficSchema).openapi({ description: "Per caller tier: what each tier burns." }),
    jobs: z.array(JobStatusSchema).openapi({ description: "Every cron-driven job: its last run (the job ledger in D1) and its runs in the window." }),
  })
  .openapi("Metrics");

export type MetricsView = z.infer<typeof MetricsViewSchema>;
export type RouteTraffic = z.infer<typeof RouteTrafficSchema>;
export type CallerTraffic = z.infer<typeof CallerTrafficSchema>;
export type JobStatus = z.infer<typeof JobStatusSchema>;

/** What a metrics source (local window or Analytics Engine) answers; the route adds the job ledger. */
export interface Traffic {
  totals: z.infer<typeof TotalsSchema>;
  routes: RouteTraffic[];
  callers: CallerTraffic[];
  /** Runs and failed runs per job in the window. */
  jobRuns: Record<string, { runs: number; failed: number }>;
  note?: string;
}
