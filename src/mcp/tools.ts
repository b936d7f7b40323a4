import type { z } from "@hono/zod-openapi";
import type { JsonSchema } from "./schemas";
import { UrlBody } from "../routes/search/image";

/** The fields a list answers with unless the caller asks for others: enough to choose, small enough for a model's context. */
export const COMPACT_FIELDS = ["id", "title", "type", "episodes", "status", "season", "score", "genres", "studios"];

/** Results per call unless `limit` says otherwise (Claude Code refuses a tool result over ~25k tokens). */
export const DEFAULT_LIMIT = 10;

/**
 * Parameters no tool offers: incremental sync (updated_since), archive walks (include_orphaned)
 * and ranking diagnostics (explain) are REST concerns, and every parameter a tool lists costs
 * the model context in each conversation.
 */
export const REST_ONLY_PARAMS = new Set(["updated_since", "include_orphaned", "explain"]);

const PAGING = "Next page: pass `next_cursor` back as `cursor` with the same arguments (null: the last page).";
const COMPACT = `Each anime carries ${COMPACT_FIELDS.join(", ")} unless \`fields\` lists others (tags, synonyms, synopsis, related, external_ids, …).`;
const COSTS_QUERY = "Spends one unit of the caller's daily `queries` budget (see my_quota), as POST /v1/query does.";

/**
 * One MCP tool: a thin wrapper over one REST operation (or a choice of a few), called
 * in-process with the caller's credentials. Its input schema is the operation's parameters and
 * JSON body as the OpenAPI document declares them; its output schema, the operation's 200 answer.
 */
export interface ToolSpec {
  name: string;
  title: string;
  description: string;
  /** The operations the tool may call; the first one's parameters make the input schema. */
  operations: string[];
  /** Picks the operation for a call and strips the tool's own selectors (default: the first operation, the arguments as given). */
  route?: (args: Record<string, unknown>) => { operationId: string; args: Record<string, unknown> };
  /** Arguments sent when the caller leaves them out (and shown as the schema's default). */
  defaults?: Record<string, unknown>;
  /** The tool's own arguments (selectors between operations), beside the operation's. */
  extra?: Record<string, JsonSchema>;
  /** Parameters of another operation this one lacks and the tool applies itself: `fields` for routes that take none. */
  borrow?: { operationId: string; names: string[] };
  /** Parameters the first operation requires that the tool leaves optional (a selector may replace them). */
  optional?: string[];
  /** The JSON body of a route that reads its body itself (so the document declares none): its zod schema. */
  body?: z.ZodObject;
  /** Applies a borrowed `fields` to an answer of a route that takes none. */
  project?: "data" | "data.anime";
  /** The tool reaches outside the catalog (fetches a URL the caller names). */
  openWorld?: boolean;
}

const SCHEDULE_TOOLS: ToolSpec[] = [
  {
    name: "airing_schedule",
    title: "Airing schedule",
    description: `When episodes air or stream, in a window of local days in any IANA time zone (\`tz\`, default UTC): \`date\` + \`days\` (default today, 7 days) or an ISO \`week\`; \`day\` one weekday; \`kind\` broadcast, stream or all; the browse filters apply. Rows are ordered by time. ${PAGING}`,
    operations: ["listSchedule"],
    defaults: { limit: DEFAULT_LIMIT },
  },
  {
    name: "next_episode",
    title: "Next episode of an anime",
    description: "One anime's broadcast slot and streams with their next and previous times (`in_seconds` until the next), in `tz`, and whether it is airing, upcoming, finished or unknown. Needs the Kensho id (search_anime or lookup_anime).",
    operations: ["getAnimeSchedule"],
  },
];

/**
 * The tools, named by intent. Schedule tools are listed only when the schedule operations are
 * in the document (src/routes/schedule); a tool whose operations are missing is left out.
 */
export const TOOL_SPECS: ToolSpec[] = [
  {
    name: "search_anime",
    title: "Search anime",
    description: `Find anime by title in any spelling (romaji, English, Japanese, typos) or by a description; browse filters narrow it. Best match first; \`match.confidence\` says how sure. Use it to turn a title into a Kensho id. ${COMPACT} ${PAGING}`,
    operations: ["searchAnime"],
    defaults: { limit: DEFAULT_LIMIT, fields: COMPACT_FIELDS },
  },
  {
    name: "ask_anime",
    title: "Ask in natural language",
    description: `A request in plain words ("90s mecha without romance rated above 8", "movies like cowboy bebop", "popular isekai since 2015"): Kensho reads it into filters, search text or "like <title>" and says how in \`interpretation\` (check its notes), then answers. ${COSTS_QUERY} ${COMPACT} ${PAGING}`,
    operations: ["naturalLanguageQuery"],
    defaults: { limit: DEFAULT_LIMIT, fields: COMPACT_FIELDS },
    borrow: { operationId: "browseAnime", names: ["fields"] },
    project: "data",
  },
  {
    name: "get_anime",
    title: "Get one anime",
    description: "Everything about one anime by its Kensho id: titles and synonyms, type, episodes, season, score, genres, tags, studios, related entries, other sites' ids and URLs. `fields` narrows it. Ids come from search_anime, lookup_anime or any list.",
    operations: ["getAnime"],
  },
  {
    name: "lookup_anime",
    title: "Look up by another site's id or URL",
    description: "Turn a MyAnimeList, AniList, Kitsu, AniDB, anime-planet, … id (`site` + `id`) or a page URL (`url`) into the Kensho anime. 404 when the catalog does not list it.",
    operations: ["lookupAnime"],
  },
  {
    name: "browse_anime",
    title: "Browse with filters",
    description: `Anime matching filters (type, status, years, season, genres, tags, studios, score, episodes), sorted by score, year, title, updated or popularity. No search text: use search_anime for titles. ${COMPACT} ${PAGING}`,
    operations: ["browseAnime"],
    defaults: { limit: DEFAULT_LIMIT, fields: COMPACT_FIELDS },
  },
  {
    name: "similar_anime",
    title: "Anime similar to one",
    description: `Anime like the one with this Kensho id, most similar first, with why (\`similarity\`: shared tags, vector score, same franchise). \`exclude_related\` drops its own sequels and spin-offs; browse filters apply. ${COMPACT}`,
    operations: ["similarAnime"],
    defaults: { limit: DEFAULT_LIMIT, fields: COMPACT_FIELDS },
  },
  {
    name: "season_anime",
    title: "Anime of a season",
    description: `The anime of one season: \`year\` + \`season\` (with browse filters and sort), or \`when\`: "now" (the current season, by score) or "upcoming" (announced, not yet aired). Without any of them: now. ${COMPACT} ${PAGING}`,
    operations: ["listSeasonAnime", "currentSeasonAnime", "upcomingAnime"],
    optional: ["year", "season"],
    extra: {
      when: { type: "string", enum: ["now", "upcoming"], description: 'Instead of year and season: "now" for the current season, "upcoming" for anime not yet aired. These lists take only limit, cursor and fields.' },
    },
    route: ({ when, ...args }) => ({
      operationId: when === "upcoming" ? "upcomingAnime" : when === "now" || (args.year === undefined && args.season === undefined) ? "currentSeasonAnime" : "listSeasonAnime",
      args,
    }),
    defaults: { limit: DEFAULT_LIMIT, fields: COMPACT_FIELDS },
  },
  {
    name: "top_anime",
    title: "Top anime",
    description: `The best-rated anime (\`by\`: "score", the default; anime listed on most sites) or the most popular ("popularity"); adult and not-yet-aired anime never appear. ${COMPACT} ${PAGING}`,
    operations: ["topAnime", "popularAnime"],
    extra: { by: { type: "string", enum: ["score", "popularity"], default: "score", description: "score: the best rated; popularity: the most notable (sites listing it × score)." } },
    route: ({ by, ...args }) => ({ operationId: by === "popularity" ? "popularAnime" : "topAnime", args }),
    defaults: { limit: DEFAULT_LIMIT, fields: COMPACT_FIELDS },
  },
  {
    name: "random_anime",
    title: "A random anime",
    description: "One anime picked at random among those matching the browse filters (all of it unless `fields` narrows it).",
    operations: ["randomAnime"],
  },
  {
    name: "list_genres",
    title: "List genres",
    description: "The genres with their counts of active anime: the values the `genres` filter takes. Anything else is a tag (list_tags).",
    operations: ["listGenres"],
  },
  {
    name: "list_tags",
    title: "List tags",
    description: `The catalog's tags (about 3,000, lower-case) with their counts, most used first; \`prefix\` narrows them. The values the \`tags\` filter takes. ${PAGING}`,
    operations: ["listTags"],
  },
  {
    name: "search_anime_by_image",
    title: "Find anime by an image",
    description: `Which anime a screenshot or poster at \`url\` (JPEG or PNG, public http(s)) comes from, nearest first with a similarity \`score\`. Kensho fetches the URL. ${COSTS_QUERY} ${COMPACT}`,
    operations: ["searchByImage"],
    body: UrlBody,
    defaults: { limit: DEFAULT_LIMIT, fields: COMPACT_FIELDS },
    borrow: { operationId: "browseAnime", names: ["fields"] },
    project: "data.anime",
    openWorld: true,
  },
  {
    name: "my_quota",
    title: "My quota",
    description: "The caller's tier (anonymous without a key), its limits and what is left today: `daily` requests (every tool call spends one), `queries` (ask_anime and search_anime_by_image spend one more) and the per-second `burst`. Answered even when the daily units are used up.",
    operations: ["getMe"],
  },
  ...SCHEDULE_TOOLS,
];
