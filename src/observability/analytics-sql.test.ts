import { describe, expect, it } from "vitest";
import { AnalyticsSql } from "./analytics-sql";
import { quantile, summarise } from "./summary";
import type { RequestPoint } from "./data-points";

const TOKEN = "token-that-must-not-leak";

function fakeApi(answers: Record<string, unknown[]>, status = 200) {
  const sent: { url: string; sql: string; auth: string | null }[] = [];
  const fetcher = (async (url: string, init: RequestInit) => {
    const sql = String(init.body);
    sent.push({ url, sql, auth: new Headers(init.headers).get("Authorization") });
    const key = sql.includes("GROUP BY route") ? "routes" : sql.includes("GROUP BY tier") ? "callers" : sql.includes("GROUP BY job") ? "jobs" : "totals";
    return new Response(JSON.stringify({ meta: [], data: answers[key] ?? [], rows: 0 }), { status });
  }) as unknown as typeof fetch;
  return { sent, fetcher };
}

describe("Analytics Engine SQL", () => {
  it("weights counts and quantiles by _sample_interval over the window, on the configured dataset", () => {
    const q = new AnalyticsSql("a".repeat(32), TOKEN, "kensho_metrics", fetch).queries(3600_000);
    for (const sql of Object.values(q)) {
      expect(sql).toContain("FROM kensho_metrics WHERE blob1 = ");
      expect(sql).toContain("timestamp > NOW() - INTERVAL '60' MINUTE");
      expect(sql).not.toMatch(/count\(\)/i);
    }
    expect(q.routes).toContain("quantileExactWeighted(0.95)(double1, _sample_interval) AS p95_ms");
    expect(q.routes).toContain("sum(if(double2 = 429, _sample_interval, 0)) AS rate_limited");
  });

  it("maps the API's rows (64-bit numbers as strings) to the view", async () => {
    const { sent, fetcher } = fakeApi({
      routes: [{ route: "/v1/anime/:id", method: "GET", status_class: "2xx", requests: "100", p50_ms: 2, p95_ms: 9.04, cached: "100", hit_L0: "60", hit_L1: "10", hit_L2: "0", hit_HIT: "0", degraded: "0", rate_limited: "0" }],
      callers: [{ tier: "anonymous", requests: "100", rate_limited: "0" }],
      totals: [{ requests: "100", p50_ms: 2, p95_ms: 9, errors_5xx: "0", rate_limited: "0", degraded: "0" }],
      jobs: [{ job: "searchIndex", runs: "6", failed: "1" }],
    });
    const t = await new AnalyticsSql("a".repeat(32), TOKEN, "kensho_metrics", fetcher).traffic(3600_000);
    expect(sent).toHaveLength(4);
    expect(sent[0].url).toBe(`https://api.cloudflare.com/client/v4/accounts/${"a".repeat(32)}/analytics_engine/sql`);
    expect(sent[0].auth).toBe(`Bearer ${TOKEN}`);
    expect(t.routes).toEqual([{ route: "/v1/anime/:id", method: "GET", status_class: "2xx", requests: 100, p50_ms: 2, p95_ms: 9, cache_hit_ratio: { any: 0.7, by_tier: { L0: 0.6, L1: 0.1 } }, degraded: 0, rate_limited: 0 }]);
    expect(t.jobRuns).toEqual({ searchIndex: { runs: 6, failed: 1 } });
    expect(t.totals.requests).toBe(100);
  });

  it("a refused token is a 503 that names the secret, never its value", async () => {
    const { fetcher } = fakeApi({}, 403);
    const err = await new AnalyticsSql("a".repeat(32), TOKEN, "kensho_metrics", fetcher).traffic(60_000).catch((e: Error) => e);
    expect(err).toMatchObject({ code: "service_unavailable" });
    expect((err as Error).message).toMatch(/answered 403 .*ANALYTICS_API_TOKEN/);
    expect((err as Error).message).not.toContain(TOKEN);
  });
});

describe("local summary", () => {
  it("takes quantiles as the bench does (element at ⌊q·n⌋)", () => {
    const sorted = Array.from({ length: 20 }, (_, i) => i + 1);
    expect(quantile(sorted, 0.5)).toBe(11);
    expect(quantile(sorted, 0.95)).toBe(20);
    expect(quantile([], 0.5)).toBeNull();
  });

  it("groups by route, method and status class", () => {
    const p = (status: number, cache: string, durationMs: number): RequestPoint => ({ kind: "request", at: 0, route: "/v1/x", method: "GET", status, cache, degraded: [], tier: "free", durationMs });
    const t = summarise([p(200, "L0", 1), p(200, "MISS", 5), p(429, "-", 0)]);
    expect(t.routes.map((r) => [r.status_class, r.requests, r.cache_hit_ratio])).toEqual([
      ["2xx", 2, { any: 0.5, by_tier: { L0: 0.5 } }],
      ["4xx", 1, null],
    ]);
    expect(t.callers).toEqual([{ tier: "free", requests: 3, rate_limited: 1 }]);
  });
});
