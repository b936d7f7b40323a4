import { createRoute, OpenAPIHono, z, type RouteHandler } from "@hono/zod-openapi";
import type { AppEnv } from "../../context";
import { validationHook } from "../../errors/problem";
import { cachedList, storedJson } from "../cached";
import type { NameCount } from "../../catalog/catalog";
import type { TagPage } from "../../catalog/genre-counts";
import { ApiError } from "../../errors/api-error";
import { problemResponses } from "../../errors/problem-schema";
import { API_KEY_OR_ANONYMOUS } from "../../openapi/security";
import { meteredResponses } from "../../openapi/metered";

/** The cached list is the array: the body wraps it as `{"data": […]}`. */
const DATA = { before: '{"data":', after: "}" };

const NameCountList = z
  .object({ data: z.array(z.object({ name: z.string(), count: z.number().int() })) })
  .openapi("NameCountList", { example: { data: [{ name: "Comedy", count: 14102 }] } });

export const genresRoute = createRoute({
  method: "get",
  path: "/genres",
  tags: ["Taxonomy"],
  operationId: "listGenres",
  security: API_KEY_OR_ANONYMOUS,
  summary: "Genres with the number of active anime having each",
  description: "Every genre of the genre list (src/catalog/genres.ts: each genre is a set of tags; an anime has the genre when it has any of them), most used first, genres no active anime has at 0. The raw tags are GET /v1/tags.",
  request: { query: z.object({}).strict() },
  responses: { 200: { description: "All genres, most used first.", content: { "application/json": { schema: NameCountList } } }, ...problemResponses(400), ...meteredResponses() },
});

export const listGenres: RouteHandler<typeof genresRoute, AppEnv> = async (c) => {
  const cached = await cachedList(c, "genres", {}, () => c.var.services.catalog.genres());
  return storedJson<{ data: NameCount[] }>(c, cached, DATA);
};

export const tagsRoute = createRoute({
  method: "get",
  path: "/tags",
  tags: ["Taxonomy"],
  operationId: "listTags",
  security: API_KEY_OR_ANONYMOUS,
  summary: "Tags with the number of active anime having each, paged, searchable by prefix",
  description: "Every tag of the data (~3,000), most used first. `prefix` keeps the tags whose name starts with it (case-insensitive). Page with `cursor` (keep the same `prefix`).",
  request: {
    query: z
      .object({
        prefix: z.string().trim().toLowerCase().max(64).default("").openapi({ description: "Only tags whose name starts with this (case-insensitive, at most 64 characters).", example: "mech" }),
        limit: z.coerce.number().int().min(1).max(200).default(50).openapi({ description: "Page size, 1–200.", example: 50 }),
        cursor: z.string().max(512).optional().openapi({ description: "Opaque cursor from `next_cursor` of the previous page." }),
      })
      .strict(),
  },
  responses: {
    200: { description: "A page of tags.", content: { "application/json": { schema: NameCountList.extend({ next_cursor: z.string().nullable() }).openapi("TagPage", { example: { data: [{ name: "mecha", count: 1290 }], next_cursor: null } }) } } },
    ...problemResponses(400),
    ...meteredResponses(),
  },
});

export const listTags: RouteHandler<typeof tagsRoute, AppEnv> = async (c) => {
  const { prefix, limit, cursor } = c.req.valid("query");
  const cached = await cachedList(c, "tags", { prefix, limit, cursor }, () => c.var.services.catalog.tags(prefix, limit, cursor));
  if (cached.json === null) throw new ApiError("invalid_cursor", "The cursor is not one this API issued for this prefix; start again without a cursor.");
  return storedJson<TagPage>(c, cached);
};

export const studiosRoute = createRoute({
  method: "get",
  path: "/studios",
  tags: ["Taxonomy"],
  operationId: "listStudios",
  security: API_KEY_OR_ANONYMOUS,
  summary: "Studios with the number of active anime each made",
  request: {
    query: z
      .object({
        limit: z.coerce.number().int().min(1).max(1000).default(100).openapi({ description: "At most this many studios (1–1000).", example: 100 }),
        min_count: z.coerce.number().int().min(1).default(1).openapi({ description: "Only studios with at least this many anime.", example: 5 }),
      })
      .strict(),
  },
  responses: { 200: { description: "Studios, most prolific first.", content: { "application/json": { schema: NameCountList } } }, ...problemResponses(400), ...meteredResponses() },
});

export const listStudios: RouteHandler<typeof studiosRoute, AppEnv> = async (c) => {
  const { limit, min_count } = c.req.valid("query");
  const cached = await cachedList(c, "studios", { limit, min_count }, () => c.var.services.catalog.studios(limit, min_count));
  return storedJson<{ data: NameCount[] }>(c, cached, DATA);
};

export const taxonomyRoutes = new OpenAPIHono<AppEnv>({ defaultHook: validationHook }).openapi(genresRoute, listGenres).openapi(studiosRoute, listStudios).openapi(tagsRoute, listTags);
