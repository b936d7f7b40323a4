import { describe, expect, it } from "vitest";
import { env } from "cloudflare:workers";
import { createExecutionContext, waitOnExecutionContext } from "cloudflare:test";
import { createApp } from "../../src/app";
import { BASE, servicesOf, importFixture } from "../helpers";

async function get(vars: Record<string, unknown>, path: string, init?: RequestInit) {
  const ctx = createExecutionContext();
  const res = await createApp().fetch(new Request(BASE + path, init), { ...env, ...vars }, ctx);
  await waitOnExecutionContext(ctx);
  return { status: res.status, body: (await res.json()) as any };
}

describe("a search misconfiguration degrades search, never the API", () => {
  it.each([{ VECTOR_BACKEND: "qdrant" }, { VECTOR_BACKEND: "vectorize" }])("%j: browse works, search answers degraded", async (vars) => {
    await importFixture();
    expect((await get(vars, "/v1/anime?limit=1")).status).toBe(200);
    const s = await get(vars, "/v1/search?q=cowboy%20bebop");
    expect(s.status).toBe(200);
    expect(s.body.degraded).toEqual(["vector"]);
    expect(s.body.data[0].title).toBe("Cowboy Bebop");
  });

  it("a too-short ADMIN_TOKEN closes admin (503) and leaves the rest up", async () => {
    const vars = { ADMIN_TOKEN: "short" };
    expect((await get(vars, "/v1/anime?limit=1")).status).toBe(200);
    const admin = await get(vars, "/v1/admin/search/index", { headers: { Authorization: "Bearer short" } });
    expect(admin.status).toBe(503);
    expect(admin.body.code).toBe("service_unavailable");
  });

  describe("production refuses the local vector index for wide embeddings", () => {
    // Workers AI is not simulated locally: a stand-in answering bge-m3's 1024-dim shape.
    const ai = { run: async (_model: string, input: { text: string[] }) => ({ data: input.text.map(() => Array.from({ length: 1024 }, (_, i) => (i === 0 ? 1 : 0))) }) } as unknown as Ai;
    const production = { ENVIRONMENT: "production", AI: ai, VECTOR_BACKEND: "local" };

    it("bge-m3 (1024 dims) on the local index: search degrades to keyword, /health/ready is 503 and names the problem", async () => {
      await importFixture();
      const s = await get(production, "/v1/search?q=cowboy%20bebop");
      expect(s.status).toBe(200);
      expect(s.body.degraded).toEqual(["vector"]);
      expect(s.body.data[0].title).toBe("Cowboy Bebop");
      const ready = await get(production, "/health/ready");
      expect(ready.status).toBe(503);
      expect(ready.body.status).toBe("fail");
      expect(ready.body.checks.d1.ok).toBe(true);
      expect(ready.body.checks.search.ok).toBe(false);
      expect(ready.body.checks.search.error).toMatch(/local vector index/);
      expect(ready.body.checks.search.error).toMatch(/at most 256 dimensions, and @cf\/baai\/bge-m3 has 1024/);
      // Image search (auto) does not pick the vision model it could not search with: the local embedding.
      expect(servicesOf({ ...env, ...production } as Env).imageSearch.model).toBe("kensho-local-phash-v1-192");
    });

    it.each([
      ["VECTOR_BACKEND=auto resolving to local", 503, { ...production, VECTOR_BACKEND: "auto" }],
      ["the local embedder (128 dims) in production", 200, { ENVIRONMENT: "production", VECTOR_BACKEND: "local" }],
      ["bge-m3 on the local index outside production", 200, { ...production, ENVIRONMENT: "local" }],
      ["VECTOR_BACKEND=off in production (keyword only, by choice)", 200, { ...production, VECTOR_BACKEND: "off" }],
    ])("%s: /health/ready %i", async (_, status, vars) => {
      const ready = await get(vars, "/health/ready");
      expect(ready.status).toBe(status);
      expect(ready.body.checks.search.ok).toBe(status === 200);
    });
  });
});
