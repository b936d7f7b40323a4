import autocannon from "autocannon";

/** One route under load: throughput, latency percentiles (ms, one decimal) and failures. */
export interface RouteResult {
  name: string;
  path: string;
  rps: number;
  p50: number;
  p95: number;
  p99: number;
  errors: number;
  non2xx: number;
}

/** The p-th percentile of ascending `sorted`, to one decimal (NaN when empty). */
export function percentile(sorted: number[], p: number): number {
  return Math.round((sorted[Math.min(sorted.length - 1, Math.floor((p / 100) * sorted.length))] ?? NaN) * 10) / 10;
}

/**
 * Loads `base` with autocannon for `seconds` over `connections`, each request's path from
 * `nextPath` (one path, or a rotation), and reports it under `name` and `label`.
 */
export async function loadRoute(opts: { base: string; connections: number; seconds: number; name: string; label: string; nextPath: () => string }): Promise<RouteResult> {
  const latencies: number[] = [];
  const result = await new Promise<autocannon.Result>((resolve, reject) => {
    const instance = autocannon(
      { url: opts.base, connections: opts.connections, duration: opts.seconds, requests: [{ setupRequest: (req) => ({ ...req, path: opts.nextPath() }) }] },
      (err, res) => (err ? reject(err) : resolve(res)),
    );
    instance.on("response", (_client, _status, _bytes, ms) => latencies.push(ms));
  });
  latencies.sort((a, b) => a - b);
  return {
    name: opts.name, path: opts.label, rps: result.requests.average, p50: percentile(latencies, 50), p95: percentile(latencies, 95), p99: percentile(latencies, 99),
    errors: result.errors + result.timeouts, non2xx: result.non2xx,
  };
}
