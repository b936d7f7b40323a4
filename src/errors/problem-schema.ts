import { z } from "@hono/zod-openapi";
import { ERROR_CODES } from "./codes";
import { PROBLEM_CONTENT_TYPE } from "./problem";
import { problemExample, type ProblemStatus } from "../openapi/problem-examples";

/** OpenAPI description of the problem+json body that handleError produces. */
export const ProblemSchema = z
  .object({
    type: z.string().openapi({ example: "/problems/not_found" }),
    title: z.string().openapi({ example: "Not found" }),
    status: z.number().int().openapi({ example: 404 }),
    detail: z.string().openapi({ example: "No anime with id 999999." }),
    code: z.enum(Object.keys(ERROR_CODES) as [keyof typeof ERROR_CODES]).openapi({ example: "not_found" }),
    request_id: z.string().nullable().openapi({ example: "4f9c2e1a-8d7b-4c3e-9a1f-2b6d5e8c7a90" }),
    instance: z.string().openapi({ example: "/v1/anime/999999" }),
    errors: z.array(z.object({ param: z.string(), message: z.string() })).optional().openapi({ description: "validation_failed: the invalid parameters, each once, at most 20." }),
    errors_omitted: z.number().int().optional().openapi({ description: "validation_failed: how many more invalid parameters there were than `errors` lists." }),
  })
  .openapi("Problem");

const DESCRIPTIONS: Record<number, string> = {
  400: "Invalid parameters (problem+json, code validation_failed or invalid_cursor).",
  401: "No credentials (problem+json, code unauthorized).",
  403: "Wrong credentials (problem+json, code forbidden).",
  404: "Not found (problem+json).",
  409: "The resource's state does not allow this (problem+json, code conflict).",
  413: "The body exceeds its size limit: 64 KB, or the image limits of image search (problem+json, code payload_too_large).",
  415: "The body is not sent as application/json, or the image is not of a supported type (problem+json, code unsupported_media_type).",
  429: "Too many failed admin-token attempts from this address (problem+json, code rate_limited); Retry-After says when to try again.",
  503: "A dependency is unavailable (problem+json, code service_unavailable); retry later.",
};

/** Response entries for the given error statuses, for createRoute's `responses`. */
export function problemResponses<S extends ProblemStatus>(...statuses: S[]) {
  return Object.fromEntries(
    statuses.map((s) => [
      s,
      {
        description: DESCRIPTIONS[s],
        ...(s === 429 ? { headers: { "Retry-After": RETRY_AFTER_HEADER } } : {}),
        // Each status its own example, with the code it carries.
        content: { [PROBLEM_CONTENT_TYPE]: { schema: ProblemSchema, example: problemExample(s) } },
      },
    ]),
  ) as unknown as Record<S, { description: string; content: { [PROBLEM_CONTENT_TYPE]: { schema: typeof ProblemSchema } } }>;
}

/** Retry-After on a 429 (and some 503s): seconds to wait. */
export const RETRY_AFTER_HEADER = { description: "Seconds to wait before retrying.", schema: { type: "integer" as const, minimum: 0, example: 3600 } };
