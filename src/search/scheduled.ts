import { configOf } from "../config";
import { searchBackends } from "./backends";
import { SearchIndexer } from "./indexer";
import { CatalogInvalidator } from "../cache/generation";

/** Anime per kind one cron run indexes: bounded so the run stays within the CPU limit. */
const CRON_BATCH = 2000;

/**
 * Cron: indexes what imports and syncs changed since the last run (an idle catalog costs
 * two counting queries). Logs one summary line.
 */
export async function indexPendingSearch(env: Env): Promise<void> {
  const config = configOf(env);
  const b = searchBackends(env, config);
  const invalidator = new CatalogInvalidator(env.CACHE);
  const indexer = new SearchIndexer(env.DB, b.embedder, b.vectorIndex, Date.now, () => invalidator.changed([]));
  const done = await indexer.indexBatch(CRON_BATCH);
  const left = await indexer.pending();
  if (config.LOG_LEVEL !== "silent") console.log(JSON.stringify({ event: "search.indexed", ...done, remaining: left }));
}
