/**
 * The data points Kensho writes to Workers Analytics Engine (dataset `kensho_metrics`, binding
 * METRICS): one per HTTP request and one per cron run. This file is the one place that says
 * which field lands in which column; the SQL of the metrics view (analytics-sql.ts), the
 * README's dashboard queries and the local window all read this layout.
 *
 * Never recorded: query strings (search text, natural-language queries), request bodies,
 * headers, API keys or their hashes, client addresses. The route is the router's template
 * (`/v1/anime/:id`), not the path, so an id or a search term never becomes a column value.
 *
 * | column  | request                                  | job                         |
 * | ------- | ---------------------------------------- | --------------------------- |
 * | index1  | route template                           | job name                    |
 * | blob1   | `request`                                | `job`                       |
 * | blob2   | route template                           | job name                    |
 * | blob3   | method                                   | run id (UUID)               |
 * | blob4   | status class (`2xx` … `5xx`)             | outcome (`ok`, `failed`)    |
 * | blob5   | cache tier: L0, L1, L2, MISS, BYPASS, HIT (images), `-` (uncached) | cron expression |
 * | blob6   | degraded legs, comma-separated (`vector`, `image`), or empty | —         |
 * | blob7   | caller tier: anonymous, free, premium, enterprise, admin, `-` (unmetered) | — |
 * | double1 | duration, ms                             | duration, ms                |
 * | double2 | status code                              | items                       |
 */

/** One HTTP request, as the request-metrics middleware saw it. */
export interface RequestPoint {
  kind: "request";
  /** When it ended (epoch ms). Analytics Engine stamps its own `timestamp`; the local window keeps this. */
  at: number;
  route: string;
  method: string;
  status: number;
  /** Which cache tier served it (X-Cache), or `-` for an answer no cache is involved in. */
  cache: string;
  degraded: string[];
  /** The caller's tier (`admin` on admin routes, `-` where nothing is metered). */
  tier: string;
  durationMs: number;
}

/** One cron run. */
export interface JobPoint {
  kind: "job";
  at: number;
  job: string;
  runId: string;
  outcome: "ok" | "failed";
  cron: string;
  durationMs: number;
  items: number;
}

export type MetricPoint = RequestPoint | JobPoint;

/** `2xx` for 204, `4xx` for 429… */
export const statusClass = (status: number): string => `${Math.floor(status / 100)}xx`;

/** Analytics Engine caps an index at 96 bytes and a point's blobs at 16 KB in all: ours are far below. */
const clip = (s: string, max = 96) => (s.length > max ? s.slice(0, max) : s);

/** The point as Analytics Engine stores it (the column layout above). */
export function toDataPoint(p: MetricPoint): AnalyticsEngineDataPoint {
  if (p.kind === "request") {
    return {
      indexes: [clip(p.route)],
      blobs: ["request", clip(p.route, 256), p.method, statusClass(p.status), p.cache, p.degraded.join(","), p.tier],
      doubles: [p.durationMs, p.status],
    };
  }
  return { indexes: [clip(p.job)], blobs: ["job", p.job, p.runId, p.outcome, p.cron], doubles: [p.durationMs, p.items] };
}

/** The column of each request field in SQL (analytics-sql.ts and the README's examples). */
export const REQUEST_COLUMNS = { kind: "blob1", route: "blob2", method: "blob3", statusClass: "blob4", cache: "blob5", degraded: "blob6", tier: "blob7", durationMs: "double1", status: "double2" } as const;
export const JOB_COLUMNS = { kind: "blob1", job: "blob2", runId: "blob3", outcome: "blob4", cron: "blob5", durationMs: "double1", items: "double2" } as const;
