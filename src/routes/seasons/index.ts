import { withKnownTags } from "../known-tags";
import { createRoute, OpenAPIHono, z, type RouteHandler } from "@hono/zod-openapi";
import type { AppEnv } from "../../context";
import { AnimeListSchema, FieldsParam, pickFields, type Anime } from "../../catalog/anime-schema";
import { checkRanges, FILTER_SHAPE, PAGE_SHAPE } from "../../catalog/filters";
import { SEASONS } from "../../catalog/vocabulary";
import { validationHook } from "../../errors/problem";
import { cachedList, storedJson } from "../cached";
import { problemResponses } from "../../errors/problem-schema";
import { filtersOf } from "../anime/params";
import { API_KEY_OR_ANONYMOUS } from "../../openapi/security";
import { meteredResponses } from "../../openapi/metered";

const { year_from: _yf, year_to: _yt, season: _s, ...SEASON_FILTERS } = FILTER_SHAPE;

const SeasonParams = z.object({
  year: z.coerce.number().int().min(1907).max(2100).openapi({ param: { name: "year", in: "path" }, example: 1998 }),
  season: z
    .string()
    .transform((s) => s.toUpperCase())
    .pipe(z.enum(SEASONS))
    .openapi({ param: { name: "season", in: "path" }, type: "string", enum: SEASONS.map((s) => s.toLowerCase()), example: "spring" }),
});

export const seasonRoute = createRoute({
  method: "get",
  path: "/seasons/{year}/{season}",
  tags: ["Anime"],
  operationId: "listSeasonAnime",
  security: API_KEY_OR_ANONYMOUS,
  summary: "Anime of one season",
  description: "The anime first aired in that season (case-insensitive: spring, SPRING). Accepts the browse filters, sort and cursor paging.",
  request: { params: SeasonParams, query: z.object({ ...SEASON_FILTERS, ...PAGE_SHAPE, fields: FieldsParam }).strict().superRefine(checkRanges) },
  responses: {
    200: { description: "A page of anime.", content: { "application/json": { schema: AnimeListSchema } } },
    ...problemResponses(400),
    ...meteredResponses(),
  },
});

export const seasonAnime: RouteHandler<typeof seasonRoute, AppEnv> = async (c) => {
  const { year, season } = c.req.valid("param");
  const q = c.req.valid("query");
  const filters = { ...filtersOf(q), year_from: year, year_to: year, season: [season] };
  const cached = await cachedList(c, "season", { ...q, year, season }, async () => c.var.services.catalog.browse(await withKnownTags(c.var.services.catalog, filters), q));
  // The stored page is {data, next_cursor}: sent as it is unless a projection applies.
  if (!q.fields) return storedJson<{ data: Anime[]; next_cursor: string | null }>(c, cached);
  const page = cached.value;
  return c.json({ data: page!.data.map((a) => pickFields(a, q.fields) as Anime), next_cursor: page!.next_cursor }, 200);
};

export const seasonRoutes = new OpenAPIHono<AppEnv>({ defaultHook: validationHook }).openapi(seasonRoute, seasonAnime);
