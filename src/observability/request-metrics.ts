import type { Context } from "hono";
import { createMiddleware } from "hono/factory";
import { matchedRoutes } from "hono/route";
import type { AppEnv } from "../context";
import { DISPATCHED } from "../middleware/request-log";

/** The route of a path no route serves (404, 405): one value, so made-up paths cannot grow the dataset's cardinality. */
export const UNMATCHED = "(unmatched)";

/**
 * The route template that serves this request (`/v1/anime/:id`), whether or not its handler
 * ran (a 429 from the limiter still counts for its route); UNMATCHED when no route has the path.
 */
export function routeTemplate(c: Context<AppEnv>): string {
  const handlers = matchedRoutes(c).filter((r) => r.method !== "ALL");
  return handlers.length > 0 ? handlers[handlers.length - 1].path : UNMATCHED;
}

/** Says which legs this answer was served without (search, similar, query, multimodal): the request's data point records them. */
export function noteDegraded(c: Context<AppEnv>, legs: readonly string[]): void {
  if (legs.length > 0) c.set("degraded", legs);
}

function callerTier(c: Context<AppEnv>): string {
  if (c.req.path === "/v1/admin" || c.req.path.startsWith("/v1/admin/")) return "admin";
  const caller = c.get("caller");
  if (caller) return caller.key?.tier ?? "anonymous";
  // Refused before the limiter named the caller (a 429 of a keyed caller, a 401): what was sent.
  if (!c.req.path.startsWith("/v1/")) return "-";
  return c.req.header("Authorization") !== undefined || c.req.header("X-API-Key") !== undefined ? "key" : "anonymous";
}

/**
 * Writes one data point per request once the response is known (src/observability/data-points.ts):
 * route template, method, status, cache tier (X-Cache), degraded legs, caller tier, duration.
 * The write is synchronous and non-blocking (Analytics Engine queues it; the local window is an
 * array slot), so the response is not held. Requests another request dispatches in-process
 * (MCP tool calls) are counted once, as the dispatching request.
 */
export const requestMetrics = () =>
  createMiddleware<AppEnv>(async (c, next) => {
    if (DISPATCHED.has(c.req.raw) || c.var.services.config.METRICS_WRITES === "off") return next();
    const started = Date.now();
    await next();
    const now = Date.now();
    c.var.services.metrics.write({
      kind: "request",
      at: now,
      route: routeTemplate(c),
      method: c.req.method,
      status: c.res.status,
      cache: c.res.headers.get("X-Cache") ?? "-",
      degraded: [...(c.get("degraded") ?? [])],
      tier: callerTier(c),
      durationMs: now - started,
    });
  });
