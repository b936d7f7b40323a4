import { configOf } from "../config";
import { CatalogInvalidator } from "../cache/generation";
import { SyncEngine, type SyncOptions } from "./engine";

/** The sync engine on the Worker's bindings and vars; tests override any option. */
export function syncEngine(env: Env, overrides: Partial<SyncOptions> = {}): SyncEngine {
  const config = configOf(env);
  const invalidator = new CatalogInvalidator(env.CACHE);
  return new SyncEngine({
    db: env.DB,
    bucket: env.CATALOG,
    fetch: (input, init) => fetch(input, init),
    allowPrivate: config.SYNC_ALLOW_PRIVATE_SOURCES === "on",
    timeoutMs: config.SYNC_FETCH_TIMEOUT_MS,
    maxOrphanShare: config.SYNC_MAX_ORPHAN_SHARE,
    invalidate: async (ids) => void (await invalidator.changed(ids)),
    now: Date.now,
    ...overrides,
  });
}

/** The one driver instance: all runs go through it. */
export const syncDriver = (env: Env) => env.SYNC.get(env.SYNC.idFromName("sync"));
