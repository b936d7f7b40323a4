/**
 * Writes of one KV key within KV's limit of one write per second per key, for the catalog
 * generation and epoch (generation.ts). Bumps are numbered per isolate (1, 2, …); a put
 * "carries" every bump made before it started. `putCarrying` makes KV hold a value carrying
 * a given bump: it waits out the interval since the key's last put from this isolate, joins
 * a put under way that already carries the bump, and retries a failed put with backoff, a
 * bounded number of times.
 */

/** What this isolate knows of its writes of one key (per-isolate state, held by generation.ts). */
export interface KeyLedger {
  readonly key: string;
  /** The highest bump a successful put of the key carried. */
  landed: number;
  /** Real time (ms) the last put of the key from this isolate started. */
  lastPutAt: number;
  /** The put under way, if any. */
  inflight: { carries: number; startedAt: number; done: Promise<boolean> } | null;
}

export const ledger = (key: string): KeyLedger => ({ key, landed: 0, lastPutAt: -Infinity, inflight: null });

export interface WritePolicy {
  /** Least time between two puts of one key from this isolate (KV: one write per second per key). */
  intervalMs: number;
  /** Failed puts retried before giving up; the n-th retry waits backoffMs × 2^(n−1) (and at least intervalMs). */
  retries: number;
  backoffMs: number;
}

export interface PutRequest {
  kv: KVNamespace;
  ledger: KeyLedger;
  /** The bump the put must carry. */
  target: number;
  /** The bump count now: what a put starting now carries. */
  bumps: () => number;
  /** The value to write, made when a put starts (a fresh token). */
  value: () => string;
  /** Told of a successful put before anyone waiting for it resumes. */
  landed: (value: string, carries: number) => void;
  /** False while no put may start (the epoch a generation depends on is not in KV); `prepare` writes what it waits for. */
  ready?: () => boolean;
  prepare?: () => Promise<PutOutcome>;
}

export type PutOutcome = { ok: true } | { ok: false; key: string; attempts: number; error: unknown };

/** A put under way for longer than this is taken for lost (its request was cut short), not waited for. */
const STALE_PUT_MS = 10_000;
/** Bounds the loop whatever other callers do (each round waits, or ends it). */
const MAX_ROUNDS = 64;
const sleep = (ms: number) => new Promise<void>((r) => setTimeout(r, ms));

/** Added to a non-zero write interval (see putCarrying). */
const CLOCK_MARGIN_MS = 10;

/** Resolves (never rejects) once KV holds a value carrying `target`, or with why it could not. */
export async function putCarrying(r: PutRequest, policy: WritePolicy): Promise<PutOutcome> {
  const l = r.ledger;
  let attempts = 0;
  let retryAt = -Infinity;
  let error: unknown = new Error(`${l.key}: no put could be made`);
  for (let round = 0; round < MAX_ROUNDS; round++) {
    if (l.landed >= r.target) return { ok: true };
    const now = Date.now();
    const other = l.inflight;
    if (other && other.carries >= r.target && now - other.startedAt < STALE_PUT_MS) {
      // Another caller's put carries this bump: wait for it — bounded, as its request may be gone.
      await Promise.race([other.done, sleep(other.startedAt + STALE_PUT_MS - now)]);
      continue;
    }
    // A few milliseconds past the interval: KV counts its second on its own clock, and timers
    // here fire on a coarse one.
    const wait = Math.max(l.lastPutAt + (policy.intervalMs > 0 ? policy.intervalMs + CLOCK_MARGIN_MS : 0), retryAt) - now;
    if (wait > 0) {
      await sleep(wait);
      continue;
    }
    if (r.ready && !r.ready()) {
      const prepared = await r.prepare!();
      if (!prepared.ok) return prepared;
      continue;
    }
    // Nothing awaits from here to the put: it carries exactly the bumps counted now.
    const carries = r.bumps();
    const value = r.value();
    l.lastPutAt = now;
    const put = { carries, startedAt: now, done: Promise.resolve(false) };
    put.done = r.kv.put(l.key, value).then(
      () => {
        if (l.inflight === put) l.inflight = null;
        if (carries > l.landed) {
          l.landed = carries;
          r.landed(value, carries);
        }
        return true;
      },
      (err: unknown) => {
        if (l.inflight === put) l.inflight = null;
        error = err;
        return false;
      },
    );
    l.inflight = put;
    if (await put.done) continue;
    attempts++;
    if (attempts > policy.retries) return { ok: false, key: l.key, attempts, error };
    retryAt = Date.now() + policy.backoffMs * 2 ** (attempts - 1);
  }
  return { ok: false, key: l.key, attempts, error };
}
