import { createMiddleware } from "hono/factory";
import type { AppEnv } from "../context";
import { Catalog } from "../catalog/catalog";

/**
 * Turns bindings into the services handlers use (`c.var.catalog`, …). Handlers never read
 * bindings themselves, so a backend can be swapped here without touching a route.
 */
export const services = () =>
  createMiddleware<AppEnv>(async (c, next) => {
    c.set("catalog", new Catalog(c.env.DB));
    await next();
  });
