import { describe, expect, it } from "vitest";
import { env } from "cloudflare:workers";
import { CatalogInvalidator, currentGeneration, forgetGeneration, KEY_WRITE_INTERVAL_MS, latestGeneration } from "../../src/cache/generation";
import { ResponseCache } from "../../src/cache/response-cache";
import { TieredCache } from "../../src/cache/tiered-cache";
import { cacheTiers } from "../../src/cache/tiers";
import { generationKeys } from "../../src/cache/keys";
import { clock } from "./helpers";

const GEN_KEY = "meta:catalog-generation";
const EPOCH_KEY = "meta:catalog-epoch";

interface Put {
  key: string;
  value: string;
  at: number;
  ok: boolean;
}

/**
 * The test KV binding itself, its puts recorded (and failed on request, before reaching
 * KV): the real binding, counted — not a fake.
 */
function recordedKv(fail: (key: string, n: number) => boolean = () => false) {
  const puts: Put[] = [];
  const deletes: string[] = [];
  let failDeletes = false;
  const kv = new Proxy(env.CACHE, {
    get(target, prop) {
      if (prop === "put")
        return async (key: string, value: string, options?: KVNamespacePutOptions) => {
          const ok = !fail(key, puts.filter((p) => p.key === key).length);
          puts.push({ key, value, at: Date.now(), ok });
          if (!ok) throw new Error(`injected failure of a put of ${key}`);
          return target.put(key, value, options);
        };
      if (prop === "delete")
        return async (key: string) => {
          deletes.push(key);
          if (failDeletes) throw new Error("injected failure of a delete");
          return target.delete(key);
        };
      const v = Reflect.get(target, prop);
      return typeof v === "function" ? v.bind(target) : v;
    },
  });
  return { kv, puts, deletes, of: (key: string) => puts.filter((p) => p.key === key), failDeletes: (on: boolean) => void (failDeletes = on) };
}

/** Each key's puts start at least `ms` apart. */
function expectPaced(puts: Put[], ms: number) {
  for (const key of new Set(puts.map((p) => p.key))) {
    const at = puts.filter((p) => p.key === key).map((p) => p.at);
    for (let i = 1; i < at.length; i++) expect(at[i] - at[i - 1], `${key} put ${i}`).toBeGreaterThanOrEqual(ms);
  }
}

describe("the catalog generation is written to KV at most once a second", () => {
  it("ten rapid bumps: each changes the generation read here at once; KV gets at most two writes, the trailing one with the last bump", async () => {
    const { kv, of, puts } = recordedKv();
    const invalidator = new CatalogInvalidator(kv, { redeleteAfterMs: 0 });
    const before = await latestGeneration(env.CACHE);
    const seen = new Set<string>();
    for (let i = 0; i < 10; i++) seen.add((await invalidator.changed([])).gen);
    expect(seen.size).toBe(10);
    await invalidator.settled();
    const writes = of(GEN_KEY);
    expect(writes.length).toBeGreaterThanOrEqual(1);
    expect(writes.length).toBeLessThanOrEqual(2);
    expectPaced(puts, KEY_WRITE_INTERVAL_MS);
    const after = await latestGeneration(env.CACHE);
    expect(after.gen).not.toBe(before.gen);
    expect(after.gen).toBe(writes.at(-1)!.value);
    // KV holds the last bump: this isolate reads exactly what KV holds again.
    expect((await currentGeneration(env.CACHE, Date.now()))!.gen).toBe(after.gen);
    expect(of(EPOCH_KEY)).toEqual([]);
  });

  it("bumps spread over 2.5 s: writes a second apart, never more often", async () => {
    const { kv, of, puts } = recordedKv();
    const invalidator = new CatalogInvalidator(kv, { redeleteAfterMs: 0 });
    for (let i = 0; i < 10; i++) {
      await invalidator.changed([]);
      await new Promise((r) => setTimeout(r, 250));
    }
    await invalidator.settled();
    expectPaced(puts, KEY_WRITE_INTERVAL_MS);
    expect(of(GEN_KEY).length).toBeGreaterThanOrEqual(2);
    expect(of(GEN_KEY).length).toBeLessThanOrEqual(4);
    expect((await latestGeneration(env.CACHE)).gen).toBe(of(GEN_KEY).at(-1)!.value);
  });

  it("bumps from several invalidators of one isolate (requests) share the pacing", async () => {
    const { kv, of, puts } = recordedKv();
    const many = Array.from({ length: 5 }, () => new CatalogInvalidator(kv, { redeleteAfterMs: 0 }));
    await Promise.all(many.map((i) => i.changed([])));
    await Promise.all(many.map((i) => i.settled()));
    expect(of(GEN_KEY).length).toBeLessThanOrEqual(2);
    expectPaced(puts, KEY_WRITE_INTERVAL_MS);
  });

  it("bulk bumps: the epoch is written before the generation, each key at most once a second", async () => {
    const { kv, puts } = recordedKv();
    const invalidator = new CatalogInvalidator(kv, { redeleteAfterMs: 0 });
    for (let i = 0; i < 5; i++) await invalidator.purgeAll();
    await invalidator.settled();
    const keys = puts.map((p) => p.key);
    expect(keys.length).toBeGreaterThanOrEqual(2);
    expect(keys.length).toBeLessThanOrEqual(4);
    for (let i = 0; i < keys.length; i += 2) expect(keys.slice(i, i + 2)).toEqual([EPOCH_KEY, GEN_KEY]);
    expectPaced(puts, KEY_WRITE_INTERVAL_MS);
    const kvNow = await latestGeneration(env.CACHE);
    expect([kvNow.epoch, kvNow.gen]).toEqual([puts.at(-2)!.value, puts.at(-1)!.value]);
  });
});

describe("while the write trails, this isolate serves nothing from before the write", () => {
  it("a cached list is a miss with the new value at once, also past MEMO_MS (KV still holding the old generation)", async () => {
    const c = clock();
    const invalidator = new CatalogInvalidator(env.CACHE, { now: c.now, redeleteAfterMs: 0 });
    await invalidator.changed([]);
    await invalidator.settled(); // KV was just written: the next bump trails
    const pending: Promise<unknown>[] = [];
    const cache = new ResponseCache(new TieredCache(cacheTiers(env.CACHE), c.now, (p) => pending.push(p)), env.CACHE, c.now);
    let version = "v1";
    const load = async () => ({ version });
    const params = { case: "trailing" };
    expect((await cache.list("browse", params, load)).read.tier).toBe("MISS");
    expect((await cache.list("browse", params, load)).read.tier).toBe("L0");
    await Promise.all(pending.splice(0));
    const stored = await latestGeneration(env.CACHE);
    expect(await env.CACHE.get((await generationKeys(stored, "browse", params)).shared)).not.toBeNull(); // in L2 under KV's generation

    version = "v2";
    await invalidator.changed([]);
    expect((await latestGeneration(env.CACHE)).gen).toBe(stored.gen); // not in KV yet
    c.advance(5); // past MEMO_MS: the generation is read from KV again, which still holds the old one
    const after = await cache.list("browse", params, load);
    expect([after.read.tier, after.value]).toEqual(["MISS", { version: "v2" }]);
    expect((await cache.list("browse", params, load)).read.tier).toBe("L0");
    await Promise.all(pending.splice(0));
    // Read under a generation KV does not hold: kept in this isolate's L0, out of L1/L2.
    const unsent = (await currentGeneration(env.CACHE, c.now()))!;
    expect(unsent.gen.startsWith(`${stored.gen}.`)).toBe(true);
    expect(await env.CACHE.get((await generationKeys(unsent, "browse", params)).shared)).toBeNull();

    await invalidator.settled();
    const landed = await latestGeneration(env.CACHE);
    expect(landed.gen).not.toBe(stored.gen);
    expect((await currentGeneration(env.CACHE, c.now()))!.gen).toBe(landed.gen);
    const fresh = await cache.list("browse", params, load);
    expect([fresh.read.tier, fresh.value]).toEqual(["MISS", { version: "v2" }]);
  });
});

describe("a failed write is retried, not skipped", () => {
  it("two failing puts, then the third lands; nothing reported", async () => {
    const { kv, of } = recordedKv((key, n) => key === GEN_KEY && n < 2);
    const warned: string[] = [];
    const invalidator = new CatalogInvalidator(kv, { redeleteAfterMs: 0, writeIntervalMs: 20, retryBackoffMs: 20, warn: (e) => void warned.push(e) });
    await invalidator.changed([]);
    await invalidator.settled();
    expect(of(GEN_KEY).map((p) => p.ok)).toEqual([false, false, true]);
    expect((await latestGeneration(env.CACHE)).gen).toBe(of(GEN_KEY)[2].value);
    expect(warned).toEqual([]);
  });

  it("puts failing past the retries are reported; this isolate keeps the bump, and the next bump's write carries it", async () => {
    let down = true;
    const { kv, of } = recordedKv((key) => key === GEN_KEY && down);
    const warned: { event: string; fields: Record<string, unknown> }[] = [];
    const invalidator = new CatalogInvalidator(kv, { redeleteAfterMs: 0, writeIntervalMs: 20, retryBackoffMs: 20, writeRetries: 2, warn: (event, fields) => void warned.push({ event, fields }) });
    const before = await latestGeneration(env.CACHE);
    await invalidator.changed([]);
    await invalidator.settled();
    expect(of(GEN_KEY).map((p) => p.ok)).toEqual([false, false, false]);
    expect(warned).toEqual([{ event: "cache.generation_write_failed", fields: expect.objectContaining({ key: GEN_KEY, attempts: 3 }) }]);
    expect((await latestGeneration(env.CACHE)).gen).toBe(before.gen);
    forgetGeneration(); // read KV afresh: it still holds the old generation, this isolate does not use it
    expect((await currentGeneration(env.CACHE, Date.now()))!.gen).not.toBe(before.gen);

    down = false;
    await invalidator.changed([]);
    await invalidator.settled();
    const landed = await latestGeneration(env.CACHE);
    expect(landed.gen).not.toBe(before.gen);
    expect(landed.gen).toBe(of(GEN_KEY).at(-1)!.value);
    expect((await currentGeneration(env.CACHE, Date.now()))!.gen).toBe(landed.gen);
  });

  it("entity keys that cannot be deleted are retired with an epoch bump instead", async () => {
    const { kv, of, failDeletes } = recordedKv();
    const warned: string[] = [];
    const invalidator = new CatalogInvalidator(kv, { redeleteAfterMs: 0, writeIntervalMs: 0, warn: (e) => void warned.push(e) });
    const before = await latestGeneration(env.CACHE);
    await invalidator.changed([5, 6]);
    await invalidator.settled();
    expect(of(EPOCH_KEY)).toEqual([]); // a small write deletes keys, leaves the epoch
    failDeletes(true);
    await invalidator.changed([5, 6]);
    await invalidator.settled();
    expect(warned).toEqual(["cache.invalidation_escalated"]);
    const after = await latestGeneration(env.CACHE);
    expect(after.epoch).not.toBe(before.epoch);
    expect(after.epoch).toBe(of(EPOCH_KEY).at(-1)!.value);
  });
});
