import { describe, expect, it } from "vitest";
import { LeaseBook, type Acquire } from "./leases";

const NOW = Date.UTC(2030, 0, 1, 12);
/** A quota object of `left` units that grants what is asked, recording each ask. */
function quota(left: number) {
  const asks: number[] = [];
  const acquire: Acquire = async (want) => {
    asks.push(want);
    await new Promise((r) => setTimeout(r, 1));
    if (left < 1) return { ok: false, reason: "rate_limited", retryAfter: 1, limit: { name: "daily", limit: 0, remaining: 0, resetSeconds: 1, windowSeconds: 86_400 }, limits: [] };
    const granted = Math.min(want, left);
    left -= granted;
    return { ok: true, key: null, granted, day: "2030-01-01", limits: [{ name: "daily", limit: 100, remaining: left, resetSeconds: 1, windowSeconds: 86_400 }] };
  };
  return { asks, acquire };
}

describe("LeaseBook", () => {
  it("concurrent requests of one caller share the call in flight, and no more units are spent than granted", async () => {
    const q = quota(30);
    const book = new LeaseBook();
    const all = await Promise.all(Array.from({ length: 50 }, () => book.spend("key:a", NOW, 1000, q.acquire)));
    expect(all.filter((d) => d.ok)).toHaveLength(30);
    expect(q.asks.length).toBeLessThan(5);
  });

  it("a caller making one request per lease period is asked for one unit at a time", async () => {
    const q = quota(100);
    const book = new LeaseBook();
    for (let i = 0; i < 5; i++) await book.spend("key:a", NOW + i * 5000, 1000, q.acquire);
    expect(q.asks).toEqual([1, 1, 1, 1, 1]);
  });

  it("with leasing off (ttl 0) every request asks for exactly one unit", async () => {
    const q = quota(100);
    const book = new LeaseBook();
    for (let i = 0; i < 5; i++) await book.spend("key:a", NOW, 0, q.acquire);
    expect(q.asks).toEqual([1, 1, 1, 1, 1]);
  });

  it("release hands back what is left and forgets the lease", async () => {
    const q = quota(100);
    const book = new LeaseBook();
    for (let i = 0; i < 4; i++) await book.spend("key:a", NOW, 1000, q.acquire); // asks 1, 2, 4: 7 granted, 4 spent
    expect(book.release("key:a")).toEqual({ day: "2030-01-01", units: 3 });
    expect(book.release("key:a")).toBeNull();
  });
});
