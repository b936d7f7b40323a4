/**
 * One cached value with its timing, as every tier stores it. `value` is JSON text; `status`
 * is 200, or 404 for a cached "not found" (kept for seconds only). Times are epoch ms:
 * fresh until `freshUntil`, then served stale (and refreshed in the background) until
 * `staleUntil`, the hard limit past which it is never served.
 */
export interface CacheRecord {
  value: string;
  status: 200 | 404;
  storedAt: number;
  freshUntil: number;
  staleUntil: number;
}

export type TierName = "L0" | "L1" | "L2";

/**
 * One cache tier. Contract: `get` returns what was put under the key (or null: never
 * stored, evicted, expired by the backend); it never judges freshness — the tiered cache
 * does, with its own clock. Failures throw; the tiered cache treats them as misses.
 */
export interface CacheTier {
  readonly name: TierName;
  get(key: string): Promise<CacheRecord | null>;
  /** `now` is the tiered cache's clock (tests inject one): tiers derive their TTLs from it. */
  put(key: string, record: CacheRecord, now: number): Promise<void>;
  delete(key: string): Promise<void>;
}
