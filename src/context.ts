import type { RequestIdVariables } from "hono/request-id";
import type { Catalog } from "./catalog/catalog";

/** Hono environment of the app: typed bindings plus the services the init middleware provides. */
export interface AppEnv {
  Bindings: Env;
  Variables: RequestIdVariables & {
    catalog: Catalog;
  };
}
