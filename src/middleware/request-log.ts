import { createMiddleware } from "hono/factory";
import type { AppEnv } from "../context";

/**
 * Writes one structured JSON line per request once the response is known. Only the path
 * is logged, never the query string or headers, so credentials in them never reach logs.
 */
export const requestLog = (options: { enabled: (env: Env) => boolean }) =>
  createMiddleware<AppEnv>(async (c, next) => {
    const started = Date.now();
    await next();
    if (!options.enabled(c.env)) return;
    console.log(
      JSON.stringify({
        level: c.res.status >= 500 ? "error" : "info",
        msg: "request",
        request_id: c.get("requestId"),
        method: c.req.method,
        path: c.req.path,
        status: c.res.status,
        duration_ms: Date.now() - started,
      }),
    );
  });
