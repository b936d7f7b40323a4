/**
 * The closed list of error codes. A code is a stable contract with API consumers: never
 * rename one; add a new one instead. Each maps to one HTTP status and a fixed title.
 */
export const ERROR_CODES = {
  validation_failed: { status: 400, title: "Request validation failed", description: "A path or query parameter is missing, malformed or out of range; `errors` lists each one." },
  invalid_cursor: { status: 400, title: "Invalid cursor", description: "The `cursor` is malformed, or was issued for a different sort or different filters." },
  unauthorized: { status: 401, title: "Unauthorized", description: "The route needs credentials and none were sent; the WWW-Authenticate header says which." },
  invalid_api_key: { status: 401, title: "Invalid API key", description: "The API key is malformed, unknown or revoked, or was sent in the query string (send it as `Authorization: Bearer <key>` or `X-API-Key`)." },
  rate_limited: { status: 429, title: "Rate limited", description: "A limit of the caller's tier is used up, or (admin routes) the client address made too many failed admin-token attempts; `detail` names it and Retry-After says when to come back." },
  forbidden: { status: 403, title: "Forbidden", description: "The credentials sent do not grant access to this route." },
  not_found: { status: 404, title: "Not found", description: "No resource exists under this identifier." },
  route_not_found: { status: 404, title: "Route not found", description: "No route matches this path; see /openapi.json." },
  conflict: { status: 409, title: "Conflict", description: "The resource's state does not allow this now: a review already decided, a sync already running." },
  method_not_allowed: { status: 405, title: "Method not allowed", description: "The route exists but not for this method; the Allow header lists those it supports." },
  unsupported_media_type: { status: 415, title: "Unsupported media type", description: "The request body must be JSON, sent with `Content-Type: application/json`." },
  payload_too_large: { status: 413, title: "Payload too large", description: "The request body exceeds the size limit." },
  internal_error: { status: 500, title: "Internal error", description: "An unexpected failure on our side; report the request_id." },
  service_unavailable: { status: 503, title: "Service unavailable", description: "A backing service did not respond; retry later." },
} as const satisfies Record<string, { status: number; title: string; description: string }>;

export type ErrorCode = keyof typeof ERROR_CODES;
