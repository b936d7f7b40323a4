import { describe, expect, it } from "vitest";
import { adminHeaders, importFixture } from "../helpers";
import { toDataPoint, type RequestPoint } from "../../src/observability/data-points";
import { fetchApp, recordingSink } from "./helpers";

describe("one data point per request", () => {
  it("records route template, method, status, cache tier, degraded legs, caller tier and duration", async () => {
    await importFixture();
    const sink = recordingSink();
    const res = await fetchApp("/v1/anime/1?fields=title", {}, { metrics: sink });
    expect(res.status).toBe(200);
    expect(sink.points).toHaveLength(1);
    const p = sink.points[0] as RequestPoint;
    expect(p).toEqual({
      kind: "request",
      at: expect.any(Number),
      route: "/v1/anime/:id",
      method: "GET",
      status: 200,
      cache: res.headers.get("X-Cache"),
      degraded: [],
      tier: "anonymous",
      durationMs: expect.any(Number),
    });
    expect(p.durationMs).toBeGreaterThanOrEqual(0);
    // The Analytics Engine layout: the id and the query string never reach a column.
    const dp = toDataPoint(p);
    expect(dp).toEqual({ indexes: ["/v1/anime/:id"], blobs: ["request", "/v1/anime/:id", "GET", "2xx", p.cache, "", "anonymous"], doubles: [p.durationMs, 200] });
    expect(JSON.stringify(dp)).not.toMatch(/fields|title|\/1\b/);
  });

  it("records the legs a search answered without, never the query text", async () => {
    await importFixture();
    const sink = recordingSink();
    const res = await fetchApp("/v1/search?q=secret%20words%20xyzzy", {}, { metrics: sink, vars: { VECTOR_BACKEND: "off" } });
    expect(res.status).toBe(200);
    expect(((await res.json()) as { degraded: string[] }).degraded).toEqual(["vector"]);
    expect(sink.points).toEqual([expect.objectContaining({ route: "/v1/search", degraded: ["vector"], status: 200 })]);
    expect(JSON.stringify(toDataPoint(sink.points[0]))).not.toMatch(/secret|xyzzy/);
  });

  it("names no route for a path no route serves, and admin callers as admin", async () => {
    const sink = recordingSink();
    expect((await fetchApp("/v1/no/such/thing/12345", {}, { metrics: sink })).status).toBe(404);
    expect((await fetchApp("/v1/admin/metrics", { headers: adminHeaders }, { metrics: sink })).status).toBe(200);
    expect(sink.points.map((p) => p.kind === "request" && [p.route, p.status, p.tier, p.cache])).toEqual([
      ["(unmatched)", 404, "anonymous", "-"],
      ["/v1/admin/metrics", 200, "admin", "-"],
    ]);
  });

  it("counts a rate-limited request for its route, with a 429", async () => {
    const sink = recordingSink();
    const vars = { RATE_LIMITS: JSON.stringify({ anonymous: { daily: 1, queries: 1, burst: 100 } }), RATE_LIMIT_LEASE_MS: "0" };
    const headers = { "CF-Connecting-IP": `198.51.100.${Math.floor(Math.random() * 250) + 1}` };
    await fetchApp("/v1/genres", { headers }, { metrics: sink, vars });
    expect((await fetchApp("/v1/genres", { headers }, { metrics: sink, vars })).status).toBe(429);
    expect(sink.points.map((p) => p.kind === "request" && [p.route, p.status, p.tier])).toEqual([
      ["/v1/genres", 200, "anonymous"],
      ["/v1/genres", 429, "anonymous"],
    ]);
  });

  it("writes none with METRICS_WRITES=off (the cost benchmark's baseline), and one again by default", async () => {
    const off = recordingSink();
    expect((await fetchApp("/v1/genres", {}, { metrics: off, vars: { METRICS_WRITES: "off" } })).status).toBe(200);
    expect(off.points).toEqual([]);
    const on = recordingSink();
    await fetchApp("/v1/genres", {}, { metrics: on });
    expect(on.points).toHaveLength(1);
  });
});
