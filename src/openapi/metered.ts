import { ProblemSchema, RETRY_AFTER_HEADER } from "../errors/problem-schema";
import { PROBLEM_CONTENT_TYPE } from "../errors/problem";
import { INVALID_API_KEY_EXAMPLE, problemExample } from "./problem-examples";

/**
 * The rate-limit headers of src/middleware/rate-limit.ts (IETF httpapi ratelimit-headers
 * draft): every metered answer carries RateLimit and RateLimit-Policy, a refusal Retry-After too.
 */
export const RATE_LIMIT_HEADERS = {
  RateLimit: {
    description: 'The limit that binds soonest (fewest units left): `"<name>";r=<remaining>;t=<seconds to reset>`.',
    schema: { type: "string" as const, example: '"daily";r=0;t=3600' },
  },
  "RateLimit-Policy": {
    description: 'Every limit of the caller\'s tier: `"<name>";q=<quota>;w=<window seconds>`, comma-separated (daily, queries, burst).',
    schema: { type: "string" as const, example: '"daily";q=100;w=86400, "queries";q=10;w=86400, "burst";q=2;w=1' },
  },
};

const problem = (example: object) => ({ [PROBLEM_CONTENT_TYPE]: { schema: ProblemSchema, example } });

/**
 * The answers every metered operation (/v1, except admin) can give before its handler runs:
 * 401 for a bad key, 429 when a limit of the caller's tier is used up. Spread into
 * createRoute's `responses` beside the route's own, with `security: API_KEY_OR_ANONYMOUS`.
 */
export function meteredResponses() {
  return {
    401: {
      description: "The API key sent is malformed, unknown or revoked, or was sent in the query string (problem+json, code invalid_api_key). Sending no key is allowed (anonymous).",
      content: problem(INVALID_API_KEY_EXAMPLE),
    },
    429: {
      description: "A limit of the caller's tier is used up: daily requests, daily queries (POST /v1/query, image and multimodal search) or the per-second burst (problem+json, code rate_limited; `detail` names the limit). Retry-After says when to come back.",
      headers: { "Retry-After": RETRY_AFTER_HEADER, ...RATE_LIMIT_HEADERS },
      content: problem(problemExample(429)),
    },
  };
}
