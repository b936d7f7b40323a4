import { z } from "@hono/zod-openapi";
import { ERROR_CODES } from "./codes";
import { PROBLEM_CONTENT_TYPE } from "./problem";

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
    errors: z.array(z.object({ param: z.string(), message: z.string() })).optional(),
  })
  .openapi("Problem");

const DESCRIPTIONS: Record<number, string> = {
  400: "Invalid parameters (problem+json, code validation_failed or invalid_cursor).",
  401: "No credentials (problem+json, code unauthorized).",
  403: "Wrong credentials (problem+json, code forbidden).",
  404: "Not found (problem+json).",
  409: "The resource's state does not allow this (problem+json, code conflict).",
  413: "The body exceeds 64 KB (problem+json, code payload_too_large).",
  415: "The body is not sent as application/json (problem+json, code unsupported_media_type).",
  503: "A dependency is unavailable (problem+json).",
};

/** Response entries for the given error statuses, for createRoute's `responses`. */
export function problemResponses<S extends 400 | 401 | 403 | 404 | 409 | 413 | 415 | 503>(...statuses: S[]) {
  return Object.fromEntries(
    statuses.map((s) => [s, { description: DESCRIPTIONS[s], content: { [PROBLEM_CONTENT_TYPE]: { schema: ProblemSchema } } }]),
  ) as Record<S, { description: string; content: { [PROBLEM_CONTENT_TYPE]: { schema: typeof ProblemSchema } } }>;
}
