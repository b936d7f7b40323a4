import { beforeAll, describe, expect, it } from "vitest";
import { env } from "cloudflare:workers";
import { createExecutionContext, waitOnExecutionContext } from "cloudflare:test";
import { createApp } from "../../src/app";
import { adminHeaders, BASE, importFixture } from "../helpers";
import { DEFAULT_LIMITS, limitsFrom } from "../../src/access/tiers";

beforeAll(async () => {
  await importFixture();
});

/** An app with its own limits and clock, called like the Worker (waitUntil work awaited). */
function server(limits: object, start = Date.UTC(2030, 0, 1, 12), leaseMs = 1000) {
  let t = start;
  const app = createApp({ now: () => t });
  const vars = { ...env, RATE_LIMITS: JSON.stringify(limits), RATE_LIMIT_LEASE_MS: String(leaseMs) };
  const fetch = async (path: string, init?: RequestInit) => {
    const ctx = createExecutionContext();
    const res = await app.fetch(new Request(BASE + path, init), vars, ctx);
    const body = (await res.json()) as any;
    await waitOnExecutionContext(ctx);
    return { status: res.status, body, headers: res.headers };
  };
  const newKey = async (tier = "free") => (await fetch("/v1/admin/keys", { method: "POST", headers: adminHeaders, body: JSON.stringify({ name: "limits test", tier }) })).body;
  return { fetch, newKey, now: () => t, set: (ms: number) => void (t = ms), advance: (s: number) => void (t += s * 1000) };
}
const bearer = (key: string) => ({ headers: { Authorization: `Bearer ${key}` } });
let ip = 0;
const fromIp = () => ({ headers: { "CF-Connecting-IP": `198.51.100.${++ip}` } });

describe("daily quota", () => {
  it("100 concurrent requests against a key with 60 left today: exactly 60 succeed, 40 get 429", async () => {
    const s = server({ free: { daily: 100, burst: 1000 } });
    const k = await s.newKey();
    for (let i = 0; i < 40; i++) expect((await s.fetch("/v1/genres", bearer(k.key))).status).toBe(200);
    const all = await Promise.all(Array.from({ length: 100 }, () => s.fetch("/v1/genres", bearer(k.key))));
    expect(all.filter((r) => r.status === 200)).toHaveLength(60);
    const refused = all.filter((r) => r.status === 429);
    expect(refused).toHaveLength(40);
    expect(refused[0].body.code).toBe("rate_limited");
    expect(refused[0].body.detail).toContain("daily");
    expect(Number(refused[0].headers.get("retry-after"))).toBeGreaterThan(0);
  });

  it.each([
    ["units leased to the isolate", 1000],
    ["leasing off", 0],
  ])("the same for an anonymous caller, %s", async (_label, leaseMs) => {
    const s = server({ anonymous: { daily: 100, queries: 1000, burst: 1000 } }, undefined, leaseMs);
    const me = fromIp();
    for (let i = 0; i < 40; i++) expect((await s.fetch("/v1/genres", me)).status).toBe(200);
    const all = await Promise.all(Array.from({ length: 100 }, () => s.fetch("/v1/genres", me)));
    expect([all.filter((r) => r.status === 200).length, all.filter((r) => r.status === 429).length]).toEqual([60, 40]);
  });

  it("resets at the UTC day boundary (injected clock)", async () => {
    const s = server({ free: { daily: 3, burst: 1000 } }, Date.UTC(2030, 0, 1, 23, 59, 58));
    const k = await s.newKey();
    for (let i = 0; i < 3; i++) expect((await s.fetch("/v1/genres", bearer(k.key))).status).toBe(200);
    const refused = await s.fetch("/v1/genres", bearer(k.key));
    expect([refused.status, refused.headers.get("retry-after")]).toEqual([429, "2"]);
    s.set(Date.UTC(2030, 0, 2, 0, 0, 1));
    const next = await s.fetch("/v1/genres", bearer(k.key));
    expect(next.status).toBe(200);
    expect(next.headers.get("ratelimit")).toBe('"daily";r=2;t=86399');
  });

  it("cached responses count too", async () => {
    const s = server({ anonymous: { daily: 3, burst: 1000 } });
    const me = fromIp();
    const tiers: (string | null)[] = [];
    for (let i = 0; i < 3; i++) tiers.push((await s.fetch("/v1/anime/1", me)).headers.get("x-cache"));
    expect(tiers.slice(1).every((t) => t === "L0" || t === "L1")).toBe(true);
    expect((await s.fetch("/v1/anime/1", me)).status).toBe(429);
  });
});

describe("leases: a busy anonymous caller's units are spent in the isolate, never beyond a limit", () => {
  const ANON = { anonymous: { daily: 1000, queries: 1000, burst: 1000 } };
  const counted = async (s: ReturnType<typeof server>, ip: string) => (await env.QUOTA.get(env.QUOTA.idFromName(`ip:${ip}`)).peek(limitsFrom(JSON.stringify(ANON)), s.now())).usage.requests;
  const ipOf = (me: { headers: Record<string, string> }) => me.headers["CF-Connecting-IP"];

  it("the quota object counts leased units ahead; /v1/me hands the rest back and is exact", async () => {
    const s = server(ANON);
    const me = fromIp();
    for (let i = 0; i < 20; i++) expect((await s.fetch("/v1/genres", me)).status).toBe(200);
    const ahead = await counted(s, ipOf(me));
    expect(ahead).toBeGreaterThan(20); // units leased, not yet spent
    expect(ahead).toBeLessThanOrEqual(20 + 100);
    const mine = await s.fetch("/v1/me", me);
    expect(mine.body.usage.requests).toBe(21);
    expect(mine.body.limits.find((l: any) => l.name === "daily").remaining).toBe(1000 - 21);
    expect(await counted(s, ipOf(me))).toBe(21);
  });

  it("an expired lease's leftover is handed back on the next call", async () => {
    const s = server(ANON);
    const me = fromIp();
    for (let i = 0; i < 20; i++) await s.fetch("/v1/genres", me);
    s.advance(5);
    expect((await s.fetch("/v1/genres", me)).status).toBe(200);
    expect(await counted(s, ipOf(me))).toBe(21);
  });

  it("headers count the units the isolate still holds", async () => {
    const s = server({ anonymous: { daily: 50, queries: 1000, burst: 1000 } });
    const me = fromIp();
    const left: number[] = [];
    for (let i = 0; i < 12; i++) left.push(Number(/r=(\d+)/.exec((await s.fetch("/v1/genres", me)).headers.get("ratelimit")!)![1]));
    expect(left).toEqual(Array.from({ length: 12 }, (_, i) => 49 - i));
  });

  it("two isolates of one caller together get exactly the daily limit", async () => {
    const limits = { anonymous: { daily: 10, burst: 1000 } };
    const a = server(limits);
    const b = server(limits);
    const me = fromIp();
    const served = async (s: ReturnType<typeof server>, n: number) => (await Promise.all(Array.from({ length: n }, () => s.fetch("/v1/genres", me)))).filter((r) => r.status === 200).length;
    // Rounds until neither isolate serves anything: units one leased are spent there.
    let total = 0;
    for (let round = 0; round < 20; round++) {
      const n = (await served(a, 3)) + (await served(b, 2));
      total += n;
      if (n === 0) break;
    }
    expect(total).toBe(10);
  });

  it("keys are never leased: a revocation through one isolate applies at once in another", async () => {
    const a = server({ free: { daily: 1000, burst: 1000 } });
    const b = server({ free: { daily: 1000, burst: 1000 } });
    const k = await a.newKey();
    for (let i = 0; i < 8; i++) expect((await b.fetch("/v1/genres", bearer(k.key))).status).toBe(200);
    await a.fetch(`/v1/admin/keys/${k.id}`, { method: "DELETE", headers: adminHeaders });
    expect((await b.fetch("/v1/genres", bearer(k.key))).status).toBe(401);
  });

  it("a downgrade through one isolate binds another at once", async () => {
    const limits = { free: { daily: 5, burst: 1000 }, premium: { daily: 1000, burst: 1000 } };
    const a = server(limits);
    const b = server(limits);
    const k = await a.newKey("premium");
    for (let i = 0; i < 40; i++) await b.fetch("/v1/genres", bearer(k.key));
    await a.fetch(`/v1/admin/keys/${k.id}`, { method: "PATCH", headers: adminHeaders, body: JSON.stringify({ tier: "free" }) });
    expect((await b.fetch("/v1/genres", bearer(k.key))).status).toBe(429);
  });
});

describe("the quota object's time never runs backwards", () => {
  it("a caller's clock behind another's refills no burst", async () => {
    const T = Date.UTC(2030, 0, 1, 12);
    const limits = { free: { daily: 100_000, burst: 2 } };
    const ahead = server(limits, T + 2000);
    const behind = server(limits, T);
    const k = await ahead.newKey();
    let ok = 0;
    for (let i = 0; i < 20; i++) ok += (await (i % 2 ? behind : ahead).fetch("/v1/genres", bearer(k.key))).status === 200 ? 1 : 0;
    expect(ok).toBe(2);
  });

  it("a request stamped with the previous UTC day does not reopen the new day's count", async () => {
    const limits = { free: { daily: 3, burst: 1000 } };
    const today = server(limits, Date.UTC(2030, 0, 2, 0, 0, 1));
    const yesterday = server(limits, Date.UTC(2030, 0, 1, 23, 59, 59));
    const k = await today.newKey();
    let n = 0;
    for (let i = 0; i < 3; i++) n += (await today.fetch("/v1/genres", bearer(k.key))).status === 200 ? 1 : 0;
    expect((await yesterday.fetch("/v1/genres", bearer(k.key))).status).toBe(429);
    for (let i = 0; i < 3; i++) n += (await today.fetch("/v1/genres", bearer(k.key))).status === 200 ? 1 : 0;
    expect(n).toBe(3);
  });
});

describe("what a request counts as", () => {
  it("/v1/%71uery is /v1/query: it spends the query count", async () => {
    const s = server({ anonymous: { daily: 1000, queries: 1, burst: 1000 } });
    const me = fromIp();
    const q = (path: string) => s.fetch(path, { method: "POST", headers: { ...me.headers, "Content-Type": "application/json" }, body: '{"query":"cowboy bebop"}' });
    expect((await q("/v1/query")).status).toBe(200);
    expect((await q("/v1/%71uery")).status).toBe(429);
  });

  it("a used-up query count does not bind other requests' RateLimit header", async () => {
    const s = server({ anonymous: { daily: 1000, queries: 1, burst: 1000 } });
    const me = fromIp();
    await s.fetch("/v1/query", { method: "POST", headers: { ...me.headers, "Content-Type": "application/json" }, body: '{"query":"cowboy bebop"}' });
    const r = await s.fetch("/v1/genres", me);
    expect([r.status, r.headers.get("ratelimit")]).toEqual([200, expect.stringMatching(/^"(daily|burst)";r=99\d;/)]);
  });

  it("IPv6 callers are limited per /64", async () => {
    const s = server({ anonymous: { daily: 2, burst: 1000 } });
    expect((await s.fetch("/v1/genres", { headers: { "CF-Connecting-IP": "2001:db8:7:1::1" } })).status).toBe(200);
    expect((await s.fetch("/v1/genres", { headers: { "CF-Connecting-IP": "2001:0db8:0007:0001:ffff::2" } })).status).toBe(200);
    expect((await s.fetch("/v1/genres", { headers: { "CF-Connecting-IP": "2001:db8:7:1:aaaa:bbbb:cccc:dddd" } })).status).toBe(429);
    expect((await s.fetch("/v1/genres", { headers: { "CF-Connecting-IP": "2001:db8:7:2::1" } })).status).toBe(200);
  });
});

describe("burst and natural-language limits", () => {
  it("a burst beyond the bucket is refused for a second", async () => {
    const s = server({ free: { daily: 1000, burst: 2 } });
    const k = await s.newKey();
    expect((await s.fetch("/v1/genres", bearer(k.key))).status).toBe(200);
    expect((await s.fetch("/v1/genres", bearer(k.key))).status).toBe(200);
    const third = await s.fetch("/v1/genres", bearer(k.key));
    expect([third.status, third.headers.get("retry-after"), third.body.detail.includes("burst")]).toEqual([429, "1", true]);
    s.advance(1);
    expect((await s.fetch("/v1/genres", bearer(k.key))).status).toBe(200);
  });

  it("/v1/query calls have their own daily count", async () => {
    const s = server({ anonymous: { daily: 1000, queries: 2, burst: 1000 } });
    const me = fromIp();
    const q = () => s.fetch("/v1/query", { method: "POST", headers: { ...me.headers, "Content-Type": "application/json" }, body: '{"query":"cowboy bebop"}' });
    expect((await q()).status).toBe(200);
    expect((await q()).status).toBe(200);
    const third = await q();
    expect([third.status, third.body.detail.includes("queries")]).toEqual([429, true]);
    expect((await s.fetch("/v1/genres", me)).status).toBe(200);
  });
});

describe("the queries budget", () => {
  it("image and multimodal searches spend it like /v1/query (one budget for the three)", async () => {
    const s = server({ anonymous: { daily: 1000, queries: 2, burst: 1000 } });
    const me = fromIp();
    const post = (path: string, body: string) => s.fetch(path, { method: "POST", headers: { ...me.headers, "Content-Type": "application/json" }, body });
    expect((await post("/v1/query", '{"query":"cowboy bebop"}')).status).toBe(200);
    // A refused body still spent its unit: the limiter runs before the handler reads it.
    expect((await post("/v1/search/image", "{}")).status).toBe(400);
    const third = await post("/v1/search/multimodal", "{}");
    expect([third.status, third.body.code, third.body.detail.includes("queries")]).toEqual([429, "rate_limited", true]);
    expect((await post("/v1/search/image", "{}")).status).toBe(429);
    expect((await s.fetch("/v1/genres", me)).status).toBe(200);
  });
});

describe("keys: changes apply on the next request", () => {
  it("revocation: the next request (even of a cached route, with units leased) is 401", async () => {
    const s = server({ free: { daily: 100, burst: 1000 } });
    const k = await s.newKey();
    for (let i = 0; i < 6; i++) expect((await s.fetch("/v1/anime/1", bearer(k.key))).status).toBe(200);
    await s.fetch(`/v1/admin/keys/${k.id}`, { method: "DELETE", headers: adminHeaders });
    const after = await s.fetch("/v1/anime/1", bearer(k.key));
    expect([after.status, after.body.code, after.body.detail]).toEqual([401, "invalid_api_key", "The API key was revoked."]);
  });

  it("tier change: the next response carries the new tier's policy", async () => {
    const s = server({ free: { daily: 100, burst: 1000 } });
    const k = await s.newKey("free");
    for (let i = 0; i < 6; i++) expect((await s.fetch("/v1/genres", bearer(k.key))).headers.get("ratelimit-policy")).toContain('"daily";q=100;');
    await s.fetch(`/v1/admin/keys/${k.id}`, { method: "PATCH", headers: adminHeaders, body: JSON.stringify({ tier: "premium" }) });
    expect((await s.fetch("/v1/genres", bearer(k.key))).headers.get("ratelimit-policy")).toContain(`"daily";q=${DEFAULT_LIMITS.premium.daily};`);
  });
});

describe("refused keys → 401 problem+json", () => {
  it.each([
    ["malformed Bearer", { headers: { Authorization: "Bearer abc" } }, "/v1/genres"],
    ["malformed X-API-Key", { headers: { "X-API-Key": "ksk_short" } }, "/v1/genres"],
    ["unknown key", { headers: { Authorization: `Bearer ksk_${"A".repeat(32)}` } }, "/v1/genres"],
    ["key in the query string", {}, "/v1/genres?api_key=ksk_" + "A".repeat(32)],
  ])("%s", async (_label, init, path) => {
    const r = await server({}).fetch(path, init as RequestInit);
    expect([r.status, r.body.code]).toEqual([401, "invalid_api_key"]);
    expect(r.headers.get("content-type")).toMatch(/problem\+json/);
    expect(r.body.request_id).toBe(r.headers.get("x-request-id"));
  });
});

describe("headers on every response", () => {
  it("success, cached hit and error alike carry RateLimit and RateLimit-Policy", async () => {
    const s = server({ anonymous: { daily: 50, queries: 5, burst: 10 } });
    const me = fromIp();
    for (const path of ["/v1/anime/2", "/v1/anime/2", "/v1/anime/99999999", "/v1/anime?limit=0"]) {
      const r = await s.fetch(path, me);
      expect(r.headers.get("ratelimit-policy"), path).toBe('"daily";q=50;w=86400, "queries";q=5;w=86400, "burst";q=10;w=1');
      expect(r.headers.get("ratelimit"), path).toMatch(/^"(daily|burst|queries)";r=\d+;t=\d+$/);
    }
  });
});

describe("GET /v1/me and /v1/me/usage", () => {
  it("name the key, tier, limits, today's usage (this request included) and the reset time", async () => {
    const s = server({ free: { daily: 100, burst: 1000 } }, Date.UTC(2030, 5, 1, 10));
    const k = await s.newKey("free");
    await s.fetch("/v1/genres", bearer(k.key));
    const me = await s.fetch("/v1/me", bearer(k.key));
    expect(me.status).toBe(200);
    expect(me.body).toMatchObject({ tier: "free", key: { id: k.id, name: "limits test", prefix: k.prefix }, usage: { day: "2030-06-01", requests: 2, queries: 0 }, reset_at: "2030-06-02T00:00:00.000Z" });
    expect(me.body.limits.find((l: any) => l.name === "daily")).toMatchObject({ limit: 100, remaining: 98 });
    expect(me.headers.get("cache-control")).toBe("private, no-store");
  });

  it("an exhausted key is still told where it stands: 200, today's usage at the limit, nothing remaining", async () => {
    const s = server({ free: { daily: 3, burst: 1000 } }, Date.UTC(2030, 5, 1, 10));
    const k = await s.newKey("free");
    for (let i = 0; i < 3; i++) expect((await s.fetch("/v1/genres", bearer(k.key))).status).toBe(200);
    expect((await s.fetch("/v1/genres", bearer(k.key))).status).toBe(429);
    for (const path of ["/v1/me", "/v1/me"]) {
      const me = await s.fetch(path, bearer(k.key));
      expect(me.status).toBe(200);
      expect(me.body.usage).toMatchObject({ requests: 3 });
      expect(me.body.limits.find((l: any) => l.name === "daily")).toMatchObject({ limit: 3, remaining: 0 });
      expect(me.headers.get("ratelimit")).toMatch(/^"daily";r=0;/);
    }
    const usage = await s.fetch("/v1/me/usage", bearer(k.key));
    expect([usage.status, usage.body.data[0].requests]).toEqual([200, 3]);
    // …and reading it does not reopen the day for anything else.
    expect((await s.fetch("/v1/genres", bearer(k.key))).status).toBe(429);
  });

  it("an exhausted anonymous caller too; the burst limit alone still refuses /v1/me", async () => {
    const s = server({ anonymous: { daily: 2, burst: 3 } });
    const me = fromIp();
    for (let i = 0; i < 2; i++) await s.fetch("/v1/genres", me);
    expect((await s.fetch("/v1/genres", me)).status).toBe(429);
    const statuses: number[] = [];
    for (let i = 0; i < 4; i++) statuses.push((await s.fetch("/v1/me", me)).status);
    expect(statuses).toEqual([200, 429, 429, 429]); // 3 burst tokens: two spent by /v1/genres, one by /v1/me
    s.advance(1);
    const later = await s.fetch("/v1/me", me);
    expect([later.status, later.body.usage.requests]).toEqual([200, 2]);
  });

  it("anonymous callers see the anonymous tier", async () => {
    const r = await server({}).fetch("/v1/me", fromIp());
    expect([r.body.tier, r.body.key]).toEqual(["anonymous", null]);
  });

  it("usage: today live, earlier days from the D1 roll-up", async () => {
    const s = server({ free: { daily: 100, burst: 1000 } }, Date.UTC(2030, 6, 1, 10));
    const k = await s.newKey("free");
    await env.DB.prepare("INSERT INTO usage_daily (subject, day, requests, queries) VALUES (?1, '2030-06-30', 7, 1)").bind(`key:${k.id}`).run();
    await s.fetch("/v1/genres", bearer(k.key));
    const u = await s.fetch("/v1/me/usage", bearer(k.key));
    expect(u.body.data).toEqual([
      { day: "2030-07-01", requests: 2, queries: 0 },
      { day: "2030-06-30", requests: 7, queries: 1 },
    ]);
  });
});

describe("usage roll-up", () => {
  it("a day that ended before the roll-up ran is still written", async () => {
    const s = server({ anonymous: { daily: 1000, burst: 1000 } }, Date.UTC(2030, 2, 1, 23, 59, 30), 0);
    const me = fromIp();
    for (let i = 0; i < 3; i++) await s.fetch("/v1/genres", me);
    s.set(Date.UTC(2030, 2, 2, 0, 0, 10));
    await s.fetch("/v1/genres", me);
    const name = `ip:${me.headers["CF-Connecting-IP"]}`;
    const { runDurableObjectAlarm } = await import("cloudflare:test");
    expect(await runDurableObjectAlarm(env.QUOTA.get(env.QUOTA.idFromName(name)))).toBe(true);
    const { results } = await env.DB.prepare("SELECT day, requests FROM usage_daily WHERE subject = ?1 ORDER BY day").bind(name).all();
    expect(results).toEqual([{ day: "2030-03-01", requests: 3 }, { day: "2030-03-02", requests: 1 }]);
  });

  it("the quota object's alarm writes the day's counters to D1", async () => {
    const s = server({ anonymous: { burst: 1000 } }, Date.now());
    const me = fromIp();
    for (let i = 0; i < 3; i++) expect((await s.fetch("/v1/genres", me)).status).toBe(200);
    const name = `ip:${me.headers["CF-Connecting-IP"]}`;
    const { runDurableObjectAlarm } = await import("cloudflare:test");
    expect(await runDurableObjectAlarm(env.QUOTA.get(env.QUOTA.idFromName(name)))).toBe(true);
    const row = await env.DB.prepare("SELECT requests FROM usage_daily WHERE subject = ?1").bind(name).first<{ requests: number }>();
    expect(row?.requests).toBe(3);
  });
});
