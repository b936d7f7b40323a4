import { describe, expect, it } from "vitest";
import { LeaseBook, type Acquire, type Grant, type Refund } from "./leases";

const NOW = Date.UTC(2030, 0, 1, 12);
const grant = (granted: number): Grant => ({ ok: true, key: null, granted, day: "2030-01-01", limits: [{ name: "daily", limit: 100, remaining: 50, resetSeconds: 1, windowSeconds: 86_400 }] });
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
  it("concurrent requests of one caller each make their own call, and exactly the units left are admitted", async () => {
    const q = quota(30);
    const book = new LeaseBook();
    const all = await Promise.all(Array.from({ length: 50 }, () => book.spend("ip:a", NOW, 1000, q.acquire)));
    expect(all.filter((d) => d.ok)).toHaveLength(30);
    // Each asks for its own unit plus the demand that the spare units already on the way do not cover.
    expect(Math.max(...q.asks)).toBeLessThanOrEqual(2);
  });

  it("a call that never settles (its request was cancelled) holds up no other request", async () => {
    const book = new LeaseBook();
    void book.spend("ip:a", NOW, 1000, () => new Promise<Grant>(() => {}));
    const q = quota(5);
    const second = await Promise.race([book.spend("ip:a", NOW, 1000, q.acquire), new Promise<"hung">((r) => setTimeout(() => r("hung"), 500))]);
    expect(second).toMatchObject({ ok: true });
  });

  it("a request refused while another call brings spare units takes one of them", async () => {
    const book = new LeaseBook();
    await book.spend("ip:a", NOW, 1000, quota(1).acquire);
    let asked = 0;
    const slow: Acquire = async (want) => {
      asked = want;
      await new Promise((r) => setTimeout(r, 20));
      return grant(want);
    };
    const first = book.spend("ip:a", NOW, 1000, slow);
    const refused = await book.spend("ip:a", NOW, 1000, quota(0).acquire);
    expect([asked, refused.ok, (await first).ok]).toEqual([2, true, true]);
  });

  it("a caller making one request per lease period is asked for one unit at a time", async () => {
    const q = quota(100);
    const book = new LeaseBook();
    for (let i = 0; i < 5; i++) await book.spend("ip:a", NOW + i * 5000, 1000, q.acquire);
    expect(q.asks).toEqual([1, 1, 1, 1, 1]);
  });

  it("with leasing off (ttl 0) every request asks for exactly one unit", async () => {
    const q = quota(100);
    const book = new LeaseBook();
    for (let i = 0; i < 5; i++) await book.spend("ip:a", NOW, 0, q.acquire);
    expect(q.asks).toEqual([1, 1, 1, 1, 1]);
  });

  it("release hands back what is left and forgets the lease", async () => {
    const q = quota(100);
    const book = new LeaseBook();
    for (let i = 0; i < 4; i++) await book.spend("ip:a", NOW, 1000, q.acquire); // asks 1, 2, 4: 7 granted, 4 spent
    expect(q.asks).toEqual([1, 2, 4]);
    expect(book.release("ip:a")).toEqual({ day: "2030-01-01", units: 3 });
    expect(book.release("ip:a")).toBeNull();
  });

  it("a grant in flight while the lease is released is not kept as a lease", async () => {
    const book = new LeaseBook();
    let resolve!: (g: Grant) => void;
    const first = book.spend("ip:a", NOW, 1000, () => new Promise((r) => (resolve = r)));
    await new Promise((r) => setTimeout(r, 0));
    book.release("ip:a");
    resolve(grant(20));
    expect((await first).ok).toBe(true);
    const q = quota(0);
    expect((await book.spend("ip:a", NOW + 1, 1000, q.acquire)).ok).toBe(false);
    expect(q.asks).toHaveLength(1);
  });

  it("an expired lease's leftover is handed back on the next call, and a replaced lease's on the one after", async () => {
    const book = new LeaseBook();
    const refunds: (Refund | null)[] = [];
    const q = quota(100);
    const acquire: Acquire = (want, refund) => (refunds.push(refund), q.acquire(want, refund));
    for (let i = 0; i < 2; i++) await book.spend("ip:a", NOW, 1000, acquire); // asks 1, then 2: one unit leased
    await book.spend("ip:a", NOW + 5000, 1000, acquire);
    expect(refunds).toEqual([null, null, { day: "2030-01-01", units: 1 }]);
  });

  it("an ok answer without a grant ends the request (no endless asking)", async () => {
    const book = new LeaseBook();
    let asks = 0;
    const d = await book.spend("ip:a", NOW, 1000, async () => (asks++, { ok: true, key: null, limits: [] }));
    expect([d.ok, asks]).toEqual([true, 1]);
  });

  it("concurrent requests ask for the demand less the spare units already on the way", async () => {
    const q = quota(100);
    const book = new LeaseBook();
    const all = await Promise.all([1, 2, 3].map(() => book.spend("ip:a", NOW, 1000, q.acquire)));
    expect([all.every((d) => d.ok), q.asks]).toEqual([true, [1, 2, 2]]);
    // Two spare units are leased: the next two requests spend them though the quota object has nothing left.
    const empty = quota(0);
    for (let i = 0; i < 2; i++) expect((await book.spend("ip:a", NOW, 1000, empty.acquire)).ok).toBe(true);
    expect((await book.spend("ip:a", NOW, 1000, empty.acquire)).ok).toBe(false);
  });
});
