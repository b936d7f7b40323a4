import type { Services } from "../services";

/** Anime per kind one cron run indexes: bounded so the run stays within the CPU limit. */
const CRON_BATCH = 2000;

/**
 * Cron: indexes what imports and syncs changed since the last run (an idle catalog costs
 * two counting queries). Logs one summary line; returns the anime indexed (text and vectors), the run's items.
 */
export async function indexPendingSearch(s: Services): Promise<number> {
  const done = await s.indexer.indexBatch(CRON_BATCH);
  const left = await s.indexer.pending();
  s.log.info("search.indexed", { ...done, remaining: left });
  return done.text + done.vectors;
}
