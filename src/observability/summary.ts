import { statusClass, type JobPoint, type RequestPoint, type MetricPoint } from "./data-points";
import type { RouteTraffic, Traffic } from "./view";

/** Cache tiers that mean "not served by a cache": a miss went to D1, a bypass skipped the tiers. */
const NOT_HITS = new Set(["MISS", "BYPASS"]);

/** The value at `q` of sorted values: the element at ⌊q·n⌋ (ClickHouse's quantileExact, the bench's percentile). */
export function quantile(sorted: number[], q: number): number | null {
  if (sorted.length === 0) return null;
  return sorted[Math.min(sorted.length - 1, Math.floor(q * sorted.length))];
}

const round = (v: number | null) => (v === null ? null : Math.round(v * 10) / 10);
const ratio = (n: number, d: number) => Math.round((n / d) * 1000) / 1000;

function routeRow(key: { route: string; method: string; status_class: string }, points: RequestPoint[]): RouteTraffic {
  const durations = points.map((p) => p.durationMs).sort((a, b) => a - b);
  const cached = points.filter((p) => p.cache !== "-");
  const byTier: Record<string, number> = {};
  for (const p of cached) if (!NOT_HITS.has(p.cache)) byTier[p.cache] = (byTier[p.cache] ?? 0) + 1;
  const hits = Object.values(byTier).reduce((a, b) => a + b, 0);
  return {
    ...key,
    requests: points.length,
    p50_ms: round(quantile(durations, 0.5)),
    p95_ms: round(quantile(durations, 0.95)),
    cache_hit_ratio: cached.length === 0 ? null : { any: ratio(hits, cached.length), by_tier: Object.fromEntries(Object.entries(byTier).map(([t, n]) => [t, ratio(n, cached.length)])) },
    degraded: points.filter((p) => p.degraded.length > 0).length,
    rate_limited: points.filter((p) => p.status === 429).length,
  };
}

/** The metrics view's figures from data points (the local window's answer; Analytics Engine computes the same in SQL). */
export function summarise(points: MetricPoint[]): Traffic {
  const requests = points.filter((p): p is RequestPoint => p.kind === "request");
  const jobs = points.filter((p): p is JobPoint => p.kind === "job");
  const groups = new Map<string, RequestPoint[]>();
  for (const p of requests) {
    const k = `${p.route}\u0000${p.method}\u0000${statusClass(p.status)}`;
    let g = groups.get(k);
    if (!g) groups.set(k, (g = []));
    g.push(p);
  }
  const routes = [...groups.entries()]
    .map(([k, g]) => {
      const [route, method, status_class] = k.split("\u0000");
      return routeRow({ route, method, status_class }, g);
    })
    .sort((a, b) => b.requests - a.requests || a.route.localeCompare(b.route));
  const tiers = new Map<string, { requests: number; rate_limited: number }>();
  for (const p of requests) {
    const t = tiers.get(p.tier) ?? { requests: 0, rate_limited: 0 };
    t.requests++;
    if (p.status === 429) t.rate_limited++;
    tiers.set(p.tier, t);
  }
  const all = requests.map((p) => p.durationMs).sort((a, b) => a - b);
  const jobRuns: Traffic["jobRuns"] = {};
  for (const j of jobs) {
    const r = (jobRuns[j.job] ??= { runs: 0, failed: 0 });
    r.runs++;
    if (j.outcome === "failed") r.failed++;
  }
  return {
    totals: {
      requests: requests.length,
      p50_ms: round(quantile(all, 0.5)),
      p95_ms: round(quantile(all, 0.95)),
      errors_5xx: requests.filter((p) => p.status >= 500).length,
      rate_limited: requests.filter((p) => p.status === 429).length,
      degraded: requests.filter((p) => p.degraded.length > 0).length,
    },
    routes,
    callers: [...tiers.entries()].map(([tier, t]) => ({ tier, ...t })).sort((a, b) => b.requests - a.requests),
    jobRuns,
  };
}
