/**
 * The local bindings for Node scripts: wrangler's platform proxy opens the same persisted
 * state that `wrangler dev` serves (.wrangler/state), so the CLI and the running Worker share
 * one catalog. Scripts build their services with the same composition root as the Worker
 * (src/services.ts). Always dispose() before starting `wrangler dev`.
 */
import { getPlatformProxy } from "wrangler";
import { buildServices, collectingScope, type Services } from "../../src/services";

export interface LocalServices {
  services: Services;
  /** Waits for the work the services deferred (the cache invalidator's second delete), then closes the proxy. */
  dispose: () => Promise<void>;
}

export async function openLocalServices(options: { persistPath?: string; job: string }): Promise<LocalServices> {
  const proxy = await getPlatformProxy<Env>({ configPath: "wrangler.toml", ...(options.persistPath ? { persist: { path: options.persistPath } } : {}) });
  const scope = collectingScope();
  // Scripts print their own progress: the services' log lines are for errors only.
  const env = { ...proxy.env, LOG_LEVEL: "error" } as Env;
  const services = buildServices(env, scope, { context: { job: options.job } });
  return {
    services,
    dispose: async () => {
      await scope.settled();
      await proxy.dispose();
    },
  };
}
