import type { RequestIdVariables } from "hono/request-id";
import type { Catalog } from "./catalog/catalog";
import type { SearchService } from "./search/search-service";
import type { SearchIndexer } from "./search/indexer";
import type { QueryParser } from "./search/query/interface";

/** Hono environment of the app: typed bindings plus the services the init middleware provides. */
export interface AppEnv {
  Bindings: Env;
  Variables: RequestIdVariables & {
    catalog: Catalog;
    search: SearchService;
    queryParser: QueryParser;
    /** Built on call: only the admin routes index. */
    indexer: () => SearchIndexer;
  };
}
