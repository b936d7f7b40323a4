import { beforeAll, describe, expect, it } from "vitest";
import { env } from "cloudflare:workers";
import { createExecutionContext, createScheduledController, waitOnExecutionContext } from "cloudflare:test";
import { importFixture, invalidateCache, sqlCount } from "../helpers";
import { clearL0, clock, get } from "./helpers";
import { runScheduled, JOBS } from "../../src/scheduled";
import { latestGeneration } from "../../src/cache/generation";
import { CachedEmbedder } from "../../src/search/embedder/cached";
import { LocalEmbedder } from "../../src/search/embedder/local";

beforeAll(async () => {
  await importFixture();
});

describe("TTL expiry (injected clock)", () => {
  it("fresh → L0 expires after 10 s → stale served while refreshed → past the hard limit a miss", async () => {
    const c = clock(Date.UTC(2030, 0, 1));
    await invalidateCache([]);
    const path = "/v1/anime?type=TV&limit=3";
    expect((await get(c.now, path)).tier).toBe("MISS");
    c.advance(5);
    expect((await get(c.now, path)).tier).toBe("L0");
    c.advance(6); // 11 s: past L0's own 10 s cap, the list (60 s fresh) is still fresh in L1
    const l1 = await get(c.now, path);
    expect(l1.tier).toBe("L1");
    expect(l1.res.headers.get("cache-status")).toMatch(/detail=L1$/);
    c.advance(60); // 71 s: stale (fresh 60 s), within stale-while-revalidate (540 s)
    clearL0();
    const stale = await get(c.now, path);
    expect(stale.res.headers.get("cache-status")).toMatch(/detail=L1-stale$/);
    clearL0();
    const refreshed = await get(c.now, path); // the background refresh rewrote every tier
    expect(refreshed.tier).toBe("L1");
    expect(refreshed.res.headers.get("age")).toBe("0");
    c.advance(601); // past the refreshed record's hard limit (60 + 540 s)
    clearL0();
    expect((await get(c.now, path)).tier).toBe("MISS");
  });

  it("a 404 is cached for seconds only", async () => {
    const c = clock(Date.UTC(2030, 0, 2));
    await invalidateCache([]);
    const first = await get(c.now, "/v1/anime/987654");
    expect([first.status, first.tier]).toEqual([404, "MISS"]);
    expect(first.res.headers.get("content-type")).toMatch(/problem\+json/);
    const again = await get(c.now, "/v1/anime/987654");
    expect([again.status, again.tier, again.res.headers.get("cache-control")]).toEqual([404, "L0", "public, max-age=5, s-maxage=5"]);
    expect(again.body.request_id).toBe(again.res.headers.get("x-request-id"));
    c.advance(6);
    clearL0();
    expect((await get(c.now, "/v1/anime/987654")).tier).toBe("MISS");
  });
});

describe("KV (L2) keeps what lives a minute or more, never less", () => {
  it("a 404 is not written to KV; a list is, with an expiry of at least 60 s", async () => {
    const c = clock();
    await invalidateCache([]);
    const { gen } = await latestGeneration(env.CACHE);
    await get(c.now, "/v1/anime/lookup?site=myanimelist&id=99999999");
    await get(c.now, "/v1/anime?type=MOVIE&limit=2");
    const keys = (await env.CACHE.list({ prefix: `g${gen}:` })).keys;
    expect(keys.some((k) => k.name.includes(":lookup:"))).toBe(false);
    const list = keys.find((k) => k.name.includes(":browse:"))!;
    expect(list.expiration! * 1000).toBeGreaterThanOrEqual(Date.now() + 59_000);
  });
});

describe("curated lists", () => {
  it("the hourly cron precomputes them into the cache; requests are then served without D1", async () => {
    await invalidateCache([]);
    const ctx = createExecutionContext();
    await runScheduled(createScheduledController({ scheduledTime: Date.now(), cron: JOBS.curatedLists.cron }), env, ctx);
    await waitOnExecutionContext(ctx);
    clearL0();
    const c = clock();
    for (const path of ["/v1/top", "/v1/popular", "/v1/seasons/now", "/v1/seasons/upcoming"]) {
      const r = await get(c.now, path);
      expect([r.status, r.tier], path).toEqual([200, "L1"]);
    }
    // …and in KV (L2), under the current generation.
    const { gen } = await latestGeneration(env.CACHE);
    const stored = await env.CACHE.list({ prefix: `g${gen}:curated:` });
    expect(stored.keys.map((k) => k.name.split(":")[2]).sort()).toEqual(["popular", "season-now", "top", "upcoming"]);
  });

  it("popular is the most notable aired active anime, paged with a cursor to the end (top: test/curated-top.test.ts)", async () => {
    const c = clock();
    const seen: number[] = [];
    let cursor: string | null = null;
    do {
      const r: any = await get(c.now, `/v1/popular?limit=50&fields=id${cursor ? `&cursor=${cursor}` : ""}`);
      expect(r.status).toBe(200);
      seen.push(...r.body.data.map((d: any) => d.id));
      cursor = r.body.next_cursor;
    } while (cursor);
    const listed = "FROM anime WHERE system_status = 'ACTIVE' AND status <> 'UPCOMING' AND NOT EXISTS (SELECT 1 FROM anime_genre g WHERE g.anime_id = anime.id AND g.genre_key = 'hentai')";
    const count = await sqlCount(`SELECT count(*) AS n ${listed}`);
    expect(count).toBeGreaterThan(200);
    expect(seen.length).toBe(200);
    expect(new Set(seen).size).toBe(seen.length);
    const best = await env.DB.prepare(`SELECT id ${listed} ORDER BY popularity DESC, id LIMIT 5`).all<{ id: number }>();
    expect(seen.slice(0, 5)).toEqual(best.results.map((r) => r.id));
  });

  it("seasons/now follows the clock: spring 1998 holds Cowboy Bebop", async () => {
    const c = clock(Date.UTC(1998, 4, 1));
    const r = await get(c.now, "/v1/seasons/now?limit=100&fields=title,season");
    expect(r.body.season).toEqual({ season: "SPRING", year: 1998 });
    expect(r.body.data.map((d: any) => d.title)).toContain("Cowboy Bebop");
    for (const d of r.body.data) expect(d.season).toEqual({ season: "SPRING", year: 1998 });
  });

  it("a bad cursor is a 400", async () => {
    const r = await get(clock().now, "/v1/top?cursor=nope");
    expect([r.status, r.body.code]).toEqual([400, "invalid_cursor"]);
  });
});

describe("query embeddings cached in KV by model and text hash", () => {
  it("a text asked once is never written; from its second embedding on it comes from KV, equal to f32 precision", async () => {
    let calls = 0;
    const local = new LocalEmbedder();
    const counting = { ...local, model: `count-${Date.now()}`, dimensions: local.dimensions, maxBatch: local.maxBatch, embed: (t: string[]) => ((calls += t.length), local.embed(t)) };
    const deferred: Promise<unknown>[] = [];
    const cached = new CachedEmbedder(counting, env.CACHE, (p) => void deferred.push(p));
    const keys = async () => (await env.CACHE.list({ prefix: `emb:${counting.model}:` })).keys.length;
    const [a] = await cached.embed(["space bounty hunters"]);
    await Promise.all(deferred);
    expect(await keys()).toBe(0);
    const [b, c2] = await cached.embed(["space bounty hunters", "giant robots"]);
    await Promise.all(deferred);
    expect(calls).toBe(3);
    expect(await keys()).toBe(1); // bounty hunters, asked twice; not the robots
    const [again] = await cached.embed(["space bounty hunters"]);
    expect(calls).toBe(3); // from KV
    again.forEach((x, i) => expect(x).toBeCloseTo(a[i], 6));
    b.forEach((x, i) => expect(x).toBeCloseTo(a[i], 6));
    expect(c2).toHaveLength(local.dimensions);
  });
});
