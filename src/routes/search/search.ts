import { withKnownTags } from "../known-tags";
import { createRoute, type RouteHandler } from "@hono/zod-openapi";
import type { AppEnv } from "../../context";
import { pickFields, type Anime } from "../../catalog/anime-schema";
import { problemResponses } from "../../errors/problem-schema";
import { filtersOf } from "../anime/params";
import { publicMatch } from "../../search/public-match";
import { SearchQuery } from "./params";
import { SearchResponseSchema } from "./schemas";
import { cachedList } from "../cached";
import { normalise } from "../../search/keyword/normalize";
import { API_KEY_OR_ANONYMOUS } from "../../openapi/security";
import { meteredResponses } from "../../openapi/metered";
import { noteDegraded } from "../../observability/request-metrics";

export const searchRoute = createRoute({
  method: "get",
  path: "/search",
  tags: ["Search"],
  operationId: "searchAnime",
  security: API_KEY_OR_ANONYMOUS,
  summary: "Search anime by title, in any spelling, or by description",
  description:
    "Typo-tolerant keyword search over titles and synonyms (romaji, English, Japanese; \"rezero\", \"Re:Zero\" and \"re zero\" find the same anime), semantic search over embeddings, or both fused by reciprocal rank (default). Every browse filter applies inside both legs. Each leg contributes at most 100 anime, so a walk ends after at most 100 hits (keyword or semantic mode) or 200 (hybrid); page with `cursor`. If the semantic leg fails or is slow, keyword results are returned with `degraded: [\"vector\"]`; a walk keeps the legs of its first page (503 if the vector leg it started with becomes unavailable).",
  request: { query: SearchQuery },
  responses: {
    200: { description: "Ranked hits.", content: { "application/json": { schema: SearchResponseSchema } } },
    ...problemResponses(400, 503),
    ...meteredResponses(),
  },
});

export const search: RouteHandler<typeof searchRoute, AppEnv> = async (c) => {
  const q = c.req.valid("query");
  // Keyed by the normalised query ("Re:Zero" = "re zero"); explain and fields only shape the output.
  const { explain: _explain, ...params } = q;
  const normalised = normalise(q.q);
  const { value, fromCache } = await cachedList(
    c,
    "search",
    { ...params, q: normalised },
    async () => c.var.services.search.search({ q: q.q, normalised, mode: q.mode, filters: await withKnownTags(c.var.services.catalog, filtersOf(q)), limit: q.limit, cursor: q.cursor, minConfidence: q.min_confidence }),
    "search",
    (p) => (p.degraded.length ? "degraded" : null),
  );
  const page = value!;
  noteDegraded(c, page.degraded);
  // Where the time went, when this request did the work: durations only, never the query.
  if (!fromCache) c.header("Server-Timing", Object.entries(page.timings).map(([k, ms]) => `${k};dur=${ms.toFixed(1)}`).join(", "));
  return c.json(
    {
      data: page.hits.map((h) => ({ ...(pickFields(h.anime, q.fields) as Anime), match: publicMatch(h.match, q.explain) })),
      next_cursor: page.next_cursor,
      mode: q.mode,
      degraded: page.degraded,
    },
    200,
  );
};
