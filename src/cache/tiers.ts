import { CacheApiTier } from "./cache-api-tier";
import type { CacheTier } from "./interface";
import { KvTier } from "./kv-tier";
import { isolateMemory } from "./memory-tier";

/** The tiers, fastest first: this isolate's memory, the data centre's Cache API, KV. */
export function cacheTiers(kv: KVNamespace): CacheTier[] {
  return [isolateMemory, new CacheApiTier(caches.default), new KvTier(kv)];
}
