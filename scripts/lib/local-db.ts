/**
 * Local D1 for Node scripts: wrangler's platform proxy opens the same persisted database
 * that `wrangler dev` serves (.wrangler/state), so the CLI import and the running Worker
 * share one catalog. Always dispose() before starting `wrangler dev`.
 */
import { getPlatformProxy } from "wrangler";

/** The bindings a catalog write needs: the database, and the KV where cache invalidation goes. */
export interface CatalogBindings {
  DB: D1Database;
  CACHE: KVNamespace;
}

export async function openLocalEnv(persistPath?: string) {
  const proxy = await getPlatformProxy<CatalogBindings>({ configPath: "wrangler.toml", ...(persistPath ? { persist: { path: persistPath } } : {}) });
  return { env: proxy.env, db: proxy.env.DB, dispose: () => proxy.dispose() };
}
