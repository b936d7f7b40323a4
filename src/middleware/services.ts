import { createMiddleware } from "hono/factory";
import type { AppEnv } from "../context";
import { configOf } from "../config";
import { Catalog } from "../catalog/catalog";
import { KeywordIndex } from "../search/keyword/keyword-index";
import { SearchService } from "../search/search-service";
import { SearchIndexer } from "../search/indexer";
import { searchBackends } from "../search/backends";

/**
 * Turns bindings into the services handlers use (`c.var.catalog`, `c.var.search`, …).
 * Handlers never read bindings themselves, so a backend can be swapped here without
 * touching a route.
 */
export const services = () =>
  createMiddleware<AppEnv>(async (c, next) => {
    const config = configOf(c.env);
    const backends = searchBackends(c.env, config);
    const catalog = new Catalog(c.env.DB);
    const vectors = { embedder: backends.embedder, index: backends.vectorIndex, timeoutMs: config.VECTOR_TIMEOUT_MS };
    const requestId = c.var.requestId;
    const onDegrade = (reason: string, message?: string) => {
      if (config.LOG_LEVEL !== "silent") console.warn(JSON.stringify({ event: "search.vector_degraded", request_id: requestId, reason, message }));
    };
    c.set("catalog", catalog);
    c.set("search", new SearchService(catalog, c.env.DB, new KeywordIndex(c.env.DB), vectors, onDegrade));
    c.set("queryParser", backends.queryParser);
    c.set("indexer", new SearchIndexer(c.env.DB, backends.embedder, backends.vectorIndex));
    await next();
  });
