import { withKnownTags } from "../known-tags";
import { createRoute, z, type RouteHandler } from "@hono/zod-openapi";
import type { AppEnv } from "../../context";
import { pickFields, type Anime } from "../../catalog/anime-schema";
import { notFound } from "../../errors/api-error";
import { problemResponses } from "../../errors/problem-schema";
import { DegradedSchema, SimilarHitSchema } from "../search/schemas";
import { SimilarQuery } from "../search/params";
import { filtersOf, IdParams } from "./params";
import { cachedList } from "../cached";
import { API_KEY_OR_ANONYMOUS } from "../../openapi/security";
import { meteredResponses } from "../../openapi/metered";
import { noteDegraded } from "../../observability/request-metrics";

const SimilarResponseSchema = z
  .object({
    of: z.object({ id: z.number().int(), title: z.string() }).openapi({ description: "The anime the list is similar to." }),
    data: z.array(SimilarHitSchema),
    degraded: DegradedSchema,
  })
  .openapi("SimilarAnime");

export const similarAnimeRoute = createRoute({
  method: "get",
  path: "/anime/{id}/similar",
  tags: ["Search"],
  operationId: "similarAnime",
  security: API_KEY_OR_ANONYMOUS,
  summary: "Anime similar to this one",
  description:
    "Anime like this one, never itself. Candidates: the neighbours of its embedding, the anime sharing its rarest tags, and its related entries. Score = (0.5 × vector cosine + 0.5 × tag score) + 0.3 if of its franchise, × (0.85 + 0.15 × popularity prior); the tag score is the cosine of the tag sets weighted by rarity (ln(anime / anime with the tag)), so a shared \"time machine\" counts far more than a shared \"japanese production\". Entries with neither vector nor tag evidence come last. `similarity` shows each component and the most informative shared tags. exclude_related=true drops the franchise (related either way, titles extending one another). Browse filters apply to every candidate. If the vector index is unavailable the score is the tag score (+ relation, × prior), with `degraded: [\"vector\"]`.",
  request: { params: IdParams, query: SimilarQuery },
  responses: {
    200: { description: "Similar anime, most similar first.", content: { "application/json": { schema: SimilarResponseSchema } } },
    ...problemResponses(400, 404),
    ...meteredResponses(),
  },
});

export const similarAnime: RouteHandler<typeof similarAnimeRoute, AppEnv> = async (c) => {
  const { id } = c.req.valid("param");
  const q = c.req.valid("query");
  const { value: result } = await cachedList(
    c,
    "similar",
    { ...q, id },
    async () => {
      const r = await c.var.services.search.similar(id, { limit: q.limit, excludeRelated: q.exclude_related, filters: await withKnownTags(c.var.services.catalog, filtersOf(q)) });
      return r && { anime: { id: r.anime.id, title: r.anime.title }, hits: r.hits, degraded: r.degraded };
    },
    "list",
    (r) => (r.degraded.length ? "degraded" : null),
  );
  if (!result) throw notFound(`No anime has id ${id}.`);
  noteDegraded(c, result.degraded);
  return c.json(
    {
      of: { id: result.anime.id, title: result.anime.title },
      data: result.hits.map((h) => ({ ...(pickFields(h.anime, q.fields) as Anime), similarity: h.similarity })),
      degraded: result.degraded,
    },
    200,
  );
};
