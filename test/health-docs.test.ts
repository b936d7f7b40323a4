import { createExecutionContext, waitOnExecutionContext } from "cloudflare:test";
import { env } from "cloudflare:workers";
import { describe, expect, it } from "vitest";
import { createApp } from "../src/app";
import { BASE, call, getJson } from "./helpers";

describe("health", () => {
  it("is live", async () => {
    expect((await getJson("/health/live")).body).toEqual({ status: "ok" });
  });

  it("is ready when D1, KV and R2 answer, with per-check latency", async () => {
    const { status, body } = await getJson("/health/ready");
    expect(status).toBe(200);
    expect(body.status).toBe("ok");
    for (const check of ["d1", "kv", "r2", "search"]) expect(body.checks[check]).toEqual({ ok: true, latency_ms: expect.any(Number) });
  });

  it("is 503 when a search backend is configured but cannot be built, naming each problem", async () => {
    const ctx = createExecutionContext();
    const vars = { VECTOR_BACKEND: "qdrant", IMAGE_SEARCH_BACKEND: "vision" };
    const res = await createApp().fetch(new Request(`${BASE}/health/ready`), { ...env, ...vars }, ctx);
    await waitOnExecutionContext(ctx);
    expect(res.status).toBe(503);
    const body = (await res.json()) as any;
    expect(body.checks.d1.ok && body.checks.kv.ok && body.checks.r2.ok).toBe(true);
    expect(body.checks.search).toEqual({ ok: false, latency_ms: expect.any(Number), error: expect.any(String) });
    expect(body.checks.search.error).toMatch(/vector index: VECTOR_BACKEND=qdrant but the QDRANT_URL secret is not set/);
    expect(body.checks.search.error).toMatch(/image search: IMAGE_SEARCH_BACKEND=vision but no AI binding is configured/);
  });

  it("is 503 with the failing check named when a dependency fails", async () => {
    // Fault injection: the local runtime cannot make R2 fail, so this one binding is
    // replaced by a bucket whose calls reject; D1 and KV stay real.
    const failingBucket = { head: () => Promise.reject(new Error("r2 down")) } as unknown as R2Bucket;
    const ctx = createExecutionContext();
    const res = await createApp().fetch(new Request(`${BASE}/health/ready`), { ...env, IMAGES: failingBucket }, ctx);
    await waitOnExecutionContext(ctx);
    expect(res.status).toBe(503);
    const body = (await res.json()) as any;
    expect(body.status).toBe("fail");
    expect(body.checks.r2).toEqual({ ok: false, latency_ms: expect.any(Number), error: "r2 down" });
    expect(body.checks.d1.ok).toBe(true);
  });
});

describe("OpenAPI and docs", () => {
  it("serves an OpenAPI 3.1 document generated from the route schemas", async () => {
    const { status, body } = await getJson("/openapi.json");
    expect(status).toBe(200);
    expect(body.openapi).toBe("3.1.0");
    for (const path of ["/v1/anime", "/v1/anime/{id}", "/v1/anime/lookup", "/v1/seasons/{year}/{season}", "/v1/genres", "/v1/studios", "/v1/random", "/health/ready"]) {
      expect(Object.keys(body.paths), path).toContain(path);
    }
    const browseParams = body.paths["/v1/anime"].get.parameters.map((p: { name: string }) => p.name);
    expect(browseParams).toEqual(expect.arrayContaining(["type", "genres", "year_from", "cursor", "limit", "sort", "updated_since", "include_orphaned"]));
    expect(body.components.schemas.Anime.properties.title.example).toBe("Cowboy Bebop");
    expect(body.paths["/v1/anime/{id}"].get.responses["404"].content["application/problem+json"]).toBeDefined();
  });

  it("serves the interactive docs page, wired to the local spec and assets", async () => {
    const res = await call("/docs");
    expect(res.status).toBe(200);
    const html = await res.text();
    expect(html).toContain('fetch("/openapi.json")');
    expect(html).toContain("persistAuthorization: true");
    expect(html).toContain("/vendor/swagger-ui/swagger-ui-bundle.js");
  });
});
