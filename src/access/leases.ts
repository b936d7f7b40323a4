import type { Decision, LimitState } from "./quota-object";

/** Units handed back to a quota object: only counted back if `day` is still its UTC day. */
export interface Refund {
  day: string;
  units: number;
}

/** What a quota object returns to a leasing call: a decision, and how many units it granted. */
export type Grant = Decision & { granted?: number; day?: string };

/** Asks the quota object for up to `want` units, handing back the leftover of an expired lease. */
export type Acquire = (want: number, refund: Refund | null) => Promise<Grant>;

interface Lease {
  units: number;
  /** Unix ms after which the lease is spent no more (never past the UTC midnight it was granted before). */
  expires: number;
  day: string;
  /** The quota object's standing when it granted the lease (the lease's units already deducted). */
  limits: LimitState[];
  key: Extract<Decision, { ok: true }>["key"];
}

const DAY_MS = 86_400_000;
/** More units than this in one lease buy nothing (one quota-object call per this many requests). */
const MAX_LEASE = 100;
/** Callers remembered per isolate; past it the oldest are forgotten (their leftover units with them). */
const MAX_NAMES = 10_000;

/**
 * Leases of request units from quota objects, held in isolate memory so that a busy caller
 * costs one quota-object call per lease instead of one per request.
 *
 * Contract (docs in README "Keys, tiers and limits"):
 * - A quota object deducts a lease's units when it grants them, so the callers of all
 *   isolates together never get more than a limit allows: a quota is never exceeded.
 * - A lease lives at most `ttlMs` and never past UTC midnight. Its leftover units are handed
 *   back on this isolate's next call to the same quota object (or on a key change, or
 *   GET /v1/me); units of an isolate that is evicted first are lost to the caller — at most
 *   one lease's worth, and only for a caller busy enough to have been leased more than one.
 * - The lease size follows this isolate's demand for the caller: the requests it saw in the
 *   last `ttlMs`, plus those waiting. A caller making one request at a time gets one unit at
 *   a time, i.e. a quota-object call per request, exactly as with leasing off.
 * - A key change made through this isolate drops its lease at once; other isolates see the
 *   change when their lease runs out (≤ `ttlMs`). `ttlMs = 0` switches leasing off.
 * - Concurrent requests of one caller share one call in flight (single flight).
 */
export class LeaseBook {
  private readonly leases = new Map<string, Lease>();
  private readonly inflight = new Map<string, Promise<Grant>>();
  /** Requests seen per caller: in the current window of `ttlMs` and in the one before. */
  private readonly demand = new Map<string, { since: number; now: number; before: number }>();

  /** Spends one request unit for `name`: from its lease when one is live, else through `acquire`. */
  async spend(name: string, now: number, ttlMs: number, acquire: Acquire): Promise<Decision> {
    this.noteDemand(name, now, ttlMs);
    for (;;) {
      const local = this.fromLease(name, now);
      if (local) return local;
      const pending = this.inflight.get(name);
      if (pending) {
        const d = await pending;
        if (!d.ok) return d;
        continue;
      }
      const call = acquire(this.want(name), this.release(name)).then((g) => this.store(name, g, now, ttlMs));
      this.inflight.set(name, call);
      const g = await call.finally(() => this.inflight.delete(name));
      if (!g.ok) return g;
    }
  }

  /** Removes `name`'s lease; its unspent units, to hand back to the quota object. */
  release(name: string): Refund | null {
    const l = this.leases.get(name);
    if (!l) return null;
    this.leases.delete(name);
    return l.units > 0 ? { day: l.day, units: l.units } : null;
  }

  private fromLease(name: string, now: number): Decision | null {
    const l = this.leases.get(name);
    if (!l || l.units < 1 || now >= l.expires) return null;
    l.units -= 1;
    return { ok: true, key: l.key, limits: withLease(l.limits, l.units, now) };
  }

  private store(name: string, g: Grant, now: number, ttlMs: number): Grant {
    if (!g.ok || !g.granted || !g.day) return g;
    if (this.leases.size >= MAX_NAMES) this.leases.delete(this.leases.keys().next().value!);
    const midnight = Math.floor(now / DAY_MS + 1) * DAY_MS;
    this.leases.set(name, { units: g.granted, expires: Math.min(now + Math.max(ttlMs, 1), midnight), day: g.day, limits: g.limits, key: g.key });
    return g;
  }

  /** The units a lease should hold for the coming `ttlMs`: the busier of this window and the last. */
  private want(name: string): number {
    const d = this.demand.get(name);
    return d ? Math.min(MAX_LEASE, Math.max(d.now, d.before)) : 1;
  }

  /** Counts a request of `name` (waiting ones included) in the current window; with `ttlMs` 0 every window holds one. */
  private noteDemand(name: string, now: number, ttlMs: number): void {
    let d = this.demand.get(name);
    if (!d) {
      if (this.demand.size >= MAX_NAMES) this.demand.delete(this.demand.keys().next().value!);
      this.demand.set(name, (d = { since: now, now: 0, before: 0 }));
    }
    if (now - d.since >= ttlMs) {
      d.before = now - d.since < 2 * ttlMs ? d.now : 0;
      d.now = 0;
      d.since = now;
    }
    d.now += 1;
  }
}

/** A lease-holder's view of its standing: the quota object's figures plus the units it still holds. */
function withLease(limits: LimitState[], held: number, now: number): LimitState[] {
  const toMidnight = Math.ceil((DAY_MS - (now % DAY_MS)) / 1000);
  return limits.map((l) =>
    l.name === "burst" ? { ...l, remaining: Math.min(l.limit, l.remaining + held) } : { ...l, remaining: l.remaining + (l.name === "daily" ? held : 0), resetSeconds: toMidnight },
  );
}
