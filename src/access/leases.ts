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
const utcDay = (ms: number) => new Date(ms).toISOString().slice(0, 10);
/** More units than this in one lease buy nothing (one quota-object call per this many requests). */
const MAX_LEASE = 100;
/** Callers remembered per isolate; past it the oldest are forgotten (their leftover units with them). */
const MAX_NAMES = 10_000;

/**
 * Leases of request units from quota objects, held in isolate memory so that a busy caller
 * costs one quota-object call per lease instead of one per request. The limiter leases only
 * to anonymous callers (src/middleware/rate-limit.ts): a key's revocation or tier change must
 * apply to its very next request, in every isolate, which only a call per request can promise.
 *
 * Contract (docs in README "API keys and limits"):
 * - A quota object deducts a lease's units when it grants them, so the callers of all
 *   isolates together never get more than a limit allows: a quota is never exceeded.
 * - A lease lives at most `ttlMs` and never past UTC midnight. Its leftover units are handed
 *   back on this isolate's next call to the same quota object (or on GET /v1/me); units of an isolate that is evicted first are lost to the caller — at most
 *   one lease's worth, and only for a caller busy enough to have been leased more than one.
 * - The lease size follows this isolate's demand for the caller: the requests it saw in the
 *   last `ttlMs`, plus those waiting. A caller making one request at a time gets one unit at
 *   a time, i.e. a quota-object call per request, exactly as with leasing off.
 * - `release` drops a lease, and a grant in flight while it happens is not kept as one.
 *   `ttlMs = 0` switches leasing off.
 * - Concurrent requests of one caller share one call in flight (single flight).
 */
export class LeaseBook {
  private readonly leases = new Map<string, Lease>();
  private readonly inflight = new Map<string, { call: Promise<Grant>; day: string }>();
  /** Bumped by `release`: a grant asked for before a release is not kept as a lease after it. */
  private readonly generation = new Map<string, number>();
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
        const d = await pending.call;
        // A refusal decided on another UTC day says nothing about this request: ask again.
        if (!d.ok && pending.day === utcDay(now)) return d;
        continue;
      }
      const refund = this.release(name);
      const generation = this.generation.get(name) ?? 0;
      // The first unit of a grant is this request's; the rest is kept for the others (stored
      // before the call leaves `inflight`, so a waiter finds it), unless the lease was
      // released (GET /v1/me) while the call was in flight.
      const call = acquire(this.want(name), refund)
        .then((g) => {
          if (g.ok && g.granted && g.granted > 1 && g.day && (this.generation.get(name) ?? 0) === generation) this.store(name, g, now, ttlMs);
          return g;
        })
        .finally(() => this.inflight.delete(name));
      this.inflight.set(name, { call, day: utcDay(now) });
      const g = await call;
      return g.ok && g.granted && g.granted > 1 ? { ...g, limits: withLease(g.limits, g.granted - 1, now) } : g;
    }
  }

  /** Removes `name`'s lease; its unspent units, to hand back to the quota object. */
  release(name: string): Refund | null {
    this.generation.set(name, (this.generation.get(name) ?? 0) + 1);
    if (this.generation.size > MAX_NAMES) this.generation.delete(this.generation.keys().next().value!);
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

  /** Keeps the units of a grant beyond the requester's own as a lease. */
  private store(name: string, g: Extract<Grant, { ok: true }>, now: number, ttlMs: number): void {
    if (this.leases.size >= MAX_NAMES) this.leases.delete(this.leases.keys().next().value!);
    const midnight = Math.floor(now / DAY_MS + 1) * DAY_MS;
    this.leases.set(name, { units: g.granted! - 1, expires: Math.min(now + Math.max(ttlMs, 1), midnight), day: g.day!, limits: g.limits, key: g.key });
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
