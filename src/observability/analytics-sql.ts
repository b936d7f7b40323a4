import { ApiError } from "../errors/api-error";
import { REQUEST_COLUMNS as R, JOB_COLUMNS as J } from "./data-points";
import type { RouteTraffic, Traffic } from "./view";

const TIMEOUT_MS = 10_000;
/** Routes × methods × status classes are a few hundred at most; the cap keeps a bad day's answer bounded. */
const MAX_ROUTE_ROWS = 1000;

type Row = Record<string, string | number | null>;
const num = (v: unknown) => (v === null || v === undefined || v === "" ? 0 : Number(v));
const numOrNull = (v: unknown) => (v === null || v === undefined || v === "" || Number.isNaN(Number(v)) ? null : Math.round(Number(v) * 10) / 10);
const ratio = (n: number, d: number) => Math.round((n / d) * 1000) / 1000;

/**
 * The metrics view in Analytics Engine SQL (the column layout of data-points.ts). Counts are
 * `sum(_sample_interval)` and quantiles `quantileExactWeighted(q)(col, _sample_interval)`: at
 * high volume Analytics Engine keeps a sample of the points, each standing for
 * `_sample_interval` of them, so `count()` would under-report.
 */
export class AnalyticsSql {
  constructor(
    private readonly accountId: string,
    private readonly token: string,
    private readonly dataset: string,
    private readonly fetcher: typeof fetch,
  ) {}

  /** The SQL of the view's four parts for a window; exported through `queries` for the README and tests. */
  queries(windowMs: number): Record<"routes" | "callers" | "totals" | "jobs", string> {
    const minutes = Math.max(1, Math.round(windowMs / 60_000));
    const requests = `FROM ${this.dataset} WHERE ${R.kind} = 'request' AND timestamp > NOW() - INTERVAL '${minutes}' MINUTE`;
    const w = "_sample_interval";
    const tierHits = ["L0", "L1", "L2", "HIT"].map((t) => `sum(if(${R.cache} = '${t}', ${w}, 0)) AS hit_${t}`).join(", ");
    return {
      routes:
        `SELECT ${R.route} AS route, ${R.method} AS method, ${R.statusClass} AS status_class, sum(${w}) AS requests, ` +
        `quantileExactWeighted(0.5)(${R.durationMs}, ${w}) AS p50_ms, quantileExactWeighted(0.95)(${R.durationMs}, ${w}) AS p95_ms, ` +
        `sum(if(${R.cache} != '-', ${w}, 0)) AS cached, ${tierHits}, ` +
        `sum(if(${R.degraded} != '', ${w}, 0)) AS degraded, sum(if(${R.status} = 429, ${w}, 0)) AS rate_limited ` +
        `${requests} GROUP BY route, method, status_class ORDER BY requests DESC LIMIT ${MAX_ROUTE_ROWS} FORMAT JSON`,
      callers: `SELECT ${R.tier} AS tier, sum(${w}) AS requests, sum(if(${R.status} = 429, ${w}, 0)) AS rate_limited ${requests} GROUP BY tier ORDER BY requests DESC FORMAT JSON`,
      totals:
        `SELECT sum(${w}) AS requests, quantileExactWeighted(0.5)(${R.durationMs}, ${w}) AS p50_ms, quantileExactWeighted(0.95)(${R.durationMs}, ${w}) AS p95_ms, ` +
        `sum(if(${R.status} >= 500, ${w}, 0)) AS errors_5xx, sum(if(${R.status} = 429, ${w}, 0)) AS rate_limited, sum(if(${R.degraded} != '', ${w}, 0)) AS degraded ${requests} FORMAT JSON`,
      jobs: `SELECT ${J.job} AS job, sum(${w}) AS runs, sum(if(${J.outcome} = 'failed', ${w}, 0)) AS failed FROM ${this.dataset} WHERE ${J.kind} = 'job' AND timestamp > NOW() - INTERVAL '${minutes}' MINUTE GROUP BY job FORMAT JSON`,
    };
  }

  async traffic(windowMs: number): Promise<Traffic> {
    const q = this.queries(windowMs);
    const [routes, callers, totals, jobs] = await Promise.all([this.run(q.routes), this.run(q.callers), this.run(q.totals), this.run(q.jobs)]);
    const t = totals[0] ?? {};
    return {
      totals: { requests: num(t.requests), p50_ms: num(t.requests) ? numOrNull(t.p50_ms) : null, p95_ms: num(t.requests) ? numOrNull(t.p95_ms) : null, errors_5xx: num(t.errors_5xx), rate_limited: num(t.rate_limited), degraded: num(t.degraded) },
      routes: routes.map(routeRow),
      callers: callers.map((r) => ({ tier: String(r.tier), requests: num(r.requests), rate_limited: num(r.rate_limited) })),
      jobRuns: Object.fromEntries(jobs.map((r) => [String(r.job), { runs: num(r.runs), failed: num(r.failed) }])),
    };
  }

  /** One statement; any failure is a 503 naming the status, never the token. */
  private async run(sql: string): Promise<Row[]> {
    const url = `https://api.cloudflare.com/client/v4/accounts/${encodeURIComponent(this.accountId)}/analytics_engine/sql`;
    let res: Response;
    try {
      res = await this.fetcher(url, { method: "POST", headers: { Authorization: `Bearer ${this.token}` }, body: sql, signal: AbortSignal.timeout(TIMEOUT_MS) });
    } catch {
      throw new ApiError("service_unavailable", "The Analytics Engine SQL API did not answer.");
    }
    if (!res.ok) {
      const hint = res.status === 401 || res.status === 403 ? " (check ANALYTICS_API_TOKEN: it needs Account Analytics: Read, on ANALYTICS_ACCOUNT_ID's account)" : "";
      throw new ApiError("service_unavailable", `The Analytics Engine SQL API answered ${res.status}${hint}.`);
    }
    const body = (await res.json()) as { data?: Row[] };
    return body.data ?? [];
  }
}

function routeRow(r: Row): RouteTraffic {
  const cached = num(r.cached);
  const byTier = Object.fromEntries(
    ["L0", "L1", "L2", "HIT"].flatMap((t) => {
      const n = num(r[`hit_${t}`]);
      return n > 0 ? [[t, ratio(n, cached)]] : [];
    }),
  );
  const hits = ["L0", "L1", "L2", "HIT"].reduce((a, t) => a + num(r[`hit_${t}`]), 0);
  return {
    route: String(r.route),
    method: String(r.method),
    status_class: String(r.status_class),
    requests: num(r.requests),
    p50_ms: numOrNull(r.p50_ms),
    p95_ms: numOrNull(r.p95_ms),
    cache_hit_ratio: cached === 0 ? null : { any: ratio(hits, cached), by_tier: byTier },
    degraded: num(r.degraded),
    rate_limited: num(r.rate_limited),
  };
}
