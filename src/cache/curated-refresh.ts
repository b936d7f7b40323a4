import { Catalog } from "../catalog/catalog";
import { computeCurated, curatedKeyParams, CURATED_LISTS } from "../catalog/curated";
import { configOf } from "../config";
import { CacheApiTier } from "./cache-api-tier";
import { KvTier } from "./kv-tier";
import { isolateMemory } from "./memory-tier";
import { ResponseCache } from "./response-cache";
import { TieredCache } from "./tiered-cache";

/**
 * Hourly cron: recomputes the curated lists and stores them in every tier under the current
 * catalog generation, so the lists' first readers find them in KV instead of D1. (After a
 * catalog write the generation changes and the first request recomputes them until the
 * next run.) Logs one summary line.
 */
export async function refreshCurated(env: Env, ctx: ExecutionContext, now: () => number = Date.now): Promise<void> {
  const cache = new ResponseCache(new TieredCache([isolateMemory, new CacheApiTier(caches.default), new KvTier(env.CACHE)], now, (p) => ctx.waitUntil(p)), env.CACHE, now);
  const catalog = new Catalog(env.DB);
  const sizes: Record<string, number> = {};
  for (const list of CURATED_LISTS) {
    const value = await computeCurated(env.DB, catalog, list, now());
    await cache.write(`curated:${list}`, curatedKeyParams(list, now()), value, "curated");
    sizes[list] = value.data.length;
  }
  if (configOf(env).LOG_LEVEL !== "silent") console.log(JSON.stringify({ event: "curated.refreshed", ...sizes }));
}
