/**
 * The catalog generation: a token that changes on every catalog write and is part of every
 * L0/L1 key and of every list and search key, so no tier can serve a list from before the
 * write. Entities in L2 are keyed by an `epoch` instead, which changes only on bulk writes:
 * a small write deletes the entity keys it touched, leaving the other entities cached.
 *
 * Stored in KV (`meta:catalog-generation`) and memoised per isolate for MEMO_MS, so a hit
 * costs no I/O: an isolate sees another process's write within MEMO_MS (plus KV's own
 * propagation between data centres in production, up to 60 s); the isolate that wrote sees
 * it at once.
 */
export interface Generation {
  gen: string;
  epoch: string;
}

const KEY = "meta:catalog-generation";
export const MEMO_MS = 1000;
/** Above this many changed anime, one epoch bump beats deleting each entity key. */
export const BULK_INVALIDATION = 200;
const INITIAL: Generation = { gen: "0", epoch: "0" };

// Deliberate per-isolate memo of the generation (see above).
let memo: { value: Generation; at: number } | null = null;

/** The generation as KV holds it now, bypassing the memo (a guard before storing a loaded value). */
export async function latestGeneration(kv: KVNamespace): Promise<Generation> {
  return (await kv.get<Generation>(KEY, "json").catch(() => null)) ?? INITIAL;
}

export async function currentGeneration(kv: KVNamespace, now: number): Promise<Generation> {
  if (memo && now - memo.at < MEMO_MS && now >= memo.at) return memo.value;
  const value = (await kv.get<Generation>(KEY, "json")) ?? INITIAL;
  memo = { value, at: now };
  return value;
}

/** A fresh token: time-based (readable, ordered) plus randomness (two writers never collide). */
const token = (now: number) => `${now.toString(36)}${Math.random().toString(36).slice(2, 6)}`;

/** Key of an anime entity in L2 under the given epoch. */
export const entityKey = (epoch: string, id: number) => `e${epoch}:anime:${id}`;

/**
 * Called after every catalog write (import batch, sync, admin edit, re-index): bumps the
 * generation and deletes the L2 entity keys of the changed anime (or bumps the epoch for a
 * bulk write). Contract: after `changed()` resolves, no read in this isolate is served
 * anything from before the write.
 *
 * A reader that loaded an anime just before the write can still store it just after the
 * delete. Readers re-check the generation before storing (tiered-cache.ts), and the keys are
 * deleted a second time `redeleteAfterMs` later, which closes the rest of that window;
 * `settled()` waits for those second deletes (a CLI awaits it before exiting).
 */
export class CatalogInvalidator {
  private readonly followUps: Promise<unknown>[] = [];

  constructor(
    private readonly kv: KVNamespace,
    private readonly now: () => number = Date.now,
    private readonly redeleteAfterMs = 1500,
  ) {}

  async settled(): Promise<void> {
    await Promise.all(this.followUps);
  }

  /** Retires everything cached, entities included (admin purge; cold-cache benchmarks). */
  purgeAll(): Promise<Generation> {
    return this.changed([], true);
  }

  async changed(ids: number[], all = false): Promise<Generation> {
    const now = this.now();
    const prev = (await this.kv.get<Generation>(KEY, "json")) ?? INITIAL;
    const bulk = all || ids.length > BULK_INVALIDATION;
    const next = { gen: token(now), epoch: bulk ? token(now) : prev.epoch };
    await this.kv.put(KEY, JSON.stringify(next));
    memo = { value: next, at: now };
    if (!bulk && ids.length) {
      const deleteAll = () => Promise.all([...new Set(ids)].map((id) => this.kv.delete(entityKey(prev.epoch, id))));
      await deleteAll();
      this.followUps.push(new Promise((r) => setTimeout(r, this.redeleteAfterMs)).then(deleteAll));
    }
    return next;
  }
}

/** Forgets the memo (tests that write KV behind the cache's back). */
export function forgetGeneration(): void {
  memo = null;
}
