import { createMiddleware } from "hono/factory";
import type { AppEnv } from "../context";
import { configOf } from "../config";
import { Catalog } from "../catalog/catalog";
import { KeywordIndex } from "../search/keyword/keyword-index";
import { SearchService } from "../search/search-service";
import { SearchIndexer } from "../search/indexer";
import { searchBackends, type SearchBackends } from "../search/backends";
import type { VectorSearch } from "../search/vector-leg";
import type { QueryParser } from "../search/query/interface";
import { TieredCache } from "../cache/tiered-cache";
import { cacheTiers } from "../cache/tiers";
import { KeyStore } from "../access/key-store";
import { QuotaService } from "../access/quota-service";
import { LeaseBook } from "../access/leases";
import { anonymousQuota } from "./rate-limit";
import { SyncService } from "../sync/service";
import { imageSearchBackend } from "../images/image-search";
import { ResponseCache } from "../cache/response-cache";
import { CatalogInvalidator } from "../cache/generation";

export interface ServicesOptions {
  /** Clock of the cache and its headers; tests inject one to expire entries. */
  now?: () => number;
}

/**
 * Turns bindings into the services handlers use (`c.var.catalog`, `c.var.search`, …).
 * Handlers never read bindings themselves, so a backend can be swapped here without
 * touching a route. The search backends are built on first use: most requests (a lookup,
 * a browse) never touch them.
 */
export const services = (options: ServicesOptions = {}) => {
  // Deliberate per-app (so per-isolate) state: quota leases outlive a request by design.
  const leases = new LeaseBook();
  return createMiddleware<AppEnv>(async (c, next) => {
    const config = configOf(c.env);
    const now = options.now ?? Date.now;
    let built: SearchBackends | undefined;
    const backends = () => (built ??= searchBackends(c.env, config));
    const catalog = new Catalog(c.env.DB);
    const vectors: VectorSearch = {
      get embedder() {
        return backends().queryEmbedder;
      },
      get index() {
        return backends().vectorIndex;
      },
      timeoutMs: config.VECTOR_TIMEOUT_MS,
    };
    const queryParser: QueryParser = {
      get backend() {
        return backends().queryParser.backend;
      },
      parse: (query, vocabulary) => backends().queryParser.parse(query, vocabulary),
    };
    const requestId = c.var.requestId;
    const onDegrade = (reason: string, message?: string) => {
      if (config.LOG_LEVEL !== "silent") console.warn(JSON.stringify({ event: "search.vector_degraded", request_id: requestId, reason, message }));
    };
    const onCacheError = (tier: string, op: string, err: unknown) => {
      if (config.LOG_LEVEL !== "silent") console.warn(JSON.stringify({ event: "cache.tier_error", request_id: requestId, tier, op, message: err instanceof Error ? err.message : String(err) }));
    };
    const tiered = new TieredCache(cacheTiers(c.env.CACHE), now, (p) => c.executionCtx.waitUntil(p), onCacheError);
    const invalidator = new CatalogInvalidator(c.env.CACHE, { now, defer: (p) => c.executionCtx.waitUntil(p) });
    c.set("clock", now);
    c.set("cache", new ResponseCache(tiered, c.env.CACHE, now));
    c.set("invalidator", invalidator);
    // Anonymous until the rate limiter (which runs next) says otherwise, or when it is off.
    c.set("caller", { key: null, quota: anonymousQuota(c.req.header("CF-Connecting-IP")) });
    c.set("catalog", catalog);
    c.set("leases", leases);
    c.set("keys", new KeyStore(c.env.DB, c.env.QUOTA));
    c.set("sync", new SyncService(c.env, (ids) => invalidator.changed(ids).then(() => undefined)));
    c.set("quota", new QuotaService(c.env.QUOTA, c.env.DB, config.RATE_LIMITS, leases));
    c.set("imageSearch", () => imageSearchBackend(c.env, backends));
    c.set("search", new SearchService(catalog, c.env.DB, new KeywordIndex(c.env.DB), vectors, onDegrade));
    c.set("queryParser", queryParser);
    c.set("indexer", () => new SearchIndexer(c.env.DB, backends().embedder, backends().vectorIndex, now, () => invalidator.changed([])));
    await next();
  });
};
