import { describe, expect, it } from "vitest";
import { canonical } from "./keys";
import { cacheControl, POLICIES } from "./policies";
import { MemoryTier, L0_TTL_MS } from "./memory-tier";
import { TieredCache } from "./tiered-cache";
import type { CacheRecord, CacheTier } from "./interface";

const rec = (value: string, storedAt = 0): CacheRecord => ({ value, status: 200, storedAt, freshUntil: storedAt + 60_000, staleUntil: storedAt + 600_000 });

describe("canonical keys", () => {
  it("sort parameters and drop undefined ones", () => {
    expect(canonical({ b: 1, a: [2], c: undefined })).toBe(canonical({ a: [2], b: 1 }));
    expect(canonical({ a: 1 })).not.toBe(canonical({ a: "1" }));
  });
});

describe("Cache-Control", () => {
  it("gives downstream caches at most a minute fresh and a minute stale", () => {
    expect(cacheControl(POLICIES.entity)).toBe("public, max-age=60, s-maxage=60, stale-while-revalidate=60");
    expect(cacheControl(POLICIES.notFound)).toBe("public, max-age=5, s-maxage=5");
  });
});

describe("MemoryTier (L0)", () => {
  it("evicts the least recently used beyond its entry bound", async () => {
    const m = new MemoryTier(2, 1e9);
    await m.put("a", rec("1"), 0);
    await m.put("b", rec("2"), 0);
    await m.get("a");
    await m.put("c", rec("3"), 0);
    expect(await m.get("b")).toBeNull();
    expect((await m.get("a"))?.value).toBe("1");
    expect(m.size.entries).toBe(2);
  });

  it("evicts beyond its byte bound and refuses a value larger than the bound", async () => {
    const m = new MemoryTier(100, 40);
    await m.put("a", rec("xxxxxxxx"), 0); // 2 × (8 + 1) = 18 bytes
    await m.put("b", rec("yyyyyyyy"), 0);
    await m.put("c", rec("zzzzzzzz"), 0);
    expect(await m.get("a")).toBeNull();
    expect(m.size.bytes).toBeLessThanOrEqual(40);
    await m.put("big", rec("x".repeat(100)), 0);
    expect(await m.get("big")).toBeNull();
  });

  it("holds a record at most L0_TTL_MS from when it was put", async () => {
    const m = new MemoryTier();
    await m.put("a", rec("1", 0), 5_000);
    expect((await m.get("a"))?.staleUntil).toBe(5_000 + L0_TTL_MS);
  });
});

/** A plain map standing in for a shared tier (no L0 cap). */
function mapTier(): CacheTier {
  const m = new Map<string, CacheRecord>();
  return { name: "L1", get: async (k) => m.get(k) ?? null, put: async (k, r) => void m.set(k, r), delete: async (k) => void m.delete(k) };
}

/** A tier whose backend is down. */
const broken: CacheTier = {
  name: "L2",
  get: () => Promise.reject(new Error("down")),
  put: () => Promise.reject(new Error("down")),
  delete: () => Promise.reject(new Error("down")),
};

describe("TieredCache", () => {
  const loaded = (v: string) => async () => ({ value: v, status: 200 as const, policy: { fresh: 60, swr: 540 } });

  it("a failing tier is a miss, reported, never an error", async () => {
    const errors: string[] = [];
    const t = new TieredCache([new MemoryTier(), broken], () => 0, (p) => void p.catch(() => {}), (tier, op) => errors.push(`${tier} ${op}`));
    const r = await t.read({ local: "k", shared: "k" }, loaded("v"));
    expect([r.tier, r.record.value]).toEqual(["MISS", "v"]);
    expect(errors).toContain("L2 get");
    expect((await t.read({ local: "k", shared: "k" }, loaded("other"))).tier).toBe("L0");
  });

  it("serves stale within the window and refreshes once; past the hard limit it is a miss", async () => {
    let now = 0;
    const work: Promise<unknown>[] = [];
    const t = new TieredCache([mapTier()], () => now, (p) => work.push(p));
    await t.read({ local: "s", shared: "s" }, loaded("v1"));
    now = 61_000;
    let loads = 0;
    const load = async () => (loads++, { value: "v2", status: 200 as const, policy: { fresh: 60, swr: 540 } });
    const stale = await t.read({ local: "s", shared: "s" }, load);
    await t.read({ local: "s", shared: "s" }, load);
    expect([stale.stale, stale.record.value]).toEqual([true, "v1"]);
    await Promise.all(work);
    expect(loads).toBe(1);
    now = 62_000;
    expect((await t.read({ local: "s", shared: "s" }, load)).record.value).toBe("v2");
    now = 62_000 + 600_001; // past v2's hard limit (stored at 61 s + 600 s)
    expect((await t.read({ local: "s", shared: "s" }, loaded("v3"))).tier).toBe("MISS");
  });
});
