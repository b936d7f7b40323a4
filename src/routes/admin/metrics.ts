import { createRoute, z, type RouteHandler } from "@hono/zod-openapi";
import type { AppEnv } from "../../context";
import { problemResponses } from "../../errors/problem-schema";
import { JOBS, type JobName } from "../../scheduled";
import { MetricsViewSchema, WINDOWS, type MetricsView, type WindowName } from "../../observability/view";
import { PROMETHEUS_CONTENT_TYPE, toPrometheus, wantsPrometheus } from "../../observability/prometheus";
import { security } from "./common";

const Query = z
  .object({
    window: z
      .enum(Object.keys(WINDOWS) as [WindowName, ...WindowName[]])
      .default("1h")
      .openapi({ description: "How far back the figures go." }),
  })
  .strict();

const EXAMPLE = `# HELP kensho_requests Requests in the window, per route template, method and status class.
# TYPE kensho_requests gauge
kensho_requests{window="1h",route="/v1/anime/:id",method="GET",status_class="2xx"} 1200
# HELP kensho_request_duration_ms Request duration quantiles in the window, ms.
# TYPE kensho_request_duration_ms gauge
kensho_request_duration_ms{window="1h",route="/v1/anime/:id",method="GET",status_class="2xx",quantile="0.95"} 9
`;

export const metricsRoute = createRoute({
  method: "get",
  path: "/admin/metrics",
  tags: ["Admin"],
  operationId: "adminGetMetrics",
  summary: "Traffic, latency, cache, degradation and cron health over a window",
  description: [
    "Per route template, method and status class: request count, p50/p95 duration, cache-hit ratio per tier, degraded answers and 429s; per caller tier: requests and 429s; per cron job: its last run, outcome and last success (the job ledger in D1) and its runs in the window.",
    "**Where the figures come from** (`source`): in production, every isolate's data points in Workers Analytics Engine, read with its SQL API (the secrets ANALYTICS_ACCOUNT_ID and ANALYTICS_API_TOKEN; without them, 503). Locally, where that API does not exist, this isolate's bounded in-process window of the same data points (`local-window`; `note` says what it holds).",
    "`Accept: text/plain; version=0.0.4` answers the same view as Prometheus text (gauges over the window).",
  ].join("\n\n"),
  security,
  request: { query: Query },
  responses: {
    200: {
      description: "The view (JSON), or Prometheus text when asked for with Accept.",
      content: {
        "application/json": { schema: MetricsViewSchema },
        "text/plain": { schema: z.string().openapi({ example: EXAMPLE }) },
      },
    },
    ...problemResponses(400, 401, 403, 429, 503),
  },
});

export const getMetrics: RouteHandler<typeof metricsRoute, AppEnv> = async (c) => {
  const { window } = c.req.valid("query");
  const services = c.var.services;
  const source = services.metricsSource();
  const now = services.now();
  const windowMs = WINDOWS[window];
  const schedules = (Object.keys(JOBS) as JobName[]).map((job) => ({ job, cron: JOBS[job].cron, periodMs: JOBS[job].periodMs }));
  const [traffic, jobs] = await Promise.all([source.traffic(windowMs, now), services.jobLedger.status(schedules, now)]);
  const view: MetricsView = {
    window,
    from: new Date(now - windowMs).toISOString(),
    to: new Date(now).toISOString(),
    source: source.name,
    ...(traffic.note ? { note: traffic.note } : {}),
    totals: traffic.totals,
    routes: traffic.routes,
    callers: traffic.callers,
    jobs: jobs.map((j) => ({ ...j, runs_in_window: traffic.jobRuns[j.job]?.runs ?? 0, failed_in_window: traffic.jobRuns[j.job]?.failed ?? 0 })),
  };
  if (wantsPrometheus(c.req.header("Accept"))) return c.text(toPrometheus(view), 200, { "Content-Type": PROMETHEUS_CONTENT_TYPE });
  return c.json(view, 200);
};
