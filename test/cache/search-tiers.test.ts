import { beforeAll, describe, expect, it } from "vitest";
import { env } from "cloudflare:workers";
import { importFixture, invalidateCache } from "../helpers";
import { clearL0, clock, get } from "./helpers";
import { latestGeneration } from "../../src/cache/generation";
import { ResponseCache } from "../../src/cache/response-cache";
import { TieredCache } from "../../src/cache/tiered-cache";
import { isolateMemory } from "../../src/cache/memory-tier";
import { CacheApiTier } from "../../src/cache/cache-api-tier";
import { KvTier } from "../../src/cache/kv-tier";

beforeAll(async () => {
  await importFixture();
});

/** The test KV binding with its calls counted by kind (the real binding, counted). */
function countedKv() {
  const calls: string[] = [];
  const kv = new Proxy(env.CACHE, {
    get(target, prop) {
      const v = Reflect.get(target, prop);
      if (typeof v !== "function") return v;
      return (...args: unknown[]) => {
        calls.push(String(prop));
        return (v as (...a: unknown[]) => unknown).apply(target, args);
      };
    },
  });
  return { kv, calls };
}

describe("searches use L0 and L1 only, never KV", () => {
  it("through the route: MISS → L0 → L1, and no KV key under the generation, while a list is written to KV", async () => {
    const c = clock();
    await invalidateCache([]);
    const path = "/v1/search?q=cowboy%20bebop&mode=keyword";
    const seq: (string | null)[] = [];
    seq.push((await get(c.now, path)).tier);
    seq.push((await get(c.now, path)).tier);
    clearL0();
    seq.push((await get(c.now, path)).tier);
    expect(seq).toEqual(["MISS", "L0", "L1"]);
    await get(c.now, "/v1/anime?type=OVA&limit=2");
    const { gen } = await latestGeneration(env.CACHE);
    const keys = (await env.CACHE.list({ prefix: `g${gen}:` })).keys.map((k) => k.name);
    expect(keys.some((k) => k.includes(":browse:"))).toBe(true);
    expect(keys.filter((k) => k.includes(":search:"))).toEqual([]);
  });

  it("through the cache: a search neither reads nor writes KV (first, repeated or refreshed); a list does both", async () => {
    const c = clock();
    await invalidateCache([]);
    const { kv, calls } = countedKv();
    const pending: Promise<unknown>[] = [];
    const cache = new ResponseCache(new TieredCache([isolateMemory, new CacheApiTier(caches.default), new KvTier(kv)], c.now, (p) => pending.push(p)), env.CACHE, c.now);
    const load = async () => ({ hits: [1, 2, 3] });
    const params = { q: `counted ${Date.now()}` };
    for (let i = 0; i < 2; i++) await cache.list("search", params, load, "search");
    clearL0();
    await cache.list("search", params, load, "search"); // from L1
    c.advance(61); // stale: served and refreshed in the background
    clearL0();
    expect((await cache.list("search", params, load, "search")).read.stale).toBe(true);
    await Promise.all(pending.splice(0));
    expect(calls).toEqual([]);
    await cache.list("browse", params, load, "list");
    await Promise.all(pending.splice(0));
    expect(calls).toEqual(["getWithMetadata", "put"]);
  });
});
