import type { Hono } from "hono";
import { PatternRouter } from "hono/router/pattern-router";
import { ApiError } from "../errors/api-error";

const METHODS = ["GET", "POST", "PUT", "PATCH", "DELETE"];

/**
 * Distinguishes "no such route" (404) from "no such method on this route" (405, with an
 * Allow header) for the app's notFound handler. The router is built once per isolate, on
 * first use, from the routes the app registered (middleware entries excluded).
 */
export function routeMissError(app: Hono<any>): (method: string, path: string) => ApiError {
  let router: PatternRouter<true> | undefined;
  return (method, path) => {
    if (!router) {
      router = new PatternRouter<true>();
      for (const r of app.routes) if (METHODS.includes(r.method)) router.add(r.method, r.path, true);
    }
    const allowed = METHODS.filter((m) => router!.match(m, path)[0].length > 0);
    if (allowed.length === 0) return new ApiError("route_not_found", `No route matches ${path}.`);
    if (allowed.includes("GET")) allowed.push("HEAD");
    return new ApiError("method_not_allowed", `${method} is not allowed on ${path}; allowed: ${allowed.join(", ")}.`, {
      headers: { Allow: allowed.join(", ") },
    });
  };
}
