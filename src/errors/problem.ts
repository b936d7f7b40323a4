import type { Context } from "hono";
import { HTTPException } from "hono/http-exception";
import type { ZodError } from "zod";
import { createLogger } from "../logging/logger";
import type { AppEnv } from "../context";
import { ApiError, validationError, type ParamError } from "./api-error";
import { ERROR_CODES, type ErrorCode } from "./codes";

export const PROBLEM_CONTENT_TYPE = "application/problem+json";

/** Renders an ApiError as an RFC 9457 problem document carrying the request id. */
export function problemResponse(c: Context<AppEnv>, err: ApiError): Response {
  const def = ERROR_CODES[err.code];
  const body = {
    type: `/problems/${err.code}`,
    title: def.title,
    status: def.status,
    detail: err.detail,
    code: err.code,
    request_id: c.get("requestId") ?? null,
    instance: c.req.path,
    ...(err.options.errors ? { errors: err.options.errors } : {}),
    ...(err.options.errorsOmitted ? { errors_omitted: err.options.errorsOmitted } : {}),
  };
  return c.body(JSON.stringify(body), def.status as 400, { "Content-Type": PROBLEM_CONTENT_TYPE, ...err.options.headers });
}

const STATUS_CODES: Record<number, ErrorCode> = { 400: "validation_failed", 404: "not_found", 405: "method_not_allowed", 413: "payload_too_large", 415: "unsupported_media_type", 503: "service_unavailable" };

/** app.onError: the single path every thrown error takes to the client. */
export function handleError(err: Error, c: Context<AppEnv>): Response {
  if (err instanceof ApiError) return problemResponse(c, err);
  if (err instanceof HTTPException && STATUS_CODES[err.status]) {
    return problemResponse(c, new ApiError(STATUS_CODES[err.status], err.message || ERROR_CODES[STATUS_CODES[err.status]].title));
  }
  // Unexpected: log the details for operators, tell the client only the request id. (No
  // services when building them failed: a broken config must still be logged.)
  const log = c.get("services")?.log ?? createLogger("error", { request_id: c.get("requestId") });
  log.error("unhandled_error", { path: c.req.path, message: String(err), stack: err.stack });
  return problemResponse(c, new ApiError("internal_error", "An unexpected error occurred. Quote the request_id when reporting it."));
}

/** Turns zod issues into `{param, message}` pairs (unknown keys become one pair each). */
export function zodParamErrors(error: ZodError): ParamError[] {
  return error.issues.flatMap((issue) => {
    if (issue.code === "unrecognized_keys") {
      return issue.keys.map((k) => ({ param: [...issue.path, k].join("."), message: "unknown parameter" }));
    }
    // List items are reported against their parameter: "type", not "type.0".
    const param = issue.path.filter((p) => typeof p === "string").join(".");
    return [{ param: param || "request", message: issue.message }];
  });
}

/** Validation hook of every OpenAPI route: same problem body as every other error. */
export function validationHook(result: { success: true } | { success: false; error: ZodError }): void {
  if (!result.success) throw validationError(zodParamErrors(result.error));
}
