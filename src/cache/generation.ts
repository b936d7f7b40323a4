import { createLogger, messageOf } from "../logging/logger";
import { ledger, putCarrying, type PutOutcome, type WritePolicy } from "./generation-writer";

/**
 * The catalog generation: a token that changes on every catalog write and is part of every
 * L0/L1 key and of every list and search key, so no tier can serve a list from before the
 * write. Entities in L2 are keyed by an `epoch` instead, which changes only on bulk writes:
 * a small write deletes the entity keys it touched, leaving the other entities cached.
 *
 * Generation and epoch are separate KV keys, each written by whoever changes it (a small
 * writer never rewrites the epoch, so it cannot undo a bulk writer's epoch). They are
 * memoised per isolate for MEMO_MS, so a hit costs no I/O.
 *
 * KV takes one write per second per key, so an isolate writes each key at most once per
 * second (CatalogInvalidator below). A bump the isolate made but KV does not hold yet is
 * "unsent": readers in this isolate append its token to KV's value (`<kv>.<token>`), so they
 * stop using everything cached before the write at once, and still follow writes made
 * elsewhere. Such a generation is in no other isolate and never in KV, so values read under
 * it stay in this isolate's L0 (response-cache.ts stores in L1/L2 only under the generation
 * KV holds). Other isolates see a write within the write's delay (≤ 1 s, more while KV fails)
 * + MEMO_MS, plus KV's propagation between data centres in production (up to 60 s).
 */
export interface Generation {
  gen: string;
  epoch: string;
}

const GEN_KEY = "meta:catalog-generation";
const EPOCH_KEY = "meta:catalog-epoch";
export const MEMO_MS = 1000;
/** Above this many changed anime, one epoch bump beats deleting each entity key. */
export const BULK_INVALIDATION = 200;
/** KV's limit: one write per second per key. */
export const KEY_WRITE_INTERVAL_MS = 1000;

// Deliberate per-isolate state: the memo of KV's values (see above), and this isolate's
// bumps with the ledgers of their writes (one per key, shared by every invalidator here).
let memo: { value: Generation; at: number } | null = null;
const local = {
  /** Bumps made in this isolate; `lastBulk` is the last one that also retired the epoch. */
  bumps: 0,
  lastBulk: 0,
  /** Tokens of the newest unsent bump, appended by readers here (null once KV holds it). */
  unsent: { gen: null as string | null, epoch: null as string | null },
  /** Puts that landed: a KV read that started before one is read again before it is memoised. */
  landings: 0,
  gen: ledger(GEN_KEY),
  epoch: ledger(EPOCH_KEY),
};

/** The generation as KV holds it now, bypassing the memo and this isolate's unsent bumps. Throws when KV does. */
export async function latestGeneration(kv: KVNamespace): Promise<Generation> {
  const [gen, epoch] = await Promise.all([kv.get(GEN_KEY), kv.get(EPOCH_KEY)]);
  return { gen: gen ?? "0", epoch: epoch ?? "0" };
}

/** KV's value as readers in this isolate see it: with the tokens of an unsent bump appended. */
const withUnsent = (g: Generation): Generation => ({
  gen: local.unsent.gen === null ? g.gen : `${g.gen}.${local.unsent.gen}`,
  epoch: local.unsent.epoch === null ? g.epoch : `${g.epoch}.${local.unsent.epoch}`,
});

/**
 * The generation to key this request's cache reads with, or null when KV cannot say (and
 * no earlier value is known): the caller then bypasses the cache rather than fail.
 */
export async function currentGeneration(kv: KVNamespace, now: number): Promise<Generation | null> {
  if (memo && now - memo.at < MEMO_MS && now >= memo.at) return withUnsent(memo.value);
  try {
    const landings = local.landings;
    let value = await latestGeneration(kv);
    if (landings !== local.landings) value = await latestGeneration(kv);
    memo = { value, at: now };
    return withUnsent(value);
  } catch {
    return memo ? withUnsent(memo.value) : null;
  }
}

/** A fresh token: time-based (readable, ordered) plus randomness (two writers never collide). */
const token = (now: number) => `${now.toString(36)}${Math.random().toString(36).slice(2, 8)}`;

/** Key of an anime entity in L2 under the given epoch. */
export const entityKey = (epoch: string, id: number) => `e${epoch}:anime:${id}`;

/** A bump in this isolate: readers here take it at once; returns its number. */
function bump(bulk: boolean, now: number): number {
  local.bumps++;
  local.unsent.gen = token(now);
  if (bulk) {
    local.lastBulk = local.bumps;
    local.unsent.epoch = token(now);
  }
  return local.bumps;
}

/** A put landed: the memo takes its value, and the bump stops being unsent once the put carried the newest one. */
function landed(key: "gen" | "epoch", value: string, carries: number): void {
  local.landings++;
  if (memo) memo = { value: { ...memo.value, [key]: value }, at: memo.at };
  if (carries >= (key === "gen" ? local.bumps : local.lastBulk)) local.unsent[key] = null;
}

const free = (l: typeof local.gen, intervalMs: number) => !l.inflight && Date.now() >= l.lastPutAt + intervalMs;
const sleep = (ms: number) => new Promise<void>((r) => setTimeout(r, ms));

export interface InvalidatorOptions {
  now?: () => number;
  /** Delay of the second deletion of entity keys, counted from the generation's write (0 in tests). */
  redeleteAfterMs?: number;
  /** Keeps follow-up work (a trailing KV write, the second deletion) alive past the response: a Worker's waitUntil. */
  defer?: (p: Promise<unknown>) => void;
  /** Least time between two KV writes of the generation (or the epoch) from this isolate; default KV's 1 s. */
  writeIntervalMs?: number;
  /** A failed KV write is retried this often (default 3), waiting retryBackoffMs (default 1 s) doubling each time. */
  writeRetries?: number;
  retryBackoffMs?: number;
  /** Told of a KV write that finally failed and of a delete escalated to an epoch bump (default: a warn line of the fallback logger). */
  warn?: (event: string, fields: Record<string, unknown>) => void;
}

/**
 * Called after every catalog write (import batch, sync step, admin edit, re-index): deletes
 * the L2 entity keys of the changed anime (or bumps the epoch for a bulk write, or when the
 * keys cannot be deleted), then bumps the generation.
 *
 * Contract:
 * - After `changed()` resolves, no read in this isolate is served anything cached before
 *   the write: its readers use the new generation (and epoch) at once — the one KV holds if
 *   the write could be made now, else KV's value with the bump's token appended (see the top
 *   of this file) until a later write lands. L2 entity keys were deleted before it resolves.
 * - KV is written at most once per `writeIntervalMs` per key from this isolate: a bump within
 *   that time of the key's last write is coalesced into one trailing write, made when the
 *   interval is up and carrying every bump made before it starts. `changed()` awaits a write
 *   it could make at once; a trailing write goes to `defer` and is awaited by `settled()`.
 * - The epoch lands before the generation that needs it, so a reader that sees the new
 *   generation never reads entities under the old epoch.
 * - A failed write is retried `writeRetries` times with backoff. If it still fails it is
 *   reported (`warn`), this isolate keeps reading with its unsent bump, and the next bump's
 *   write carries it. `changed()` itself does not throw on KV failures.
 *
 * A reader elsewhere that loaded an anime just before the write can still store it in L2
 * just after the delete (the generation it checks is the old one until the write lands), so
 * the entity keys are deleted a second time `redeleteAfterMs` after the generation's write.
 */
export class CatalogInvalidator {
  private readonly pending = new Set<Promise<unknown>>();
  private readonly now: () => number;
  private readonly policy: WritePolicy;

  constructor(
    private readonly kv: KVNamespace,
    private readonly options: InvalidatorOptions = {},
  ) {
    this.now = options.now ?? Date.now;
    this.policy = { intervalMs: options.writeIntervalMs ?? KEY_WRITE_INTERVAL_MS, retries: options.writeRetries ?? 3, backoffMs: options.retryBackoffMs ?? 1000 };
  }

  /** Waits for every follow-up of this invalidator's bumps (trailing writes, second deletes), deferred or not. */
  async settled(): Promise<void> {
    while (this.pending.size) await Promise.all([...this.pending]);
  }

  /** Retires everything cached, entities included (admin purge; cold-cache benchmarks). */
  purgeAll(): Promise<Generation> {
    return this.changed([], true);
  }

  /** Returns the generation readers in this isolate now use. */
  async changed(ids: number[], all = false): Promise<Generation> {
    const unique = [...new Set(ids)];
    let bulk = all || unique.length > BULK_INVALIDATION;
    let deleteAgain: (() => Promise<unknown>) | null = null;
    if (!bulk && unique.length) {
      try {
        const { epoch } = await latestGeneration(this.kv);
        const deleteAll = () => Promise.all(unique.map((id) => this.kv.delete(entityKey(epoch, id))));
        await deleteAll();
        deleteAgain = deleteAll;
      } catch (err) {
        // Entities that cannot be deleted one by one are retired together.
        this.warn("cache.invalidation_escalated", { ids: unique.length, message: messageOf(err) });
        bulk = true;
      }
    }
    const target = bump(bulk, this.now());
    // Free to write now (nothing of this isolate's in the last interval): awaited; else trailing.
    const leading = free(local.gen, this.policy.intervalMs) && (!bulk || free(local.epoch, this.policy.intervalMs));
    const written = this.write(target);
    this.keep(written);
    if (deleteAgain) {
      const again = deleteAgain;
      this.keep(written.then(() => sleep(this.options.redeleteAfterMs ?? 1500)).then(again).catch((err: unknown) => this.warn("cache.redelete_failed", { ids: unique.length, message: messageOf(err) })));
    }
    if (leading) await written;
    return (await currentGeneration(this.kv, this.now())) ?? withUnsent({ gen: "0", epoch: "0" });
  }

  /** Makes KV hold bump `target`: the epoch first when a bulk bump needs it, then the generation. */
  private async write(target: number): Promise<boolean> {
    const request = (key: "gen" | "epoch") => ({ kv: this.kv, ledger: local[key], bumps: () => local.bumps, value: () => token(this.now()), landed: (v: string, c: number) => landed(key, v, c) });
    const outcome: PutOutcome = await putCarrying(
      {
        ...request("gen"),
        target,
        ready: () => local.epoch.landed >= local.lastBulk,
        prepare: () => putCarrying({ ...request("epoch"), target: local.lastBulk }, this.policy),
      },
      this.policy,
    );
    if (!outcome.ok) this.warn("cache.generation_write_failed", { key: outcome.key, attempts: outcome.attempts, message: messageOf(outcome.error) });
    return outcome.ok;
  }

  private keep(p: Promise<unknown>): void {
    this.pending.add(p);
    const done = () => void this.pending.delete(p);
    p.then(done, done);
    this.options.defer?.(p);
  }

  private warn(event: string, fields: Record<string, unknown>): void {
    (this.options.warn ?? FALLBACK_LOG.warn)(event, fields);
  }
}

/** Warnings of an invalidator built without the composition root's logger (tests, tools). */
const FALLBACK_LOG = createLogger("warn", { component: "invalidator" });

/** Forgets the memo (tests that write KV behind the cache's back). */
export function forgetGeneration(): void {
  memo = null;
}
