import { createRoute, OpenAPIHono, z, type RouteHandler } from "@hono/zod-openapi";
import type { AppEnv } from "../../context";
import { AnimeSchema, FieldsParam, pickFields, type Anime } from "../../catalog/anime-schema";
import { curatedKeyParams, CURATED_SIZE, type CuratedList, type CuratedValue } from "../../catalog/curated";
import { b64url, fromB64url } from "../../catalog/cursor";
import { ApiError } from "../../errors/api-error";
import { validationHook } from "../../errors/problem";
import { problemResponses } from "../../errors/problem-schema";
import { SEASONS } from "../../catalog/vocabulary";
import { cachedList } from "../cached";

const CuratedQuery = z
  .object({
    limit: z.coerce.number().int().min(1).max(100).default(20).openapi({ description: "Page size, 1–100.", example: 20 }),
    cursor: z.string().max(256).optional().openapi({ description: "Opaque cursor from `next_cursor` of the previous page." }),
    fields: FieldsParam,
  })
  .strict();

const CuratedSchema = z
  .object({
    data: z.array(AnimeSchema),
    next_cursor: z.string().nullable(),
    computed_at: z.string().openapi({ description: "When the list was computed (hourly, and after every catalog write on first request)." }),
    season: z.object({ season: z.enum(SEASONS), year: z.number().int() }).optional().openapi({ description: "seasons/now: the season the clock is in." }),
  })
  .openapi("CuratedList");

const ROUTES: { list: CuratedList; path: string; summary: string; description: string }[] = [
  { list: "top", path: "/top", summary: "Top-rated anime", description: "Highest score first." },
  { list: "popular", path: "/popular", summary: "Most popular anime", description: "Most notable first: sites listing the anime, then related entries, then score (the source data carries no audience figures; the same order as sort=popularity)." },
  { list: "season-now", path: "/seasons/now", summary: "This season's anime", description: "The season the clock is in (UTC; Jan–Mar winter, Apr–Jun spring, Jul–Sep summer, Oct–Dec fall), best score first." },
  { list: "upcoming", path: "/seasons/upcoming", summary: "Upcoming anime", description: "Announced (status UPCOMING) or dated after the current season, soonest first." },
];

/** A cursor names the list, the computation it walks (computed_at) and the offset into it. */
const cursorOf = (list: CuratedList, computedAt: string, offset: number) => b64url(JSON.stringify(["c2", list, computedAt, offset]));

function offsetOf(list: CuratedList, raw: string | undefined, computedAt: string): number {
  if (!raw) return 0;
  let parts: unknown[] = [];
  try {
    parts = JSON.parse(fromB64url(raw)) as unknown[];
  } catch {
    // not ours
  }
  const [tag, name, at, offset] = parts;
  if (tag !== "c2" || name !== list || typeof at !== "string" || !Number.isSafeInteger(offset) || (offset as number) < 0) {
    throw new ApiError("invalid_cursor", "The cursor is not one this list issued.");
  }
  // Offsets into another computation of the list would skip or repeat entries.
  if (at !== computedAt) throw new ApiError("invalid_cursor", "The list was recomputed since this cursor was issued; start again without a cursor.");
  return offset as number;
}

function handler(list: CuratedList): RouteHandler<ReturnType<typeof routeOf>, AppEnv> {
  return async (c) => {
    const q = c.req.valid("query");
    const now = c.var.services.now();
    const { value } = await cachedList<CuratedValue>(c, `curated:${list}`, curatedKeyParams(list, now), () => c.var.services.catalog.curated(list, now), "curated");
    const all = value!;
    const offset = offsetOf(list, q.cursor, all.computed_at);
    const page = all.data.slice(offset, offset + q.limit);
    const next = offset + q.limit < all.data.length ? cursorOf(list, all.computed_at, offset + q.limit) : null;
    return c.json({ data: page.map((a) => pickFields(a, q.fields) as Anime), next_cursor: next, computed_at: all.computed_at, ...(all.season ? { season: all.season } : {}) }, 200);
  };
}

function routeOf(r: (typeof ROUTES)[number]) {
  return createRoute({
    method: "get",
    path: r.path,
    tags: ["Lists"],
    summary: r.summary,
    description: `${r.description} Precomputed hourly into KV, at most ${CURATED_SIZE} entries, paged with \`cursor\`. Adult anime never appear.`,
    request: { query: CuratedQuery },
    responses: {
      200: { description: "A page of the list.", content: { "application/json": { schema: CuratedSchema } } },
      ...problemResponses(400),
    },
  });
}

/** /v1/top, /v1/popular, /v1/seasons/now, /v1/seasons/upcoming. */
export const curatedRoutes = new OpenAPIHono<AppEnv>({ defaultHook: validationHook });
for (const r of ROUTES) curatedRoutes.openapi(routeOf(r), handler(r.list));
