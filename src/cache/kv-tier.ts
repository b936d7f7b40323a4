import type { CacheRecord, CacheTier } from "./interface";

/** KV refuses an expirationTtl under 60 s. */
const KV_MIN_TTL_S = 60;

/**
 * L2: Workers KV, shared by every isolate and data centre. The record's timing rides in
 * KV metadata (≤ 1 KB), the value is the JSON text; KV expires the key at the hard limit
 * (never sooner than its 60 s minimum — freshness is still judged by the tiered cache).
 */
export class KvTier implements CacheTier {
  readonly name = "L2";

  constructor(private readonly kv: KVNamespace) {}

  async get(key: string): Promise<CacheRecord | null> {
    const { value, metadata } = await this.kv.getWithMetadata<Omit<CacheRecord, "value">>(key, "text");
    return value !== null && metadata ? { ...metadata, value } : null;
  }

  /**
   * Values meant to live under KV's 60 s minimum ("not found", degraded searches) are not
   * written at all: every such miss would otherwise cost a KV write, which anyone could
   * provoke at will. They stay in L0 and L1 for their few seconds.
   */
  async put(key: string, record: CacheRecord, now: number): Promise<void> {
    if (record.staleUntil - record.storedAt < KV_MIN_TTL_S * 1000) return;
    const { value, ...metadata } = record;
    const ttl = Math.max(KV_MIN_TTL_S, Math.ceil((record.staleUntil - now) / 1000));
    await this.kv.put(key, value, { expirationTtl: ttl, metadata });
  }

  async delete(key: string): Promise<void> {
    await this.kv.delete(key);
  }
}
