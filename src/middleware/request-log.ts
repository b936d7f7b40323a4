import { createMiddleware } from "hono/factory";
import type { AppEnv } from "../context";

/**
 * Requests another request dispatched in-process (an MCP tool call runs its route so): the
 * dispatching request's line reports them (`logFields`), so each is not logged again.
 * Deliberate per-isolate state, weakly held: an entry lives as long as its Request.
 */
export const DISPATCHED = new WeakSet<Request>();

/**
 * Writes one structured line per request once the response is known (the request id comes
 * from the logger's context). Only the path is logged, never the query string or headers, so
 * credentials in them never reach logs. A 5xx is an error line, anything else info.
 */
export const requestLog = () =>
  createMiddleware<AppEnv>(async (c, next) => {
    if (DISPATCHED.has(c.req.raw)) return next();
    const started = Date.now();
    await next();
    const { log } = c.var.services;
    const fields: Record<string, unknown> = { method: c.req.method, path: c.req.path, status: c.res.status, duration_ms: Date.now() - started, ...c.get("logFields") };
    // A dispatched route's 5xx (route_status, /mcp) is an error too, though the dispatching request answered.
    if (c.res.status >= 500 || Number(fields.route_status) >= 500) log.error("request", fields);
    else log.info("request", fields);
  });
