import { createRoute, z, type RouteHandler } from "@hono/zod-openapi";
import type { AppEnv } from "../../context";
import { AnimeSchema, FieldsParam, pickFields, type Anime } from "../../catalog/anime-schema";
import { notFound } from "../../errors/api-error";
import { problemResponses } from "../../errors/problem-schema";
import { IdParams } from "./params";
import { cachedAnime, storedJson } from "../cached";
import { API_KEY_OR_ANONYMOUS } from "../../openapi/security";
import { meteredResponses } from "../../openapi/metered";

export const getAnimeRoute = createRoute({
  method: "get",
  path: "/anime/{id}",
  tags: ["Anime"],
  operationId: "getAnime",
  security: API_KEY_OR_ANONYMOUS,
  summary: "Get one anime",
  description: "The full object, or the `fields` asked for. Strong ETag; send If-None-Match for a 304. Orphaned entries are served with system_status ORPHANED.",
  request: { params: IdParams, query: z.object({ fields: FieldsParam }).strict() },
  responses: {
    200: { description: "The anime.", content: { "application/json": { schema: AnimeSchema } } },
    304: { description: "Not modified (If-None-Match matched the ETag)." },
    ...problemResponses(400, 404),
    ...meteredResponses(),
  },
});

export const getAnime: RouteHandler<typeof getAnimeRoute, AppEnv> = async (c) => {
  const { id } = c.req.valid("param");
  const { fields } = c.req.valid("query");
  const cached = await cachedAnime(c, id, () => c.var.services.catalog.getById(id));
  if (cached.json === null) throw notFound(`No anime with id ${id}.`);
  if (!fields) return storedJson(c, cached);
  return c.json(pickFields(cached.value!, fields) as Anime, 200);
};
