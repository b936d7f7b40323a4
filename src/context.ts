import type { RequestIdVariables } from "hono/request-id";
import type { Catalog } from "./catalog/catalog";
import type { SearchService } from "./search/search-service";
import type { SearchIndexer } from "./search/indexer";
import type { QueryParser } from "./search/query/interface";
import type { ResponseCache } from "./cache/response-cache";
import type { CatalogInvalidator } from "./cache/generation";
import type { KeyStore } from "./access/key-store";
import type { KeyState } from "./access/quota-object";
import type { QuotaService } from "./access/quota-service";
import type { LeaseBook } from "./access/leases";
import type { SyncService } from "./sync/service";
import type { ImageSearchBackend } from "./images/image-search";

/** Hono environment of the app: typed bindings plus the services the init middleware provides. */
export interface AppEnv {
  Bindings: Env;
  Variables: RequestIdVariables & {
    catalog: Catalog;
    /** Read-through tiers L0 → L1 → L2 → D1 (src/cache). */
    cache: ResponseCache;
    /** Told of every catalog write; bumps the generation, deletes entity keys. */
    invalidator: CatalogInvalidator;
    /** Who is calling: their key (null: anonymous) and the name of their quota object. */
    caller: { key: KeyState | null; quota: string };
    /** Units leased from quota objects, in isolate memory (one book per app). */
    leases: LeaseBook;
    /** Callers' standing (GET /v1/me). */
    quota: QuotaService;
    /** Sync runs and the review queue (admin routes). */
    sync: SyncService;
    /** API keys (admin routes). */
    keys: KeyStore;
    /** The clock of the request (tests inject one through createApp). */
    clock: () => number;
    search: SearchService;
    /** Built on call: only the image-search routes use it. */
    imageSearch: () => ImageSearchBackend;
    queryParser: QueryParser;
    /** Built on call: only the admin routes index. */
    indexer: () => SearchIndexer;
  };
}
