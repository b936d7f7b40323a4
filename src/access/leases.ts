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

/** A quota-object call of this isolate in flight: how many units beyond its requester's own it asked for. */
interface Outstanding {
  extra: number;
  /** Wall-clock ms it started: a call of a request that was cancelled never reports back, so old ones are ignored. */
  since: number;
}

const DAY_MS = 86_400_000;
/** More units than this in one lease buy nothing (one quota-object call per this many requests). */
const MAX_LEASE = 100;
/** Callers remembered per isolate; past it the oldest are forgotten (their leftover units with them). */
const MAX_NAMES = 10_000;
/** A call out longer than this is taken for lost (its request was cancelled): it no longer shrinks others' asks. */
const OUTSTANDING_MS = 5_000;
/** How long a refused request waits, on its own timer, for other calls' leftover units to land. */
const REFUSAL_WAIT_MS = 1_000;
const pause = (ms: number) => new Promise<void>((r) => setTimeout(r, ms));

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
 *   back on this isolate's next call to the same quota object (or on GET /v1/me); units of an
 *   isolate that is evicted first, or of a call whose request was cancelled, are lost to the
 *   caller — at most one lease's worth, and only for a caller busy enough to be leased more than one.
 * - The lease size follows this isolate's demand for the caller: the requests it saw in the
 *   last `ttlMs`, plus those waiting. A caller making one request at a time gets one unit at
 *   a time, i.e. a quota-object call per request, exactly as with leasing off.
 * - `release` drops a lease, and a grant in flight while it happens is not kept as one.
 *   `ttlMs = 0` switches leasing off.
 * - No request awaits I/O another request started (workerd binds a call to its request: a
 *   waiter on another request's call fails, or hangs when that request is cancelled). What
 *   requests share is plain data: the lease's units, and how many units calls in flight asked
 *   for beyond their own (so that concurrent requests do not each lease a full share). A
 *   request that finds no lease makes its own call; one refused while other calls that
 *   asked for spare units are out waits on its own timer (at most REFUSAL_WAIT_MS) for their units to land, so
 *   that concurrent requests are admitted exactly as many times as units were left.
 */
export class LeaseBook {
  private readonly leases = new Map<string, Lease>();
  private readonly outstanding = new Map<string, Map<number, Outstanding>>();
  /** Leftover units of leases replaced or expired, to hand back on the caller's next call. */
  private readonly refunds = new Map<string, Refund>();
  /** Bumped by `release`: a grant asked for before a release is not kept as a lease after it. */
  private readonly generation = new Map<string, number>();
  /** Requests seen per caller: in the current window of `ttlMs` and in the one before. */
  private readonly demand = new Map<string, { since: number; now: number; before: number }>();
  private calls = 0;

  /** Spends one request unit for `name`: from its lease when one is live, else through its own `acquire`. */
  async spend(name: string, now: number, ttlMs: number, acquire: Acquire): Promise<Decision> {
    this.noteDemand(name, now, ttlMs);
    const local = this.fromLease(name, now);
    if (local) return local;
    const g = await this.call(name, now, ttlMs, acquire);
    if (g.ok) return g.granted && g.granted > 1 ? { ...g, limits: withLease(g.limits, this.held(name, now), now) } : g;
    if (g.reason !== "rate_limited") return g;
    // Refused: units that other calls of this isolate leased may have landed meanwhile, or be about to.
    for (const deadline = Date.now() + REFUSAL_WAIT_MS; ; await pause(2)) {
      const later = this.fromLease(name, now);
      if (later) return later;
      if (!this.spareInFlight(name) || Date.now() >= deadline) return g;
    }
  }

  /** Removes `name`'s lease; its unspent units (and any not yet handed back), to hand back to the quota object. */
  release(name: string): Refund | null {
    this.generation.set(name, (this.generation.get(name) ?? 0) + 1);
    if (this.generation.size > MAX_NAMES) this.generation.delete(this.generation.keys().next().value!);
    const l = this.leases.get(name);
    this.leases.delete(name);
    const pending = this.refunds.get(name) ?? null;
    this.refunds.delete(name);
    return merged(pending, l && l.units > 0 ? { day: l.day, units: l.units } : null);
  }

  /**
   * This request's own quota-object call: the first unit granted is the requester's, the rest
   * are kept as the lease (added to one that landed meanwhile). It asks for the demand less
   * what the lease holds and what other calls in flight already asked for beyond their own.
   */
  private async call(name: string, now: number, ttlMs: number, acquire: Acquire): Promise<Grant> {
    const want = Math.max(1, this.want(name) - this.held(name, now) - this.spareInFlight(name));
    const id = ++this.calls;
    let out = this.outstanding.get(name);
    if (!out) {
      if (this.outstanding.size >= MAX_NAMES) this.outstanding.delete(this.outstanding.keys().next().value!);
      this.outstanding.set(name, (out = new Map()));
    }
    out.set(id, { extra: want - 1, since: Date.now() });
    const generation = this.generation.get(name) ?? 0;
    const refund = this.takeRefund(name, now);
    try {
      const g = await acquire(want, refund);
      if (g.ok && g.granted && g.granted > 1 && g.day && (this.generation.get(name) ?? 0) === generation) this.store(name, g, g.granted - 1, now, ttlMs);
      return g;
    } finally {
      out.delete(id);
      if (out.size === 0 && this.outstanding.get(name) === out) this.outstanding.delete(name);
    }
  }

  private fromLease(name: string, now: number): Decision | null {
    const l = this.leases.get(name);
    if (!l || l.units < 1 || now >= l.expires) return null;
    l.units -= 1;
    return { ok: true, key: l.key, limits: withLease(l.limits, l.units, now) };
  }

  /** Units of `name`'s live lease. */
  private held(name: string, now: number): number {
    const l = this.leases.get(name);
    return l && now < l.expires ? l.units : 0;
  }

  /** Units beyond their requesters' own that this caller's calls in flight asked for (calls out too long are forgotten). */
  private spareInFlight(name: string): number {
    const out = this.outstanding.get(name);
    if (!out) return 0;
    const cutoff = Date.now() - OUTSTANDING_MS;
    let spare = 0;
    for (const [id, o] of out) {
      if (o.since < cutoff) out.delete(id);
      else spare += o.extra;
    }
    if (out.size === 0) this.outstanding.delete(name);
    return spare;
  }

  /** The leftover of an expired lease plus units not yet handed back, taken for this call to hand back. */
  private takeRefund(name: string, now: number): Refund | null {
    const l = this.leases.get(name);
    let refund = this.refunds.get(name) ?? null;
    this.refunds.delete(name);
    if (l && now >= l.expires) {
      this.leases.delete(name);
      refund = merged(refund, l.units > 0 ? { day: l.day, units: l.units } : null);
    }
    return refund;
  }

  /** Keeps `units` of a grant as the lease: added to a live one of the same day, else replacing it (whose leftover is handed back next). */
  private store(name: string, g: Extract<Grant, { ok: true }>, units: number, now: number, ttlMs: number): void {
    const midnight = Math.floor(now / DAY_MS + 1) * DAY_MS;
    const expires = Math.min(now + Math.max(ttlMs, 1), midnight);
    const l = this.leases.get(name);
    if (l && now < l.expires && l.day === g.day) {
      Object.assign(l, { units: l.units + units, expires: Math.max(l.expires, expires), limits: g.limits, key: g.key });
      return;
    }
    if (l && l.units > 0) this.refunds.set(name, merged(this.refunds.get(name) ?? null, { day: l.day, units: l.units })!);
    if (this.leases.size >= MAX_NAMES) this.leases.delete(this.leases.keys().next().value!);
    this.leases.set(name, { units, expires, day: g.day!, limits: g.limits, key: g.key });
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

/** Two refunds as one: the quota object only counts back today's units, so of two days the later wins. */
function merged(a: Refund | null, b: Refund | null): Refund | null {
  if (!a || !b) return a ?? b;
  if (a.day === b.day) return { day: a.day, units: a.units + b.units };
  return a.day > b.day ? a : b;
}

/** A lease-holder's view of its standing: the quota object's figures plus the units it still holds. */
function withLease(limits: LimitState[], held: number, now: number): LimitState[] {
  const toMidnight = Math.ceil((DAY_MS - (now % DAY_MS)) / 1000);
  return limits.map((l) =>
    l.name === "burst" ? { ...l, remaining: Math.min(l.limit, l.remaining + held) } : { ...l, remaining: l.remaining + (l.name === "daily" ? held : 0), resetSeconds: toMidnight },
  );
}
