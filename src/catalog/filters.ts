import { z } from "@hono/zod-openapi";
import { ANIME_STATUSES, ANIME_TYPES, SEASONS } from "./vocabulary";
import { genreNamed, GENRES, type Genre } from "./genres";
import { nearestNames } from "./nearest";

/**
 * Query parameters shared by browse, seasons, random, search and similar. These zod schemas
 * are the single source of the validation rules, the TypeScript types and the OpenAPI parameters.
 */
const MAX_LIST_ITEMS = 10;

/** "a,b" or repeated params → trimmed, non-empty, de-duplicated list. */
function toList(v: unknown): unknown {
  if (v === undefined) return undefined;
  const parts = (Array.isArray(v) ? v : [v]).flatMap((s) => String(s).split(","));
  return [...new Set(parts.map((s) => s.trim()).filter(Boolean))];
}

const nameList = (description: string, example: string) =>
  z
    .preprocess(toList, z.array(z.string().max(100)).max(MAX_LIST_ITEMS, `at most ${MAX_LIST_ITEMS} values`).optional())
    .openapi({ type: "string", description, example });

const enumList = <T extends readonly [string, ...string[]]>(values: T, description: string, example: string) =>
  z
    .preprocess((v) => (toList(v) as string[] | undefined)?.map((s) => s.toUpperCase()), z.array(z.enum(values)).optional())
    .openapi({ type: "string", description, example });

/**
 * Genre names (genres.ts), any case or punctuation, to their canonical spelling; an unknown
 * one is a 400 naming it and the nearest genres (tags are another filter: `tags`).
 */
const genreList = (description: string, example: string) =>
  z
    .preprocess(toList, z.array(z.string().max(100)).max(MAX_LIST_ITEMS, `at most ${MAX_LIST_ITEMS} values`).optional())
    .transform((names, ctx) => {
      if (names === undefined) return undefined;
      const out: Genre[] = [];
      for (const name of names) {
        const genre = genreNamed(name);
        if (genre) {
          if (!out.includes(genre)) out.push(genre);
          continue;
        }
        const near = nearestNames(name, GENRES);
        ctx.addIssue({
          code: "custom",
          message: `unknown genre "${name}"${near.length ? `; nearest: ${near.join(", ")}` : ""}. Genres: ${GENRES.join(", ")} (GET /v1/genres); any other label is a tag: use tags= (GET /v1/tags)`,
        });
      }
      return out;
    })
    .openapi({ type: "string", description, example });

/** Tags as anime_genre keys them: lower-cased. Whether each exists is checked against the catalog (routes/filters-check.ts). */
const tagList = (description: string, example: string) =>
  z
    .preprocess((v) => (toList(v) as string[] | undefined)?.map((s) => s.toLowerCase()), z.array(z.string().max(100)).max(MAX_LIST_ITEMS, `at most ${MAX_LIST_ITEMS} values`).optional())
    .transform((xs) => (xs === undefined ? undefined : [...new Set(xs)]))
    .openapi({ type: "string", description, example });

const year = z.coerce.number().int().min(1907).max(2100);

export const FILTER_SHAPE = {
  type: enumList(ANIME_TYPES, `Only these types (repeatable or comma-separated): ${ANIME_TYPES.join(", ")}.`, "TV"),
  type_exclude: enumList(ANIME_TYPES, "Exclude these types.", "SPECIAL"),
  status: enumList(ANIME_STATUSES, `Only these statuses: ${ANIME_STATUSES.join(", ")}.`, "FINISHED"),
  year_from: year.optional().openapi({ description: "First year of the season, inclusive.", example: 1998 }),
  year_to: year.optional().openapi({ description: "Last year of the season, inclusive.", example: 1998 }),
  season: enumList(SEASONS, `Only these seasons: ${SEASONS.join(", ")}.`, "SPRING"),
  genres: genreList(`Anime having all of these genres (comma-separated, any case): ${GENRES.join(", ")}. An anime has a genre when it has any of the genre's tags (src/catalog/genres.ts).`, "Sci-Fi,Action"),
  genres_exclude: genreList("Anime having none of these genres.", "Ecchi"),
  tags: tagList("Anime having all of these tags (comma-separated, any case; GET /v1/tags lists them).", "space opera,bounty hunters"),
  tags_exclude: tagList("Anime having none of these tags.", "gore"),
  studios: nameList("Anime made by any of these studios (comma-separated, case-insensitive).", "sunrise"),
  min_score: z.coerce.number().min(0).max(10).optional().openapi({ description: "Minimum score (0–10).", example: 7.5 }),
  episodes_min: z.coerce.number().int().min(0).optional().openapi({ description: "Minimum episode count (an unknown count never matches an episode range).", example: 12 }),
  episodes_max: z.coerce.number().int().min(0).optional().openapi({ description: "Maximum episode count (an unknown count never matches an episode range).", example: 26 }),
  updated_since: z
    .union([z.iso.datetime({ offset: true }), z.iso.date()], { error: "expected an ISO 8601 date or date-time, e.g. 2026-01-01T00:00:00Z" })
    .optional()
    .openapi({ description: "Only entries changed at or after this instant (ISO 8601), for incremental sync.", example: "2026-01-01T00:00:00Z" }),
  include_orphaned: z
    .enum(["true", "false"])
    .default("false")
    .transform((v) => v === "true")
    .openapi({ description: "Include entries that vanished from the source data.", example: "false" }),
  include_adult: z
    .enum(["true", "false"])
    .default("false")
    .transform((v) => v === "true")
    .openapi({ description: "Include adult (pornographic) anime: those tagged `hentai`. Hidden by default; `ecchi` is not adult.", example: "false" }),
};

export const SORTS = ["score", "year", "title", "updated", "popularity"] as const;
export type Sort = (typeof SORTS)[number];
/** Default direction per sort: best, newest, A→Z, most recently changed. */
export const DEFAULT_ORDER: Record<Sort, "asc" | "desc"> = { score: "desc", year: "desc", title: "asc", updated: "desc", popularity: "desc" };

export const PAGE_SHAPE = {
  sort: z.enum(SORTS).default("score").openapi({ description: "Sort key. popularity: sites listing the anime, then related entries, then score (src/catalog/popularity.ts)." }),
  order: z.enum(["asc", "desc"]).optional().openapi({ description: "Sort direction; default desc for score, year, updated and popularity, asc for title." }),
  limit: z.coerce.number().int().min(1).max(100).default(20).openapi({ description: "Page size, 1–100.", example: 20 }),
  cursor: z.string().max(512).optional().openapi({ description: "Opaque cursor from `next_cursor` of the previous page." }),
};

type RangeInput = { year_from?: number; year_to?: number; episodes_min?: number; episodes_max?: number };

/** Cross-parameter rules that a single field schema cannot express. */
export function checkRanges(q: RangeInput, ctx: z.RefinementCtx): void {
  if (q.year_from !== undefined && q.year_to !== undefined && q.year_from > q.year_to) {
    ctx.addIssue({ code: "custom", path: ["year_from"], message: "must not be greater than year_to" });
  }
  if (q.episodes_min !== undefined && q.episodes_max !== undefined && q.episodes_min > q.episodes_max) {
    ctx.addIssue({ code: "custom", path: ["episodes_min"], message: "must not be greater than episodes_max" });
  }
}

const FiltersSchema = z.object(FILTER_SHAPE);
/** Parsed filters; seasons and random use subsets (missing keys mean "no constraint"). */
export type Filters = Partial<z.output<typeof FiltersSchema>>;
export type Page = z.output<z.ZodObject<typeof PAGE_SHAPE>>;

/**
 * The lower bound of an episode range as stored: 0 stores an unknown count, which no range
 * matches (like a null year or score), so a range starts at 1 at least. Undefined: no range.
 */
export function episodesFloor(f: Filters): number | undefined {
  return f.episodes_min === undefined && f.episodes_max === undefined ? undefined : Math.max(1, f.episodes_min ?? 1);
}
