import { describe, expect, it } from "vitest";
import { createExecutionContext, waitOnExecutionContext } from "cloudflare:test";
import { env } from "cloudflare:workers";
import { Hono } from "hono";
import { ADMIN_TOKEN, BASE, call, expectProblem } from "../helpers";
import { adminAuth } from "../../src/middleware/admin-auth";
import { services } from "../../src/middleware/services";
import type { AppEnv } from "../../src/context";
import { handleError } from "../../src/errors/problem";

const ORIGIN = "https://evil.example";

describe("admin routes send no CORS headers", () => {
  it.each(["/v1/admin/keys", "/v1/%61dmin/keys", "/v1/admin/search/index"])("%s: no Access-Control-* on answers or preflights", async (path) => {
    const answered = await call(path, { headers: { Origin: ORIGIN, Authorization: `Bearer ${ADMIN_TOKEN}` } });
    expect(answered.status).toBeLessThan(500);
    const preflight = await call(path, { method: "OPTIONS", headers: { Origin: ORIGIN, "Access-Control-Request-Method": "POST", "Access-Control-Request-Headers": "authorization" } });
    for (const res of [answered, preflight]) {
      const cors = [...res.headers.keys()].filter((h) => h.startsWith("access-control-"));
      expect(cors, `${path} ${res.status}`).toEqual([]);
    }
  });

  it("the public API still does", async () => {
    const res = await call("/v1/genres", { headers: { Origin: ORIGIN } });
    expect(res.headers.get("access-control-allow-origin")).toBe("*");
  });
});

/** The admin guard alone, on its own app (its own memory of refused addresses), with a clock. */
function guarded(options: Parameters<typeof adminAuth>[0]) {
  let t = Date.UTC(2030, 0, 1, 12);
  const app = new Hono<AppEnv>();
  app.use(services({ now: () => t }));
  app.use("/v1/admin/*", adminAuth(options));
  app.get("/v1/admin/ping", (c) => c.json({ ok: true }));
  app.onError(handleError);
  const fetch = async (ip: string, token: string | null) => {
    const ctx = createExecutionContext();
    const res = await app.fetch(new Request(`${BASE}/v1/admin/ping`, { headers: { "CF-Connecting-IP": ip, ...(token === null ? {} : { Authorization: `Bearer ${token}` }) } }), env, ctx);
    await waitOnExecutionContext(ctx);
    return res;
  };
  return { fetch, advance: (s: number) => void (t += s * 1000), fresh: () => guarded(options) };
}

describe("failed admin-token attempts are throttled per client address", () => {
  const WRONG = "not-the-admin-token-0000";

  it("after N failures in the window the address gets 429 with Retry-After, even with the right token; others are not affected", async () => {
    const g = guarded({ maxFailures: 3, windowMs: 60_000 });
    for (let i = 0; i < 3; i++) await expectProblem(await g.fetch("192.0.2.10", WRONG), 403, "forbidden");
    const refused = await g.fetch("192.0.2.10", WRONG);
    const body = await expectProblem(refused, 429, "rate_limited");
    expect(body.detail).toMatch(/admin-token/);
    expect(refused.headers.get("retry-after")).toBe("60");
    // Refused before its token is looked at: the right one too.
    expect((await g.fetch("192.0.2.10", ADMIN_TOKEN)).status).toBe(429);
    // Another address, and the right token from it, are not slowed.
    expect((await g.fetch("192.0.2.11", ADMIN_TOKEN)).status).toBe(200);
    await expectProblem(await g.fetch("192.0.2.11", WRONG), 403, "forbidden");
    // When the window has passed, the address may try again.
    g.advance(61);
    expect((await g.fetch("192.0.2.10", ADMIN_TOKEN)).status).toBe(200);
  });

  it("another isolate (no memory of the block) refuses the address at its first failure there", async () => {
    const g = guarded({ maxFailures: 2, windowMs: 60_000 });
    for (let i = 0; i < 3; i++) await g.fetch("192.0.2.20", WRONG);
    const other = g.fresh();
    await expectProblem(await other.fetch("192.0.2.20", WRONG), 429, "rate_limited");
    expect((await other.fetch("192.0.2.20", ADMIN_TOKEN)).status).toBe(429);
  });

  it("failures spread beyond the window never block; a missing token is not a failed attempt", async () => {
    const g = guarded({ maxFailures: 2, windowMs: 10_000 });
    for (let i = 0; i < 6; i++) {
      await expectProblem(await g.fetch("192.0.2.30", WRONG), 403, "forbidden");
      g.advance(6);
    }
    for (let i = 0; i < 5; i++) await expectProblem(await g.fetch("192.0.2.31", null), 401, "unauthorized");
    expect((await g.fetch("192.0.2.31", ADMIN_TOKEN)).status).toBe(200);
  });

  it("an IPv6 client is throttled per /64", async () => {
    const g = guarded({ maxFailures: 1, windowMs: 60_000 });
    await expectProblem(await g.fetch("2001:db8:9:1::1", WRONG), 403, "forbidden");
    await expectProblem(await g.fetch("2001:db8:9:1::2", WRONG), 429, "rate_limited");
  });

  it("through the Worker: the default allows a few mistakes (legitimate use is not slowed)", async () => {
    const ip = { "CF-Connecting-IP": "192.0.2.40" };
    for (let i = 0; i < 3; i++) await expectProblem(await call("/v1/admin/keys", { headers: { ...ip, Authorization: `Bearer ${WRONG}` } }), 403, "forbidden");
    expect((await call("/v1/admin/keys", { headers: { ...ip, Authorization: `Bearer ${ADMIN_TOKEN}` } })).status).toBe(200);
  });
});
