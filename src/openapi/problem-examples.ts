import { ERROR_CODES, type ErrorCode } from "../errors/codes";

/** The error statuses routes declare with problemResponses (src/errors/problem-schema.ts). */
export type ProblemStatus = 400 | 401 | 403 | 404 | 409 | 413 | 415 | 429 | 503;

type Example = { code: ErrorCode; detail: string; instance: string; errors?: { param: string; message: string }[] };

/**
 * One example body per status, each with the code that status carries: what a client sees.
 * (401 is the admin routes' `unauthorized`; the metered routes' 401, `invalid_api_key`, is
 * `INVALID_API_KEY_EXAMPLE`.)
 */
const EXAMPLES: Record<ProblemStatus, Example> = {
  400: { code: "validation_failed", detail: "limit: Too big: expected number to be <=100", instance: "/v1/anime", errors: [{ param: "limit", message: "Too big: expected number to be <=100" }] },
  401: { code: "unauthorized", detail: "Send the admin token as `Authorization: Bearer <token>`.", instance: "/v1/admin/keys" },
  403: { code: "forbidden", detail: "The admin token is not valid.", instance: "/v1/admin/keys" },
  404: { code: "not_found", detail: "No anime with id 999999.", instance: "/v1/anime/999999" },
  409: { code: "conflict", detail: "Sync run 12 is still running (started 2026-11-21T01:00:00.000Z); one run at a time.", instance: "/v1/admin/sync" },
  413: { code: "payload_too_large", detail: "The request body exceeds 65536 bytes.", instance: "/v1/query" },
  415: { code: "unsupported_media_type", detail: "Send the body as JSON with `Content-Type: application/json`.", instance: "/v1/query" },
  429: { code: "rate_limited", detail: "The daily limit (100) is used up; retry after 3600 s.", instance: "/v1/anime/1" },
  503: { code: "service_unavailable", detail: "Semantic search became unavailable during this walk; retry shortly, or start again without a cursor.", instance: "/v1/search" },
};

const REQUEST_ID = "4f9c2e1a-8d7b-4c3e-9a1f-2b6d5e8c7a90";

/** A full problem+json body for the example: type, title and status follow from the code. */
function body(e: Example) {
  const def = ERROR_CODES[e.code];
  return { type: `/problems/${e.code}`, title: def.title, status: def.status, detail: e.detail, code: e.code, request_id: REQUEST_ID, instance: e.instance, ...(e.errors ? { errors: e.errors } : {}) };
}

/** The example body of a status. */
export const problemExample = (status: ProblemStatus) => body(EXAMPLES[status]);

/** A metered route's 401: the key sent is malformed, unknown or revoked, or sent in the query string. */
export const INVALID_API_KEY_EXAMPLE = body({ code: "invalid_api_key", detail: "The API key is not known.", instance: "/v1/me" });
