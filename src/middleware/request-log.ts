import { createMiddleware } from "hono/factory";
import type { AppEnv } from "../context";

/**
 * Writes one structured line per request once the response is known (the request id comes
 * from the logger's context). Only the path is logged, never the query string or headers, so
 * credentials in them never reach logs. A 5xx is an error line, anything else info.
 */
export const requestLog = () =>
  createMiddleware<AppEnv>(async (c, next) => {
    const started = Date.now();
    await next();
    const { log } = c.var.services;
    const fields = { method: c.req.method, path: c.req.path, status: c.res.status, duration_ms: Date.now() - started };
    if (c.res.status >= 500) log.error("request", fields);
    else log.info("request", fields);
  });
