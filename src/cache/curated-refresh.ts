import { curatedKeyParams, CURATED_LISTS } from "../catalog/curated";
import type { Services } from "../services";

/**
 * Hourly cron: recomputes the curated lists and stores them in every tier under the current
 * catalog generation, so the lists' first readers find them in KV instead of D1. (After a
 * catalog write the generation changes and the first request recomputes them until the
 * next run.) Logs one summary line; returns the lists stored.
 */
export async function refreshCurated(s: Services): Promise<number> {
  const sizes: Record<string, number> = {};
  // Read before computing: lists computed from D1 are stored only under the generation they
  // were computed in (a write meanwhile leaves them to be computed on first request).
  const g = await s.catalogGeneration();
  for (const list of CURATED_LISTS) {
    const value = await s.catalog.curated(list, s.now());
    const stored = await s.cache.write(`curated:${list}`, curatedKeyParams(list, s.now()), value, "curated", g);
    sizes[list] = stored ? value.data.length : -1;
  }
  s.log.info("curated.refreshed", sizes);
  return Object.values(sizes).filter((n) => n >= 0).length;
}
