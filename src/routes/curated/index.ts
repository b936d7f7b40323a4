import { createRoute, OpenAPIHono, z, type RouteHandler } from "@hono/zod-openapi";
import type { AppEnv } from "../../context";
import { AnimeSchema, FieldsParam, pickFields, type Anime } from "../../catalog/anime-schema";
import { compareCuratedKeys, curatedKeyLength, curatedKeyParams, curatedSeason, CURATED_SIZE, type CuratedList, type CuratedValue } from "../../catalog/curated";
import { b64url, fromB64url } from "../../catalog/cursor";
import { ApiError } from "../../errors/api-error";
import { validationHook } from "../../errors/problem";
import { problemResponses } from "../../errors/problem-schema";
import { SEASONS } from "../../catalog/vocabulary";
import { cachedList } from "../cached";
import { API_KEY_OR_ANONYMOUS } from "../../openapi/security";
import { meteredResponses } from "../../openapi/metered";

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

const ROUTES: { list: CuratedList; path: string; operationId: string; summary: string; description: string }[] = [
  { list: "top", path: "/top", operationId: "topAnime", summary: "Top-rated anime", description: "Highest score first." },
  { list: "popular", path: "/popular", operationId: "popularAnime", summary: "Most popular anime", description: "Most notable first: sites listing the anime, then related entries, then score (the source data carries no audience figures; the same order as sort=popularity)." },
  { list: "season-now", path: "/seasons/now", operationId: "currentSeasonAnime", summary: "This season's anime", description: "The season the clock is in (UTC; Jan–Mar winter, Apr–Jun spring, Jul–Sep summer, Oct–Dec fall), best score first." },
  { list: "upcoming", path: "/seasons/upcoming", operationId: "upcomingAnime", summary: "Upcoming anime", description: "Announced (status UPCOMING) or dated after the current season, soonest first." },
];

/**
 * A cursor names the list, the inputs it was computed for (the season, for the seasonal
 * lists) and the sort key of the last entry served: the next page is what follows that key in
 * the list as it is now. A catalog write (which recomputes the list) therefore neither
 * invalidates a cursor nor makes a walk skip or repeat an entry whose place did not change.
 */
const cursorOf = (list: CuratedList, inputs: string, key: number[]) => b64url(JSON.stringify(["c3", list, inputs, key]));

/** What a list is computed from besides the catalog: its season for the seasonal lists, else nothing. */
function inputsOf(list: CuratedList, now: number): string {
  const season = curatedSeason(list, now);
  return season ? `${season.year}-${season.season}` : "";
}

/** Where the page after the cursor starts in `all`. */
function startOf(list: CuratedList, raw: string | undefined, inputs: string, all: CuratedValue): number {
  if (!raw) return 0;
  let parts: unknown[] = [];
  try {
    parts = JSON.parse(fromB64url(raw)) as unknown[];
  } catch {
    // not ours
  }
  const [tag, name, at, key] = Array.isArray(parts) ? parts : [];
  const keyOk = Array.isArray(key) && key.length === curatedKeyLength(list) && key.every((k) => typeof k === "number" && Number.isFinite(k));
  if (tag !== "c3" || name !== list || typeof at !== "string" || !keyOk) {
    throw new ApiError("invalid_cursor", "The cursor is not one this list issued.");
  }
  if (at !== inputs) throw new ApiError("invalid_cursor", "The season changed since this cursor was issued, and with it the list; start again without a cursor.");
  const i = all.keys.findIndex((k) => compareCuratedKeys(k, key as number[]) > 0);
  return i < 0 ? all.data.length : i;
}

function handler(list: CuratedList): RouteHandler<ReturnType<typeof routeOf>, AppEnv> {
  return async (c) => {
    const q = c.req.valid("query");
    const now = c.var.services.now();
    const { value } = await cachedList<CuratedValue>(c, `curated:${list}`, curatedKeyParams(list, now), () => c.var.services.catalog.curated(list, now), "curated");
    const all = value!;
    const inputs = inputsOf(list, now);
    const start = startOf(list, q.cursor, inputs, all);
    const page = all.data.slice(start, start + q.limit);
    const end = start + page.length;
    const next = end < all.data.length && page.length > 0 ? cursorOf(list, inputs, all.keys[end - 1]) : null;
    return c.json({ data: page.map((a) => pickFields(a, q.fields) as Anime), next_cursor: next, computed_at: all.computed_at, ...(all.season ? { season: all.season } : {}) }, 200);
  };
}

function routeOf(r: (typeof ROUTES)[number]) {
  return createRoute({
    method: "get",
    path: r.path,
    tags: ["Lists"],
    operationId: r.operationId,
    security: API_KEY_OR_ANONYMOUS,
    summary: r.summary,
    description: `${r.description} Precomputed hourly into KV, at most ${CURATED_SIZE} entries, paged with \`cursor\`. Adult anime never appear.`,
    request: { query: CuratedQuery },
    responses: {
      200: { description: "A page of the list.", content: { "application/json": { schema: CuratedSchema } } },
      ...problemResponses(400),
      ...meteredResponses(),
    },
  });
}

/** /v1/top, /v1/popular, /v1/seasons/now, /v1/seasons/upcoming. */
export const curatedRoutes = new OpenAPIHono<AppEnv>({ defaultHook: validationHook });
for (const r of ROUTES) curatedRoutes.openapi(routeOf(r), handler(r.list));
