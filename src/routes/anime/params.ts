import { z } from "@hono/zod-openapi";
import { checkRanges, FILTER_SHAPE, PAGE_SHAPE, type Filters } from "../../catalog/filters";
import { FieldsParam } from "../../catalog/anime-schema";

export const IdParams = z.object({
  id: z.coerce.number().int().min(1).max(Number.MAX_SAFE_INTEGER).openapi({ param: { name: "id", in: "path" }, example: 1 }),
});

export const BrowseQuery = z.object({ ...FILTER_SHAPE, ...PAGE_SHAPE, fields: FieldsParam }).strict().superRefine(checkRanges);

export const RandomQuery = z.object({ ...FILTER_SHAPE, fields: FieldsParam }).strict().superRefine(checkRanges);

const FILTER_KEYS = Object.keys(FILTER_SHAPE) as (keyof Filters)[];

/** Separates the filters (which the cursor fingerprints) from paging and projection. */
export function filtersOf(q: Record<string, unknown>): Filters {
  return Object.fromEntries(FILTER_KEYS.filter((k) => q[k] !== undefined).map((k) => [k, q[k]])) as Filters;
}
