/**
 * The catalog generation: a token that changes on every catalog write and is part of every
 * L0/L1 key and of every list and search key, so no tier can serve a list from before the
 * write. Entities in L2 are keyed by an `epoch` instead, which changes only on bulk writes:
 * a small write deletes the entity keys it touched, leaving the other entities cached.
 *
 * Generation and epoch are separate KV keys, each written by whoever changes it (a small
 * writer never rewrites the epoch, so it cannot undo a bulk writer's epoch). They are
 * memoised per isolate for MEMO_MS, so a hit costs no I/O: an isolate sees another process's
 * write within MEMO_MS (plus KV's propagation between data centres in production, up to
 * 60 s); the isolate that wrote sees it at once.
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

// Deliberate per-isolate memo of the generation (see above).
let memo: { value: Generation; at: number } | null = null;

/** The generation as KV holds it now, bypassing the memo. Throws when KV does. */
export async function latestGeneration(kv: KVNamespace): Promise<Generation> {
  const [gen, epoch] = await Promise.all([kv.get(GEN_KEY), kv.get(EPOCH_KEY)]);
  return { gen: gen ?? "0", epoch: epoch ?? "0" };
}

/**
 * The generation to key this request's cache reads with, or null when KV cannot say (and
 * no earlier value is known): the caller then bypasses the cache rather than fail.
 */
export async function currentGeneration(kv: KVNamespace, now: number): Promise<Generation | null> {
  if (memo && now - memo.at < MEMO_MS && now >= memo.at) return memo.value;
  try {
    const value = await latestGeneration(kv);
    memo = { value, at: now };
    return value;
  } catch {
    return memo?.value ?? null;
  }
}

/** A fresh token: time-based (readable, ordered) plus randomness (two writers never collide). */
const token = (now: number) => `${now.toString(36)}${Math.random().toString(36).slice(2, 6)}`;

/** Key of an anime entity in L2 under the given epoch. */
export const entityKey = (epoch: string, id: number) => `e${epoch}:anime:${id}`;

export interface InvalidatorOptions {
  now?: () => number;
  /** Delay of the second deletion of entity keys (0 in tests). */
  redeleteAfterMs?: number;
  /** Keeps the second deletion alive past the response (a Worker's waitUntil). */
  defer?: (p: Promise<unknown>) => void;
}

/**
 * Called after every catalog write (import batch, sync, admin edit, re-index): deletes the
 * L2 entity keys of the changed anime (or bumps the epoch for a bulk write), then bumps the
 * generation — in that order, so a reader that already sees the new generation cannot find
 * the old entity in L2. Contract: after `changed()` resolves, no read in this isolate is
 * served anything from before the write.
 *
 * A reader that loaded an anime just before the write can still store it just after the
 * delete. Readers re-check the generation before storing in L1/L2 (response-cache.ts), and
 * the entity keys are deleted a second time `redeleteAfterMs` later; `settled()` waits for
 * that (a CLI awaits it before exiting; a Worker passes `defer`).
 */
export class CatalogInvalidator {
  private readonly followUps: Promise<unknown>[] = [];
  private readonly now: () => number;

  constructor(
    private readonly kv: KVNamespace,
    private readonly options: InvalidatorOptions = {},
  ) {
    this.now = options.now ?? Date.now;
  }

  async settled(): Promise<void> {
    await Promise.all(this.followUps);
  }

  /** Retires everything cached, entities included (admin purge; cold-cache benchmarks). */
  purgeAll(): Promise<Generation> {
    return this.changed([], true);
  }

  async changed(ids: number[], all = false): Promise<Generation> {
    const now = this.now();
    const bulk = all || ids.length > BULK_INVALIDATION;
    const prev = await latestGeneration(this.kv);
    let epoch = prev.epoch;
    if (bulk) {
      epoch = token(now);
      await this.kv.put(EPOCH_KEY, epoch);
    } else if (ids.length) {
      const deleteAll = () => Promise.all([...new Set(ids)].map((id) => this.kv.delete(entityKey(prev.epoch, id))));
      await deleteAll();
      const again = new Promise((r) => setTimeout(r, this.options.redeleteAfterMs ?? 1500)).then(deleteAll);
      if (this.options.defer) this.options.defer(again);
      else this.followUps.push(again);
    }
    const next = { gen: token(now), epoch };
    await this.kv.put(GEN_KEY, next.gen);
    memo = { value: next, at: now };
    return next;
  }
}

/** Forgets the memo (tests that write KV behind the cache's back). */
export function forgetGeneration(): void {
  memo = null;
}
