import { describe, expect, it, beforeEach } from "vitest";
import { adminHeaders, expectProblem, importFixture } from "../helpers";
import { LOCAL_WINDOW } from "../../src/observability/local-window";
import { fetchApp } from "./helpers";

beforeEach(() => LOCAL_WINDOW.clear());

describe("GET /v1/admin/metrics", () => {
  it("is admin-only: 401 without the token, 403 with a wrong one", async () => {
    await expectProblem(await fetchApp("/v1/admin/metrics"), 401, "unauthorized");
    await expectProblem(await fetchApp("/v1/admin/metrics", { headers: { Authorization: "Bearer not-the-admin-token-xx" } }), 403, "forbidden");
  });

  it("reports the figures of a known request mix from the local window", async () => {
    await importFixture();
    const tiers: string[] = [];
    for (let i = 0; i < 5; i++) tiers.push((await fetchApp("/v1/anime/1")).headers.get("X-Cache")!);
    for (let i = 0; i < 2; i++) expect((await fetchApp("/v1/anime/999999")).status).toBe(404);
    expect((await fetchApp("/v1/nothing-here")).status).toBe(404);
    await fetchApp("/v1/search?q=cowboy", {}, { vars: { VECTOR_BACKEND: "off" } });
    const vars = { RATE_LIMITS: JSON.stringify({ anonymous: { daily: 1, queries: 1, burst: 100 } }), RATE_LIMIT_LEASE_MS: "0" };
    const headers = { "CF-Connecting-IP": `192.0.2.${Math.floor(Math.random() * 250) + 1}` };
    for (let i = 0; i < 3; i++) await fetchApp("/v1/genres", { headers }, { vars });

    const res = await fetchApp("/v1/admin/metrics?window=1h", { headers: adminHeaders });
    expect(res.status).toBe(200);
    expect(res.headers.get("Cache-Control")).toBe("no-store");
    const view = (await res.json()) as any;
    expect(view).toMatchObject({ window: "1h", source: "local-window", note: expect.stringContaining("in-process window") });
    const row = (route: string, status_class: string) => view.routes.find((r: any) => r.route === route && r.method === "GET" && r.status_class === status_class);

    const anime = row("/v1/anime/:id", "2xx");
    const hits = tiers.filter((t) => t !== "MISS" && t !== "BYPASS");
    expect(anime).toMatchObject({ requests: 5, degraded: 0, rate_limited: 0, p50_ms: expect.any(Number), p95_ms: expect.any(Number) });
    expect(anime.p50_ms).toBeLessThanOrEqual(anime.p95_ms);
    expect(anime.cache_hit_ratio.any).toBeCloseTo(hits.length / 5, 3);
    for (const t of new Set(hits)) expect(anime.cache_hit_ratio.by_tier[t]).toBeCloseTo(hits.filter((h) => h === t).length / 5, 3);
    expect(row("/v1/anime/:id", "4xx")).toMatchObject({ requests: 2 });
    expect(row("(unmatched)", "4xx")).toMatchObject({ requests: 1, cache_hit_ratio: null });
    expect(row("/v1/search", "2xx")).toMatchObject({ requests: 1, degraded: 1 });
    expect(row("/v1/genres", "2xx")).toMatchObject({ requests: 1 });
    expect(row("/v1/genres", "4xx")).toMatchObject({ requests: 2, rate_limited: 2 });
    expect(view.totals).toMatchObject({ requests: 12, rate_limited: 2, degraded: 1, errors_5xx: 0 });
    expect(view.callers).toEqual([{ tier: "anonymous", requests: 12, rate_limited: 2 }]);
    expect(view.jobs.map((j: any) => j.job)).toEqual(["curatedLists", "searchIndex", "weeklySync", "weeklySnapshot"]);
  });

  it("answers Prometheus text for Accept: text/plain; version=0.0.4", async () => {
    await fetchApp("/health/live");
    const res = await fetchApp("/v1/admin/metrics?window=5m", { headers: { ...adminHeaders, Accept: "text/plain; version=0.0.4" } });
    expect(res.status).toBe(200);
    expect(res.headers.get("Content-Type")).toMatch(/^text\/plain; version=0\.0\.4/);
    const text = await res.text();
    expect(text).toContain("# TYPE kensho_requests gauge");
    expect(text).toContain('kensho_requests{window="5m",route="/health/live",method="GET",status_class="2xx"} 1');
    expect(text).toContain('kensho_job_overdue{job="weeklySync"}');
  });

  it("validates the window", async () => {
    await expectProblem(await fetchApp("/v1/admin/metrics?window=2d", { headers: adminHeaders }), 400, "validation_failed");
  });

  it("in production without the Analytics Engine secrets: 503 naming them", async () => {
    const res = await fetchApp("/v1/admin/metrics", { headers: adminHeaders }, { vars: { ENVIRONMENT: "production" } });
    const body = await expectProblem(res, 503, "service_unavailable");
    expect(body.detail).toMatch(/ANALYTICS_ACCOUNT_ID and ANALYTICS_API_TOKEN/);
  });
});
