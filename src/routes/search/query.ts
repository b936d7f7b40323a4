import { GENRES } from "../../catalog/genres";
import { createRoute, z, type RouteHandler } from "@hono/zod-openapi";
import type { AppEnv } from "../../context";
import { problemResponses } from "../../errors/problem-schema";
import { AnimeSchema } from "../../catalog/anime-schema";
import { DegradedSchema, MatchSchema, SimilaritySchema } from "./schemas";
import { queryVocabulary } from "./vocabulary";
import { answerQuery } from "../../search/query-answer";
import { QUERY_STRATEGIES } from "../../search/query-cursor";
import { SEARCH_SET_MAX, SIMILAR_SET_MAX } from "../../search/query-pages";
import { QUERY_SORTS } from "../../search/query/interface";
import { HIGHLY_RATED_SCORE, LONG_MIN_EPISODES, SHORT_MAX_EPISODES } from "../../search/query/local-rules";
import { API_KEY_OR_ANONYMOUS } from "../../openapi/security";
import { meteredResponses } from "../../openapi/metered";
import { noteDegraded } from "../../observability/request-metrics";

export const MAX_NL_QUERY_CHARS = 500;
const MAX_CURSOR_CHARS = 1024;

const QueryBody = z
  .object({
    query: z
      .string()
      .trim()
      .min(1, "must not be empty")
      .max(MAX_NL_QUERY_CHARS, `must be at most ${MAX_NL_QUERY_CHARS} characters`)
      .openapi({ description: "What you are looking for, in plain words.", example: "mecha anime from the 90s without romance" }),
    limit: z.number().int().min(1).max(50).default(20).openapi({ description: "How many results, 1–50.", example: 10 }),
    include_adult: z.boolean().default(false).openapi({ description: "Include adult (pornographic, tagged `hentai`) anime; left out by default whatever the query says.", example: false }),
    cursor: z
      .string()
      .max(MAX_CURSOR_CHARS)
      .optional()
      .openapi({
        description:
          "`next_cursor` of the previous page, to get the next one. Send it with the same `query`, `limit` and `include_adult` (a cursor of another request is a 400 `invalid_cursor`); the query is read again and must read the same (else 400 `invalid_cursor`: start again without a cursor).",
      }),
  })
  .strict()
  .openapi("NaturalLanguageQuery");

const AnimeRefSchema = z.object({ id: z.number().int(), title: z.string() });
const DatedRefSchema = AnimeRefSchema.extend({ year: z.number().int().nullable() });

const InterpretationSchema = z
  .object({
    backend: z.enum(["local", "workers-ai"]).openapi({ description: "Which parser read the query." }),
    text: z.string().openapi({ description: "What was left to search for after the recognised phrases ('' if none)." }),
    filters: z.record(z.string(), z.unknown()).openapi({
      description: "Browse filters derived from the query (same names and meaning as GET /v1/anime), including the years that newer_than / older_than became.",
    }),
    similar_to: z.string().nullable().openapi({ description: 'Title named by "like …", if any.' }),
    similar_to_anime: AnimeRefSchema.nullable().openapi({ description: "The anime that title resolved to." }),
    newer_than: z.string().nullable().openapi({ description: 'Title named by "newer than …" or "like … but newer", if any.' }),
    newer_than_anime: DatedRefSchema.nullable().openapi({ description: "The anime that title resolved to; its year + 1 is year_from. null when not found (a note says so; no year is invented)." }),
    older_than: z.string().nullable().openapi({ description: 'Title named by "older than …" or "like … but older", if any.' }),
    older_than_anime: DatedRefSchema.nullable().openapi({ description: "The anime that title resolved to; its year − 1 is year_to." }),
    sort: z.enum(QUERY_SORTS).nullable().openapi({ description: 'Order asked for in words: score ("best", "top rated", "highly rated" …), popularity ("popular", "famous" …); null when none.' }),
    strategy: z.enum(QUERY_STRATEGIES).openapi({
      description: "similar: neighbours of similar_to_anime; search: hybrid search of `text`; browse: the filters alone, ordered by `sort` (score when null).",
    }),
    notes: z.array(z.string()).openapi({ description: 'What each recognised phrase became; "nothing matched: …" when the first page\'s `data` is empty.' }),
  })
  .openapi("QueryInterpretation");

const QueryResponseSchema = z
  .object({
    interpretation: InterpretationSchema,
    data: z.array(
      AnimeSchema.extend({ match: MatchSchema.optional(), similarity: SimilaritySchema.optional() }).openapi("QueryHit", {
        description: "An anime, with `match` (strategy search; scores rounded as GET /v1/search rounds them) or `similarity` (strategy similar); neither for browse.",
      }),
    ),
    next_cursor: z.string().nullable().openapi({ description: "Pass as `cursor` (with the same query, limit and include_adult) for the next page; null on the last page." }),
    degraded: DegradedSchema,
  })
  .openapi("QueryResults");

export const queryRoute = createRoute({
  method: "post",
  path: "/query",
  tags: ["Search"],
  operationId: "naturalLanguageQuery",
  security: API_KEY_OR_ANONYMOUS,
  summary: "Search in natural language",
  description: [
    'Turns a sentence ("90s mecha without romance rated above 8", "movies like cowboy bebop") into filters plus search text, says how it read it in `interpretation` (one note per recognised phrase), then returns the results. Locally a deterministic phrase parser reads the query; in production a Workers AI model held to a JSON schema (falling back to the phrase parser). Both read:',
    "- genres and tags by name (the genres first: \"mecha\", \"isekai\", \"sports\"; then the catalog's tags: \"time travel\", \"space opera\"; \"giant robots\" = Mecha), and exclusions (\"without romance\"). A tag that is part of a title stays text (\"sword art online\").",
    `- "best", "top rated", "highest rated", "greatest" → sort by score; "highly rated", "with high scores", "well rated" → score ≥ ${HIGHLY_RATED_SCORE} and sort by score; "popular", "most popular", "well known", "famous" → sort by popularity.`,
    '- "after 2010", "since 2010", "before 2000", "pre-2000", "from 2015 onwards", decades, seasons, "recent"/"new" (the last three years).',
    `- "short" (≤ ${SHORT_MAX_EPISODES} episodes), "long" (≥ ${LONG_MIN_EPISODES}), episode counts, types, status.`,
    '- "like <title>" (its neighbours), "newer than <title>" / "older than <title>" / "like <title> but newer": the title is looked up and its year becomes year_from (its year + 1) or year_to (− 1); a title not found adds a note and no year.',
    "Unknown words are searched. The sort orders every strategy: browse sorts by it; search and similar re-order the anime they found (relevance decides which anime, the sort their order). When nothing matches, `data` is empty and the notes say \"nothing matched\".",
    `Pages: pass \`next_cursor\` back as \`cursor\` with the same query, limit and include_adult; every page carries the same \`interpretation\` (the query is read again and must read the same, else 400 \`invalid_cursor\`). browse pages like GET /v1/anime (keyset: never a repeat or a skip); search without a sort pages like GET /v1/search (at most ${SEARCH_SET_MAX} hits in all). With a sort, search and similar rank their whole relevant set on every page (search: at most ${SEARCH_SET_MAX} hits above the confidence floor; similar: at most ${SIMILAR_SET_MAX} candidates), order all of it by the sort and page through it by offset, so the order holds across pages; similar without a sort pages by offset through its own ranking. A walk keeps the ranking of its first page: if the semantic leg it began with fails, 503 (retry); offsets are exact while the catalog does not change between pages.`,
  ].join("\n\n"),
  request: { body: { content: { "application/json": { schema: QueryBody } }, required: true } },
  responses: {
    200: { description: "The interpretation and the results.", content: { "application/json": { schema: QueryResponseSchema } } },
    ...problemResponses(400, 413, 415, 503),
    ...meteredResponses(),
  },
});

export const query: RouteHandler<typeof queryRoute, AppEnv> = async (c) => {
  const { query: text, limit, include_adult, cursor } = c.req.valid("json");
  const { catalog, search, queryParser: parser, cache, now } = c.var.services;
  const source = { genres: async () => [...GENRES, ...(await catalog.tagCounts()).map((g) => g.name)], generation: () => cache.generation() };
  const answer = await answerQuery({ parser, search, catalog, vocabulary: () => queryVocabulary(source, now()) }, text, { limit, includeAdult: include_adult, cursor });
  noteDegraded(c, answer.degraded);
  return c.json(answer, 200);
};
