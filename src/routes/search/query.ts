import { createRoute, z, type RouteHandler } from "@hono/zod-openapi";
import type { AppEnv } from "../../context";
import type { Anime } from "../../catalog/anime-schema";
import { problemResponses } from "../../errors/problem-schema";
import { AnimeSchema } from "../../catalog/anime-schema";
import { DegradedSchema, MatchSchema, SimilaritySchema } from "./schemas";
import { queryVocabulary } from "./vocabulary";

export const MAX_NL_QUERY_CHARS = 500;

const QueryBody = z
  .object({
    query: z
      .string()
      .trim()
      .min(1, "must not be empty")
      .max(MAX_NL_QUERY_CHARS, `must be at most ${MAX_NL_QUERY_CHARS} characters`)
      .openapi({ description: "What you are looking for, in plain words.", example: "mecha anime from the 90s without romance" }),
    limit: z.number().int().min(1).max(50).default(20).openapi({ description: "How many results, 1–50.", example: 10 }),
  })
  .strict()
  .openapi("NaturalLanguageQuery");

const InterpretationSchema = z
  .object({
    backend: z.enum(["local", "workers-ai"]).openapi({ description: "Which parser read the query." }),
    text: z.string().openapi({ description: "What was left to search for after the recognised phrases ('' if none)." }),
    filters: z.record(z.string(), z.unknown()).openapi({ description: "Browse filters derived from the query (same names and meaning as GET /v1/anime)." }),
    similar_to: z.string().nullable().openapi({ description: 'Title named by "like …", if any.' }),
    similar_to_anime: z.object({ id: z.number().int(), title: z.string() }).nullable().openapi({ description: "The anime that title resolved to." }),
    strategy: z.enum(["similar", "search", "browse"]).openapi({ description: "similar: neighbours of similar_to_anime; search: hybrid search of `text`; browse: the filters alone, best score first." }),
    notes: z.array(z.string()).openapi({ description: "What each recognised phrase became." }),
  })
  .openapi("QueryInterpretation");

const QueryResponseSchema = z
  .object({
    interpretation: InterpretationSchema,
    data: z.array(
      AnimeSchema.extend({ match: MatchSchema.optional(), similarity: SimilaritySchema.optional() }).openapi("QueryHit", {
        description: "An anime, with `match` (strategy search) or `similarity` (strategy similar); neither for browse.",
      }),
    ),
    degraded: DegradedSchema,
  })
  .openapi("QueryResults");

export const queryRoute = createRoute({
  method: "post",
  path: "/query",
  tags: ["Search"],
  summary: "Search in natural language",
  description:
    'Turns a sentence ("90s mecha without romance rated above 8", "movies like cowboy bebop") into filters plus search text, says how it read it in `interpretation`, then returns the results. Locally a deterministic phrase parser reads the query; in production a Workers AI model held to a JSON schema (falling back to the phrase parser).',
  request: { body: { content: { "application/json": { schema: QueryBody } }, required: true } },
  responses: {
    200: { description: "The interpretation and the results.", content: { "application/json": { schema: QueryResponseSchema } } },
    ...problemResponses(400),
  },
});

export const query: RouteHandler<typeof queryRoute, AppEnv> = async (c) => {
  const { query: text, limit } = c.req.valid("json");
  const it = await c.var.queryParser.parse(text, await queryVocabulary(c.var.catalog));
  const filters = { include_orphaned: false, ...it.filters };
  const base = { backend: it.backend, text: it.text, filters: it.filters, similar_to: it.similar_to, notes: it.notes };

  if (it.similar_to) {
    const [target] = (await c.var.search.search({ q: it.similar_to, mode: "keyword", filters: {}, limit: 1 })).hits;
    if (target) {
      const similar = await c.var.search.similar(target.anime.id, { limit, excludeRelated: false, filters });
      if (similar) {
        return c.json({
          interpretation: { ...base, similar_to_anime: { id: target.anime.id, title: target.anime.title }, strategy: "similar" as const },
          data: similar.hits.map((h) => ({ ...h.anime, similarity: h.similarity })),
          degraded: similar.degraded,
        }, 200);
      }
    }
  }
  const searchText = [it.text, it.similar_to].filter(Boolean).join(" ").trim();
  if (/[\p{L}\p{N}]/u.test(searchText)) {
    const page = await c.var.search.search({ q: searchText.slice(0, 256), mode: "hybrid", filters, limit });
    return c.json({
      interpretation: { ...base, similar_to_anime: null, strategy: "search" as const },
      data: page.hits.map((h) => ({ ...h.anime, match: { score: h.match.score, keyword_rank: h.match.keyword_rank, vector_rank: h.match.vector_rank } })),
      degraded: page.degraded,
    }, 200);
  }
  const page = await c.var.catalog.browse(filters, { sort: "score", limit });
  return c.json({ interpretation: { ...base, similar_to_anime: null, strategy: "browse" as const }, data: page.data as Anime[], degraded: [] }, 200);
};
