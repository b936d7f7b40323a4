import type { Services } from "../services";

/** Anime per kind one cron run indexes: bounded so the run stays within the CPU limit. */
const CRON_BATCH = 2000;

/**
 * Cron: indexes what imports and syncs changed since the last run (an idle catalog costs
 * two counting queries). Logs one summary line.
 */
export async function indexPendingSearch(s: Services): Promise<void> {
  const done = await s.indexer.indexBatch(CRON_BATCH);
  const left = await s.indexer.pending();
  s.log.info("search.indexed", { ...done, remaining: left });
}
