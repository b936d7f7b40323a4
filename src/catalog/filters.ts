import { z } from "@hono/zod-openapi";
import { ANIME_STATUSES, ANIME_TYPES, SEASONS } from "./vocabulary";
import { genreNamed, GENRES, type Genre } from "./genres";
import { nearestNames } from "./nearest";
import { queryBoolean } from "../openapi/query-params";

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

/**
 * How every list parameter is read, said in each one's description: the document declares the
 * repeated form (`style: form, explode: true`, OpenAPI's default for a query array).
 */
const listDescription = (name: string, description: string) =>
  `${description} Repeatable (\`${name}=x&${name}=y\`) or comma-separated (\`${name}=x,y\`), at most ${MAX_LIST_ITEMS} values.`;

const nameList = (name: string, description: string, example: string[]) =>
  z
    .preprocess(toList, z.array(z.string().max(100)).max(MAX_LIST_ITEMS, `at most ${MAX_LIST_ITEMS} values`).optional())
    .openapi({ type: "array", items: { type: "string", maxLength: 100 }, maxItems: MAX_LIST_ITEMS, description: listDescription(name, description), example });

/** Values of a closed list, any case: the document shows an array of the enum. */
const enumList = <T extends readonly [string, ...string[]]>(name: string, values: T, description: string, example: T[number][]) =>
  z
    .preprocess((v) => (toList(v) as string[] | undefined)?.map((s) => s.toUpperCase()), z.array(z.enum(values)).max(MAX_LIST_ITEMS, `at most ${MAX_LIST_ITEMS} values`).optional())
    .openapi({ description: listDescription(name, `${description} Any case.`), example });

/**
 * Genre names (genres.ts), any case or punctuation, to their canonical spelling; an unknown
 * one is a 400 naming it and the nearest genres (tags are another filter: `tags`).
 */
const genreList = (name: string, description: string, example: Genre[]) =>
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
    // The canonical spellings; any case or punctuation of them is accepted too ("slice-of-life").
    .openapi({ type: "array", items: { type: "string", enum: [...GENRES] }, maxItems: MAX_LIST_ITEMS, description: listDescription(name, description), example });

/** Tags as anime_genre keys them: lower-cased. Whether each exists is checked against the catalog (routes/filters-check.ts). */
const tagList = (name: string, description: string, example: string[]) =>
  z
    .preprocess((v) => (toList(v) as string[] | undefined)?.map((s) => s.toLowerCase()), z.array(z.string().max(100)).max(MAX_LIST_ITEMS, `at most ${MAX_LIST_ITEMS} values`).optional())
    .transform((xs) => (xs === undefined ? undefined : [...new Set(xs)]))
    .openapi({ type: "array", items: { type: "string", maxLength: 100 }, maxItems: MAX_LIST_ITEMS, description: listDescription(name, description), example });

const year = z.coerce.number().int().min(1907).max(2100);

export const FILTER_SHAPE = {
  type: enumList("type", ANIME_TYPES, "Only these types.", ["TV"]),
  type_exclude: enumList("type_exclude", ANIME_TYPES, "Exclude these types.", ["SPECIAL"]),
  status: enumList("status", ANIME_STATUSES, "Only these statuses.", ["FINISHED"]),
  year_from: year.optional().openapi({ description: "First year of the season, inclusive.", example: 1998 }),
  year_to: year.optional().openapi({ description: "Last year of the season, inclusive.", example: 1998 }),
  season: enumList("season", SEASONS, "Only these seasons.", ["SPRING"]),
  genres: genreList("genres", "Anime having all of these genres (any case or punctuation: `slice-of-life`). An anime has a genre when it has any of the genre's tags (src/catalog/genres.ts); an unknown genre is a 400 naming the nearest ones.", ["Sci-Fi", "Action"]),
  genres_exclude: genreList("genres_exclude", "Anime having none of these genres.", ["Ecchi"]),
  tags: tagList("tags", "Anime having all of these tags (any case; GET /v1/tags lists them).", ["space opera", "bounty hunters"]),
  tags_exclude: tagList("tags_exclude", "Anime having none of these tags.", ["gore"]),
  studios: nameList("studios", "Anime made by any of these studios (case-insensitive).", ["sunrise"]),
  min_score: z.coerce.number().min(0).max(10).optional().openapi({ type: "number", description: "Minimum score (0–10).", example: 7.5 }),
  episodes_min: z.coerce.number().int().min(0).optional().openapi({ type: "integer", description: "Minimum episode count (an unknown count never matches an episode range).", example: 12 }),
  episodes_max: z.coerce.number().int().min(0).optional().openapi({ type: "integer", description: "Maximum episode count (an unknown count never matches an episode range).", example: 26 }),
  updated_since: z
    .union([z.iso.datetime({ offset: true }), z.iso.date()], { error: "expected an ISO 8601 date or date-time, e.g. 2026-01-01T00:00:00Z" })
    .optional()
    .openapi({ description: "Only entries changed at or after this instant (ISO 8601), for incremental sync.", example: "2026-01-01T00:00:00Z" }),
  include_orphaned: queryBoolean("Include entries that vanished from the source data."),
  include_adult: queryBoolean("Include adult (pornographic) anime: those tagged `hentai`. Hidden by default; `ecchi` is not adult."),
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
