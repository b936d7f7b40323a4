import { beforeAll, describe, expect, it } from "vitest";
import { env } from "cloudflare:workers";
import { createExecutionContext, waitOnExecutionContext } from "cloudflare:test";
import { createApp } from "../../src/app";
import { adminHeaders, BASE, importFixture } from "../helpers";

beforeAll(async () => {
  await importFixture();
});

/**
 * The local profile as `npm start` runs it: wrangler.toml's RATE_LIMITS, which the Workers pool
 * reads (no override here). Following the README's "create a key for my app" must not make a
 * developer slower than calling without a key.
 */
describe("local profile limits", () => {
  const app = createApp({ now: () => Date.UTC(2030, 0, 1, 12) });
  const call = async (path: string, init?: RequestInit) => {
    const ctx = createExecutionContext();
    const res = await app.fetch(new Request(BASE + path, init), env, ctx);
    const body = (await res.json()) as any;
    await waitOnExecutionContext(ctx);
    return { status: res.status, body };
  };

  it("a free key is never throttled where an anonymous caller is not: 30 requests in one second all answer", async () => {
    expect(env.RATE_LIMITS, "the Workers pool runs wrangler.toml's local profile").toBeTruthy();
    const key = (await call("/v1/admin/keys", { method: "POST", headers: adminHeaders, body: JSON.stringify({ name: "my app", tier: "free" }) })).body.key as string;
    const auth = { headers: { Authorization: `Bearer ${key}` } };
    // The clock stands still: every request falls in the same second of the token bucket.
    const statuses = [];
    for (let i = 0; i < 30; i++) statuses.push((await call("/v1/anime?limit=1", auth)).status);
    expect(statuses.filter((s) => s !== 200)).toEqual([]);

    const me = (await call("/v1/me", auth)).body;
    const anonymous = (await call("/v1/me", { headers: { "CF-Connecting-IP": "198.51.100.200" } })).body;
    const limit = (m: any, name: string) => m.limits.find((l: { name: string }) => l.name === name)?.limit ?? Infinity;
    for (const name of ["daily", "queries", "burst"]) expect(limit(me, name), name).toBeGreaterThanOrEqual(limit(anonymous, name));
  });
});
