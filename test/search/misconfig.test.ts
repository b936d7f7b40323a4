import { describe, expect, it } from "vitest";
import { env } from "cloudflare:workers";
import { createExecutionContext, waitOnExecutionContext } from "cloudflare:test";
import { createApp } from "../../src/app";
import { BASE, importFixture } from "../helpers";

async function get(vars: Record<string, string>, path: string, init?: RequestInit) {
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
});
