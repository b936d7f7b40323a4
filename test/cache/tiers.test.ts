import { beforeAll, describe, expect, it } from "vitest";
import { env } from "cloudflare:workers";
import { adminHeaders, fixtureEntries, importEntries, importFixture, invalidateCache } from "../helpers";
import { clearL0, clearL1Anime, clock, get } from "./helpers";
import { animeKeys } from "../../src/cache/keys";
import { latestGeneration } from "../../src/cache/generation";

beforeAll(async () => {
  await importFixture();
});

describe("tier sequence of GET /v1/anime/{id}", () => {
  it("MISS → L0 → L1 → L2 → MISS as each faster tier is emptied", async () => {
    const c = clock();
    await invalidateCache([6]); // a new generation and no L2 entry for anime 6
    const seq: (string | null)[] = [];
    seq.push((await get(c.now, "/v1/anime/6")).tier);
    seq.push((await get(c.now, "/v1/anime/6")).tier);
    clearL0();
    seq.push((await get(c.now, "/v1/anime/6")).tier);
    clearL0();
    await clearL1Anime(c.now(), 6);
    seq.push((await get(c.now, "/v1/anime/6")).tier);
    clearL0();
    await clearL1Anime(c.now(), 6);
    await env.CACHE.delete(animeKeys(await latestGeneration(env.CACHE), 6).shared);
    seq.push((await get(c.now, "/v1/anime/6")).tier);
    expect(seq).toEqual(["MISS", "L0", "L1", "L2", "MISS"]);
  });

  it("a hit copies the value into the faster tiers", async () => {
    const c = clock();
    await invalidateCache([7]);
    await get(c.now, "/v1/anime/7");
    clearL0();
    await clearL1Anime(c.now(), 7);
    expect((await get(c.now, "/v1/anime/7")).tier).toBe("L2");
    expect((await get(c.now, "/v1/anime/7")).tier).toBe("L0");
    clearL0();
    expect((await get(c.now, "/v1/anime/7")).tier).toBe("L1");
  });

  it("says so in Cache-Status (RFC 9211), Age and Cache-Control", async () => {
    const c = clock();
    await invalidateCache([8]);
    const miss = await get(c.now, "/v1/anime/8");
    expect(miss.res.headers.get("cache-status")).toBe("kensho; fwd=miss; stored");
    c.advance(3);
    const hit = await get(c.now, "/v1/anime/8");
    expect(hit.res.headers.get("cache-status")).toMatch(/^kensho; hit; ttl=\d+; detail=L0$/);
    expect(hit.res.headers.get("age")).toBe("3");
    expect(hit.res.headers.get("cache-control")).toBe("public, max-age=60, s-maxage=60, stale-while-revalidate=60");
  });
});

describe("after an update the new value is served at every tier", () => {
  it("anime, list and search", async () => {
    const c = clock();
    const bebop = fixtureEntries.find((e) => e.title === "Cowboy Bebop")!;
    const paths = ["/v1/anime/1", "/v1/anime?genres=Sci-Fi&year_from=1998&year_to=1998", "/v1/search?q=bebop&mode=keyword"];
    for (const p of paths) {
      await get(c.now, p);
      expect((await get(c.now, p)).tier).toBe("L0");
    }
    await importEntries(env.DB, [{ ...bebop, title: "Cowboy Bebop Renewed" }], { source: "update" });
    const titleIn = (body: any) => JSON.stringify(body).includes("Cowboy Bebop Renewed");
    for (const p of paths) {
      const first = await get(c.now, p);
      expect(titleIn(first.body), `${p} first read (${first.tier})`).toBe(true);
      const l0 = await get(c.now, p);
      expect([l0.tier, titleIn(l0.body)], p).toEqual(["L0", true]);
      clearL0();
      const l1 = await get(c.now, p);
      expect([l1.tier, titleIn(l1.body)], p).toEqual(["L1", true]);
    }
    clearL0();
    await clearL1Anime(c.now(), 1);
    const l2 = await get(c.now, "/v1/anime/1");
    expect([l2.tier, l2.body.title]).toEqual(["L2", "Cowboy Bebop Renewed"]);
    await importEntries(env.DB, [bebop], { source: "restore" });
    expect((await get(c.now, "/v1/anime/1")).body.title).toBe("Cowboy Bebop");
  });
});

describe("nothing caller-specific is cached", () => {
  it("two callers of a cached route each get their own request id", async () => {
    const c = clock();
    const a = await get(c.now, "/v1/anime/1", { headers: { "X-Request-ID": "caller-a" } });
    const b = await get(c.now, "/v1/anime/1", { headers: { "X-Request-ID": "caller-b" } });
    expect(b.tier).not.toBe("MISS");
    expect([a.res.headers.get("x-request-id"), b.res.headers.get("x-request-id")]).toEqual(["caller-a", "caller-b"]);
  });

  it("a response that varies by caller (admin, by token) bypasses every cache, ours and downstream", async () => {
    const c = clock();
    const admin = await get(c.now, "/v1/admin/search/index", { headers: adminHeaders });
    expect([admin.status, admin.tier, admin.res.headers.get("cache-control")]).toEqual([200, null, "no-store"]);
    const anonymous = await get(c.now, "/v1/admin/search/index");
    expect(anonymous.status).toBe(401);
  });

  it("explain and fields shape the output of one cached search", async () => {
    const c = clock();
    await invalidateCache([]);
    const explained = await get(c.now, "/v1/search?q=trigun&explain=true");
    const plain = await get(c.now, "/v1/search?q=trigun&fields=id");
    expect([explained.tier, plain.tier]).toEqual(["MISS", "L0"]);
    expect(explained.body.data[0].match.explain).toBeDefined();
    expect(plain.body.data[0].match.explain).toBeUndefined();
    expect(Object.keys(plain.body.data[0]).sort()).toEqual(["id", "match"]);
  });

  it("a 304 still names the tier", async () => {
    const c = clock();
    const first = await get(c.now, "/v1/anime/2");
    const etag = first.res.headers.get("etag")!;
    const ctx = (await import("cloudflare:test")).createExecutionContext();
    const res = await (await import("../../src/app")).createApp({ now: c.now }).fetch(new Request("http://kensho.test/v1/anime/2", { headers: { "If-None-Match": etag } }), env, ctx);
    expect(res.status).toBe(304);
    expect(res.headers.get("x-cache")).toBe("L0");
    expect(res.headers.get("cache-status")).toMatch(/detail=L0/);
  });

  it("a projection (fields) is applied per request to the one cached entity", async () => {
    const c = clock();
    const full = await get(c.now, "/v1/anime/1");
    const slim = await get(c.now, "/v1/anime/1?fields=id,title");
    expect(slim.tier).toBe("L0");
    expect(Object.keys(slim.body).sort()).toEqual(["id", "title"]);
    expect(Object.keys(full.body).length).toBeGreaterThan(5);
  });

  it("/v1/random is never cached", async () => {
    const c = clock();
    const r = await get(c.now, "/v1/random");
    expect(r.tier).toBeNull();
    expect(r.res.headers.get("cache-control")).toBe("no-store");
  });
});

describe("normalised keys", () => {
  it("the same query in another parameter order, or with defaults spelled out, is one key", async () => {
    const c = clock();
    await invalidateCache([]);
    expect((await get(c.now, "/v1/anime?genres=Action&year_from=2000")).tier).toBe("MISS");
    expect((await get(c.now, "/v1/anime?year_from=2000&genres=Action")).tier).toBe("L0");
    expect((await get(c.now, "/v1/anime?year_from=2000&genres=Action&sort=score&limit=20&include_orphaned=false")).tier).toBe("L0");
  });
});

describe("admin purge", () => {
  it("retires every cached value, entities included; needs the admin token", async () => {
    const c = clock();
    await get(c.now, "/v1/anime/9");
    expect((await get(c.now, "/v1/anime/9")).tier).toBe("L0");
    const denied = await get(c.now, "/v1/admin/cache/purge", { method: "POST", headers: { "Content-Type": "application/json" }, body: "{}" });
    expect(denied.status).toBe(401);
    const purged = await get(c.now, "/v1/admin/cache/purge", { method: "POST", headers: adminHeaders, body: "{}" });
    expect(purged.status).toBe(200);
    expect((await get(c.now, "/v1/anime/9")).tier).toBe("MISS");
  });
});

describe("a value loaded before a write is not stored after it", () => {
  it("through ResponseCache: a write during the load keeps the value out of L1 and L2", async () => {
    const c = clock();
    await invalidateCache([]);
    const pending: Promise<unknown>[] = [];
    const { ResponseCache } = await import("../../src/cache/response-cache");
    const { TieredCache } = await import("../../src/cache/tiered-cache");
    const { isolateMemory } = await import("../../src/cache/memory-tier");
    const { CacheApiTier } = await import("../../src/cache/cache-api-tier");
    const { KvTier } = await import("../../src/cache/kv-tier");
    const cache = new ResponseCache(new TieredCache([isolateMemory, new CacheApiTier(caches.default), new KvTier(env.CACHE)], c.now, (p) => pending.push(p)), env.CACHE, c.now);
    const g = await latestGeneration(env.CACHE);
    await cache.anime(12, async () => {
      await invalidateCache([12]); // the write lands while this read is loading
      return { id: 12, title: "loaded before the write" };
    });
    await Promise.all(pending);
    const keys = animeKeys(g, 12);
    expect(await env.CACHE.get(keys.shared)).toBeNull();
    expect(await caches.default.match(new Request(`https://cache.kensho.internal/${encodeURIComponent(keys.local)}`))).toBeUndefined();
  });

  it("a miss whose generation changed before its shared-tier store leaves L1 and L2 empty", async () => {
    const c = clock();
    await invalidateCache([10]);
    const g = await latestGeneration(env.CACHE);
    // Simulates a write landing between this request's D1 read and its store: the guard
    // reads the generation after the response, so bump it inside the same request.
    const { TieredCache } = await import("../../src/cache/tiered-cache");
    const { isolateMemory } = await import("../../src/cache/memory-tier");
    const { CacheApiTier } = await import("../../src/cache/cache-api-tier");
    const { KvTier } = await import("../../src/cache/kv-tier");
    const pending: Promise<unknown>[] = [];
    const tiered = new TieredCache([isolateMemory, new CacheApiTier(caches.default), new KvTier(env.CACHE)], c.now, (p) => pending.push(p));
    const keys = animeKeys(g, 10);
    await tiered.read(keys, async () => ({ value: '{"title":"old"}', status: 200, policy: { fresh: 60, swr: 0 } }), async () => false);
    await Promise.all(pending);
    expect(await env.CACHE.get(keys.shared)).toBeNull();
    expect(await caches.default.match(new Request(`https://cache.kensho.internal/${encodeURIComponent(keys.local)}`))).toBeUndefined();
  });
});
