import { withKnownTags } from "../known-tags";
import { createRoute, type RouteHandler } from "@hono/zod-openapi";
import type { AppEnv } from "../../context";
import { AnimeSchema, pickFields, type Anime } from "../../catalog/anime-schema";
import { notFound } from "../../errors/api-error";
import { problemResponses } from "../../errors/problem-schema";
import { RandomQuery, filtersOf } from "./params";
import { API_KEY_OR_ANONYMOUS } from "../../openapi/security";
import { meteredResponses } from "../../openapi/metered";

export const randomAnimeRoute = createRoute({
  method: "get",
  path: "/random",
  tags: ["Anime"],
  operationId: "randomAnime",
  security: API_KEY_OR_ANONYMOUS,
  summary: "A random anime",
  description: "Uniformly random among the anime matching the browse filters. Never cached (Cache-Control: no-store).",
  request: { query: RandomQuery },
  responses: {
    200: { description: "A random anime.", content: { "application/json": { schema: AnimeSchema } } },
    ...problemResponses(400, 404),
    ...meteredResponses(),
  },
});

export const randomAnime: RouteHandler<typeof randomAnimeRoute, AppEnv> = async (c) => {
  const q = c.req.valid("query");
  const anime = await c.var.services.catalog.random(await withKnownTags(c.var.services.catalog, filtersOf(q)));
  if (!anime) throw notFound("No anime matches these filters.");
  c.header("Cache-Control", "no-store");
  return c.json(pickFields(anime, q.fields) as Anime, 200);
};
