import { beforeEach, describe, expect, it } from "vitest";
import { env } from "cloudflare:workers";
import { engine, entry, idOf, jsonl, mal, putRelease, resetSync, syncToEnd, V1 } from "./fixtures";
import { CatalogInvalidator, latestGeneration } from "../../src/cache/generation";

beforeEach(resetSync);

/** 30 new entries: 10 chunks of 3. */
const BIG = [...V1, ...Array.from({ length: 21 }, (_, i) => entry(9100 + i))];

const idsOf = async (entries: { sources: string[] }[]) => (await Promise.all(entries.map((e) => idOf(e.sources[0])))).sort((a, b) => a! - b!);

describe("a sync invalidates the cache once per step, not per chunk", () => {
  it("a step applying ten chunks invalidates once, with every anime they changed", async () => {
    const calls: number[][] = [];
    const run = await syncToEnd(await putRelease("big.jsonl", jsonl(BIG, "2026-02-01")), { invalidate: async (ids) => void calls.push(ids) });
    expect([run.status, run.chunks_total]).toEqual(["succeeded", 10]);
    expect(calls).toHaveLength(1);
    expect([...calls[0]].sort((a, b) => a - b)).toEqual(await idsOf(BIG));
  });

  it("…and so writes the catalog generation to KV once", async () => {
    const puts: string[] = [];
    const kv = new Proxy(env.CACHE, {
      get(target, prop) {
        if (prop === "put") return (key: string, value: string, o?: KVNamespacePutOptions) => (puts.push(key), target.put(key, value, o));
        const v = Reflect.get(target, prop);
        return typeof v === "function" ? v.bind(target) : v;
      },
    });
    const invalidator = new CatalogInvalidator(kv, { redeleteAfterMs: 0 });
    const before = await latestGeneration(env.CACHE);
    await syncToEnd(await putRelease("big.jsonl", jsonl(BIG, "2026-02-01")), { invalidate: async (ids) => void (await invalidator.changed(ids)) });
    await invalidator.settled();
    expect(puts.filter((k) => k === "meta:catalog-generation")).toHaveLength(1);
    expect((await latestGeneration(env.CACHE)).gen).not.toBe(before.gen);
  });

  it("a step failing after committing chunks still invalidates what they changed; the resumed step the rest", async () => {
    const calls: number[][] = [];
    const e = engine({
      invalidate: async (ids) => void calls.push(ids),
      afterChunk: (k) => {
        if (k === 1 && calls.length === 0) throw new Error("injected failure after chunk 1");
      },
    });
    const { run } = await e.begin("test", await putRelease("v1.jsonl", jsonl(V1, "2026-01-03")));
    await expect(e.step(run.id, 60_000)).rejects.toThrow("injected failure");
    expect(calls).toHaveLength(1);
    expect([...calls[0]].sort((a, b) => a - b)).toEqual(await idsOf(V1.slice(0, 6))); // chunks 0 and 1
    while (await e.step(run.id, 60_000));
    expect((await e.get(run.id))!.status).toBe("succeeded");
    expect(calls).toHaveLength(2);
    expect([...calls[1]].sort((a, b) => a - b)).toEqual(await idsOf(V1.slice(6)));
  });

  it("an invalidation that fails is logged; the step and the run go on", async () => {
    const run = await syncToEnd(await putRelease("v1.jsonl", jsonl(V1, "2026-01-03")), { invalidate: async () => Promise.reject(new Error("KV down")) });
    expect(run.status).toBe("succeeded");
    expect(await idOf(mal(9001))).toBeDefined();
  });
});
