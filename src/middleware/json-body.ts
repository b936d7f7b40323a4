import { createMiddleware } from "hono/factory";
import type { AppEnv } from "../context";
import { ApiError } from "../errors/api-error";

const JSON_TYPE = /^application\/(?:[\w.+-]+\+)?json\s*(?:;|$)/i;

/**
 * Every request body of this API is JSON. A body sent under another media type would skip
 * the JSON validator and reach the handler unvalidated, so it is refused up front (415).
 */
export const jsonBodies = () =>
  createMiddleware<AppEnv>(async (c, next) => {
    // An empty body is no body (POST /v1/admin/sync with nothing to say), whatever its type.
    const empty = c.req.raw.body === null || c.req.header("Content-Length") === "0";
    if (["POST", "PUT", "PATCH"].includes(c.req.method) && !empty && !JSON_TYPE.test(c.req.header("Content-Type") ?? "")) {
      throw new ApiError("unsupported_media_type", "Send the body as JSON with `Content-Type: application/json`.");
    }
    await next();
  });
