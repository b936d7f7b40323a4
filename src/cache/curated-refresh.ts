import { Catalog } from "../catalog/catalog";
import { curatedKeyParams, CURATED_LISTS } from "../catalog/curated";
import { latestGeneration } from "./generation";
import { configOf } from "../config";
import { cacheTiers } from "./tiers";
import { ResponseCache } from "./response-cache";
import { TieredCache } from "./tiered-cache";

/**
 * Hourly cron: recomputes the curated lists and stores them in every tier under the current
 * catalog generation, so the lists' first readers find them in KV instead of D1. (After a
 * catalog write the generation changes and the first request recomputes them until the
 * next run.) Logs one summary line.
 */
export async function refreshCurated(env: Env, ctx: ExecutionContext, now: () => number = Date.now): Promise<void> {
  const cache = new ResponseCache(new TieredCache(cacheTiers(env.CACHE), now, (p) => ctx.waitUntil(p)), env.CACHE, now);
  const catalog = new Catalog(env.DB);
  const sizes: Record<string, number> = {};
  // Read before computing: lists computed from D1 are stored only under the generation they
  // were computed in (a write meanwhile leaves them to be computed on first request).
  const g = await latestGeneration(env.CACHE);
  for (const list of CURATED_LISTS) {
    const value = await catalog.curated(list, now());
    const stored = await cache.write(`curated:${list}`, curatedKeyParams(list, now()), value, "curated", g);
    sizes[list] = stored ? value.data.length : -1;
  }
  if (configOf(env).LOG_LEVEL !== "silent") console.log(JSON.stringify({ event: "curated.refreshed", ...sizes }));
}
