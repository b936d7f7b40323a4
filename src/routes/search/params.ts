import { z } from "@hono/zod-openapi";
import { checkRanges, FILTER_SHAPE } from "../../catalog/filters";
import { FieldsParam } from "../../catalog/anime-schema";
import { SEARCH_MODES } from "../../search/search-service";
import { DEFAULT_MIN_CONFIDENCE } from "../../search/relevance";
import { queryBoolean } from "../../openapi/query-params";

export const MAX_QUERY_CHARS = 256;

/** A search text: 1–256 characters, at least one of them a letter or digit. */
export const SearchText = z
  .string()
  .trim()
  .min(1, "must not be empty")
  .max(MAX_QUERY_CHARS, `must be at most ${MAX_QUERY_CHARS} characters`)
  .refine((s) => /[\p{L}\p{N}]/u.test(s), "must contain at least one letter or digit");

export const SearchQuery = z
  .object({
    q: SearchText.openapi({ description: "What to look for: a title in any spelling (romaji, English, Japanese), with typos, or a description. 1–256 characters.", example: "cowby bebop" }),
    mode: z.enum(SEARCH_MODES).default("hybrid").openapi({ description: "hybrid (keyword + semantic, fused), keyword (titles only) or semantic (embeddings only)." }),
    ...FILTER_SHAPE,
    limit: z.coerce.number().int().min(1).max(50).default(20).openapi({ description: "Page size, 1–50.", example: 10 }),
    cursor: z.string().max(512).optional().openapi({ description: "Opaque cursor from `next_cursor` of the previous page." }),
    min_confidence: z.coerce
      .number()
      .min(0)
      .max(1)
      .optional()
      .openapi({ type: "number", description: `Drop hits whose match.confidence is below this (0–1; default ${DEFAULT_MIN_CONFIDENCE}). 0 keeps every candidate the legs found.`, example: DEFAULT_MIN_CONFIDENCE }),
    explain: queryBoolean("Add each hit's per-leg scores to `match.explain`."),
    fields: FieldsParam,
  })
  .strict()
  .superRefine(checkRanges);

export const SimilarQuery = z
  .object({
    ...FILTER_SHAPE,
    limit: z.coerce.number().int().min(1).max(50).default(10).openapi({ description: "How many, 1–50.", example: 10 }),
    exclude_related: queryBoolean("Drop the anime's own franchise: related entries (either direction) and titles extending one another."),
    fields: FieldsParam,
  })
  .strict()
  .superRefine(checkRanges);
