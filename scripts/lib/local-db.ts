/**
 * Local D1 for Node scripts: wrangler's platform proxy opens the same persisted database
 * that `wrangler dev` serves (.wrangler/state), so the CLI import and the running Worker
 * share one catalog. Always dispose() before starting `wrangler dev`.
 */
import { getPlatformProxy } from "wrangler";

export async function openLocalEnv() {
  const proxy = await getPlatformProxy<{ DB: D1Database }>({ configPath: "wrangler.toml" });
  return { db: proxy.env.DB, dispose: () => proxy.dispose() };
}
