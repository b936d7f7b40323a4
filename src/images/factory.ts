import { configOf } from "../config";
import { CatalogInvalidator } from "../cache/generation";
import { ImageIngestor, type IngestOptions } from "./ingestor";
import { ImageIndexer } from "./image-index";

/** The ingestor on the Worker's bindings and vars; tests override any option. */
export function imageIngestor(env: Env, overrides: Partial<IngestOptions> = {}): ImageIngestor {
  const config = configOf(env);
  const invalidator = new CatalogInvalidator(env.CACHE);
  return new ImageIngestor({
    db: env.DB,
    bucket: env.IMAGES,
    fetch: (input, init) => fetch(input, init),
    timeoutMs: config.IMAGE_FETCH_TIMEOUT_MS,
    maxBytes: config.IMAGE_MAX_BYTES,
    allowPrivate: config.IMAGE_ALLOW_PRIVATE_SOURCES === "on",
    now: Date.now,
    invalidate: async (ids) => void (await invalidator.changed(ids)),
    afterBatch: () => new ImageIndexer(env).catchUp(),
    ...overrides,
  });
}
