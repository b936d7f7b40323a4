import { DurableObject } from "cloudflare:workers";
import { buildServices } from "../services";
import type { TierLimits, TierName } from "./tiers";
import type { Grant, Refund } from "./leases";

/** What the worker knows of a key, stored in its quota object by the admin routes. */
export interface KeyState {
  id: number;
  name: string;
  prefix: string;
  tier: Exclude<TierName, "anonymous">;
  revoked: boolean;
}

/** What a call spends: a request unit; a query (a request unit and a query unit); or a status read (GET /v1/me), which is answered even with the day's units used up. */
export type Kind = "request" | "query" | "status";

/** One limit's standing after a decision: remaining units and seconds until it resets. */
export interface LimitState {
  name: "daily" | "queries" | "burst";
  limit: number;
  remaining: number;
  resetSeconds: number;
  windowSeconds: number;
}

export type Decision =
  | { ok: true; limits: LimitState[]; key: KeyState | null }
  | { ok: false; reason: "unknown_key" | "revoked_key" }
  | { ok: false; reason: "rate_limited"; limit: LimitState; retryAfter: number; limits: LimitState[] };

export interface Usage {
  day: string;
  requests: number;
  queries: number;
}

const DAY_MS = 86_400_000;
const ROLLUP_MS = 60_000;
const utcDay = (ms: number) => new Date(ms).toISOString().slice(0, 10);
const secondsToMidnight = (ms: number) => Math.ceil((DAY_MS - (ms % DAY_MS)) / 1000);

/**
 * The quota of one caller (an API key, or an anonymous IP): a token bucket for the burst
 * limit and UTC-day counters, decided atomically — a Durable Object runs one call at a time
 * and `take` is synchronous, so concurrent requests can never both spend the last unit.
 * State lives in the object's SQLite-backed storage; the day's usage is rolled up into D1
 * (usage_daily) by an alarm at most once a minute.
 */
export class QuotaObject extends DurableObject<Env> {
  /** Whether this instance already made sure a roll-up alarm is set (one storage call, not one per request). */
  private rollupArmed = false;
  private subject: string | undefined;

  private get kv() {
    return this.ctx.storage.kv;
  }

  /** Sets (or clears, with null) the key this object guards: the admin routes call it. */
  configure(key: KeyState | null, subject: string): void {
    // Revocation is permanent: a state sent before it and delivered after it must not undo it.
    const revoked = this.kv.get<KeyState>("key")?.revoked === true;
    if (key) this.kv.put("key", { ...key, revoked: key.revoked || revoked });
    else this.kv.delete("key");
    this.kv.put("subject", subject);
  }

  /**
   * Spends units of `kind` if every limit allows one; `keyed` says the caller sent a key.
   * A request may be granted up to `want` units at once, a lease the calling isolate spends
   * by itself: all are deducted now, so no limit can be exceeded whatever isolates hold them.
   * A query is always granted one. `refund` hands back the unspent units of an earlier lease.
   * A status read counts as a request while the day has units left; once they are used up it
   * is still granted (the caller must be able to learn where it stands), spending only a burst
   * token: the burst limit alone can refuse it.
   */
  take(kind: Kind, limitsOf: Record<TierName, TierLimits>, keyed: boolean, subject: string, callerNow: number, want = 1, refund: Refund | null = null): Grant {
    const now = this.monotonic(callerNow);
    const key = this.kv.get<KeyState>("key") ?? null;
    if (keyed && !key) return { ok: false, reason: "unknown_key" };
    if (key?.revoked) return { ok: false, reason: "revoked_key" };
    const limits = limitsOf[key?.tier ?? "anonymous"];
    if (refund) this.applyRefund(refund, now, limits);
    const usage = this.today(now);
    const bucket = this.refill(limits, now);

    const states = this.states(limits, usage, bucket, now);
    const daily = states.find((s) => s.name === "daily");
    const queries = states.find((s) => s.name === "queries");
    const burst = states.find((s) => s.name === "burst")!;
    const dayUsedUp = daily !== undefined && daily.remaining < 1;
    const blocking = (dayUsedUp && kind !== "status" ? daily : null) ?? (kind === "query" && queries && queries.remaining < 1 ? queries : null) ?? (bucket.tokens < 1 ? burst : null);
    if (blocking) {
      const retryAfter = blocking.name === "burst" ? Math.max(1, Math.ceil((1 - bucket.tokens) / limits.burst)) : blocking.resetSeconds;
      return { ok: false, reason: "rate_limited", limit: blocking, retryAfter, limits: states };
    }

    const granted = kind === "request" ? Math.max(1, Math.min(Math.floor(want), Math.floor(bucket.tokens), daily?.remaining ?? Infinity)) : 1;
    bucket.tokens -= granted;
    if (!(kind === "status" && dayUsedUp)) usage.requests += granted;
    if (kind === "query") usage.queries += 1;
    this.kv.put("bucket", bucket);
    this.kv.put("usage", usage);
    if (subject && subject !== this.subject) {
      this.kv.put("subject", subject);
      this.subject = subject;
    }
    this.scheduleRollup();
    return { ok: true, limits: this.states(limits, usage, bucket, now), key, granted, day: usage.day };
  }

  /** Today's usage and the limits in force, without spending anything (GET /v1/me); takes back a lease's leftover first. */
  peek(limitsOf: Record<TierName, TierLimits>, callerNow: number, refund: Refund | null = null): { usage: Usage; limits: LimitState[]; key: KeyState | null } {
    const now = this.monotonic(callerNow);
    const key = this.kv.get<KeyState>("key") ?? null;
    const limits = limitsOf[key?.tier ?? "anonymous"];
    if (refund) this.applyRefund(refund, now, limits);
    const usage = this.today(now);
    return { usage, limits: this.states(limits, usage, this.refill(limits, now), now), key };
  }

  /**
   * Records a failed admin-token attempt of the client this object stands for (one object per
   * client address, named `admin:<ip>`; src/middleware/admin-auth.ts) and says whether the
   * client is refused: the failure after `max` within `windowMs` blocks it for `windowMs`.
   * While blocked, failures are not counted again (the block does not grow).
   */
  adminFailure(callerNow: number, max: number, windowMs: number): { blocked: boolean; retryAfter: number } {
    const now = this.monotonic(callerNow);
    const until = this.kv.get<number>("adminBlockedUntil") ?? 0;
    if (until > now) return { blocked: true, retryAfter: Math.ceil((until - now) / 1000) };
    const failures = [...(this.kv.get<number[]>("adminFailures") ?? []).filter((t) => t > now - windowMs), now];
    if (failures.length > max) {
      this.kv.put("adminBlockedUntil", now + windowMs);
      this.kv.delete("adminFailures");
      return { blocked: true, retryAfter: Math.ceil(windowMs / 1000) };
    }
    this.kv.put("adminFailures", failures);
    return { blocked: false, retryAfter: 0 };
  }

  /** Counts back units a lease did not spend, if they were granted today (the bucket only up to its size). */
  private applyRefund(refund: Refund, now: number, limits: TierLimits): void {
    const usage = this.today(now);
    if (refund.day !== usage.day || refund.units < 1) return;
    usage.requests = Math.max(0, usage.requests - refund.units);
    this.kv.put("usage", usage);
    this.scheduleRollup();
    const bucket = this.refill(limits, now);
    bucket.tokens = Math.min(limits.burst, bucket.tokens + refund.units);
    this.kv.put("bucket", bucket);
  }

  async alarm(): Promise<void> {
    this.rollupArmed = false; // the next spend arms the next roll-up
    const subject = this.kv.get<string>("subject");
    const days = [this.kv.get<Usage>("closed"), this.kv.get<Usage>("usage")].filter((u): u is Usage => u !== undefined);
    if (!subject || days.length === 0) return;
    await buildServices(this.env, this.ctx, { context: { job: "quota.rollup" } }).quota.recordDays(subject, days);
    this.kv.delete("closed");
  }

  /**
   * Time inside the object never runs backwards: callers' clocks differ (isolates, colos, a
   * request that waited), and an earlier `now` would refill the bucket twice or reopen a day.
   */
  private monotonic(now: number): number {
    const last = this.kv.get<number>("clock") ?? 0;
    if (now <= last) return last;
    this.kv.put("clock", now);
    return now;
  }

  /** Today's usage; a day that just ended is kept as `closed` until the roll-up has written it. */
  private today(now: number): Usage {
    const day = utcDay(now);
    const usage = this.kv.get<Usage>("usage");
    if (usage && usage.day === day) return usage;
    if (usage && usage.day < day && usage.requests > 0) {
      this.kv.put("closed", usage);
      this.kv.put("usage", { day, requests: 0, queries: 0 });
      this.scheduleRollup();
    }
    return { day, requests: 0, queries: 0 };
  }

  private refill(limits: TierLimits, now: number): { tokens: number; at: number } {
    const b = this.kv.get<{ tokens: number; at: number }>("bucket") ?? { tokens: limits.burst, at: now };
    const elapsed = Math.max(0, now - b.at) / 1000;
    return { tokens: Math.min(limits.burst, b.tokens + elapsed * limits.burst), at: now };
  }

  private states(limits: TierLimits, usage: Usage, bucket: { tokens: number }, now: number): LimitState[] {
    const toMidnight = secondsToMidnight(now);
    const out: LimitState[] = [];
    if (limits.daily !== null) out.push({ name: "daily", limit: limits.daily, remaining: Math.max(0, limits.daily - usage.requests), resetSeconds: toMidnight, windowSeconds: 86_400 });
    if (limits.queries !== null) out.push({ name: "queries", limit: limits.queries, remaining: Math.max(0, limits.queries - usage.queries), resetSeconds: toMidnight, windowSeconds: 86_400 });
    out.push({ name: "burst", limit: limits.burst, remaining: Math.floor(bucket.tokens), resetSeconds: 1, windowSeconds: 1 });
    return out;
  }

  private scheduleRollup(): void {
    if (this.rollupArmed) return;
    this.rollupArmed = true;
    void this.ctx.storage.getAlarm().then((at) => {
      if (at === null) void this.ctx.storage.setAlarm(Date.now() + ROLLUP_MS);
    });
  }
}
