import { ANIME_STATUSES, ANIME_TYPES, SEASONS } from "../../catalog/vocabulary";
import { genreLookup, resolveGenres } from "./genre-names";
import { GENRES, type Genre } from "../../catalog/genres";
import { QUERY_SORTS, type QueryFilters, type QuerySort, type QueryVocabulary } from "./interface";

/**
 * The one "make filters valid" step both query parsers end with, so their outputs carry the
 * same guarantees as the browse filter schema (FILTER_SHAPE + checkRanges): known enum values,
 * years 1907–2100 with year_from ≤ year_to, score 0–10, whole non-negative episode counts with
 * min ≤ max, at most 10 genres per list, genre names spelled as in the vocabulary, and no
 * genre or type both wanted and excluded.
 */

/** Longest title a reading keeps ("like <title>", "newer than <title>"). */
export const MAX_TITLE = 200;

/** Oldest and newest season years the browse filters accept. */
export const MIN_YEAR = 1907;
export const MAX_YEAR = 2100;
/** FILTER_SHAPE's list limit (not exported there). */
export const MAX_LIST_ITEMS = 10;
// Above any real series, and keeps counts safe integers (the schema's int() rejects 1e300).
const MAX_EPISODES = 100_000;
// A model answer full of unknown values should not bury the notes that matter.
const MAX_NOTES = 10;

/** Filters as a parser first writes them: lists may repeat or hold unknown values, numbers may be out of range, null means unset. */
export interface DraftFilters {
  type?: readonly string[] | null;
  type_exclude?: readonly string[] | null;
  status?: readonly string[] | null;
  season?: readonly string[] | null;
  genres?: readonly string[] | null;
  genres_exclude?: readonly string[] | null;
  year_from?: number | null;
  year_to?: number | null;
  min_score?: number | null;
  episodes_min?: number | null;
  episodes_max?: number | null;
}

/** Valid filters plus one note per correction that changed what the parser meant. */
export interface CleanedFilters {
  filters: QueryFilters;
  notes: string[];
}

// Words a model writes for an enum value now and then, instead of the value itself.
const ENUM_SYNONYMS: Readonly<Record<string, string>> = { AUTUMN: "FALL", FILM: "MOVIE", MOVIES: "MOVIE", AIRING: "ONGOING", COMPLETED: "FINISHED" };

function enumList<T extends string>(values: readonly string[] | null | undefined, allowed: readonly T[], notes: string[], what: string): T[] {
  const out = new Set<T>();
  for (const v of values ?? []) {
    const upper = typeof v === "string" ? v.trim().toUpperCase() : "";
    const value = ENUM_SYNONYMS[upper] ?? upper;
    if ((allowed as readonly string[]).includes(value)) out.add(value as T);
    else notes.push(`unknown ${what} "${String(v).slice(0, 40)}" ignored`);
  }
  return [...out];
}

/** "romance … but no romance": an explicit exclusion is the stronger wish, so it wins. */
function withoutExcluded<T extends string>(wanted: T[], excluded: readonly T[], notes: string[]): T[] {
  for (const w of wanted) if (excluded.includes(w)) notes.push(`"${w}" is both wanted and excluded: excluded`);
  return wanted.filter((w) => !excluded.includes(w));
}

const finite = (n: unknown): n is number => typeof n === "number" && Number.isFinite(n);
const clamp = (n: number, lo: number, hi: number) => Math.min(hi, Math.max(lo, n));

/** Validates and repairs a draft; never throws. Genres not in the vocabulary are dropped (with a note). */
export function cleanFilters(draft: DraftFilters, vocabulary: QueryVocabulary): CleanedFilters {
  const notes: string[] = [];
  const filters: QueryFilters = {};

  const typeExclude = enumList(draft.type_exclude, ANIME_TYPES, notes, "type");
  const types = withoutExcluded(enumList(draft.type, ANIME_TYPES, notes, "type"), typeExclude, notes);
  if (types.length) filters.type = types;
  if (typeExclude.length) filters.type_exclude = typeExclude;
  const status = enumList(draft.status, ANIME_STATUSES, notes, "status");
  if (status.length) filters.status = status;
  const season = enumList(draft.season, SEASONS, notes, "season");
  if (season.length) filters.season = season;

  let from = finite(draft.year_from) ? clamp(Math.round(draft.year_from), MIN_YEAR, MAX_YEAR) : undefined;
  let to = finite(draft.year_to) ? clamp(Math.round(draft.year_to), MIN_YEAR, MAX_YEAR) : undefined;
  if (from !== undefined && to !== undefined && from > to) {
    [from, to] = [to, from];
    notes.push(`years swapped to ${from}–${to}`);
  }
  if (from !== undefined) filters.year_from = from;
  if (to !== undefined) filters.year_to = to;

  if (finite(draft.min_score)) filters.min_score = clamp(Math.round(draft.min_score * 100) / 100, 0, 10);

  let epMin = finite(draft.episodes_min) ? clamp(Math.round(draft.episodes_min), 0, MAX_EPISODES) : undefined;
  let epMax = finite(draft.episodes_max) ? clamp(Math.round(draft.episodes_max), 0, MAX_EPISODES) : undefined;
  if (epMin !== undefined && epMax !== undefined && epMin > epMax) [epMin, epMax] = [epMax, epMin];
  if (epMin !== undefined) filters.episodes_min = epMin;
  if (epMax !== undefined) filters.episodes_max = epMax;

  const lookup = genreLookup(vocabulary);
  const known = (names: readonly string[] | null | undefined): string[] => {
    const out: string[] = [];
    for (const name of names ?? []) {
      if (typeof name !== "string") continue;
      const canonical = resolveGenres(name, lookup);
      if (canonical.length === 0) notes.push(`unknown genre "${name.slice(0, 60)}" ignored`);
      for (const c of canonical) if (!out.includes(c)) out.push(c);
    }
    return out;
  };
  const excluded = known(draft.genres_exclude);
  const wanted = withoutExcluded(known(draft.genres), excluded, notes);
  // The vocabulary lists the genres (catalog/genres.ts) before the tags: a name that is a
  // genre filters by the genre, any other by the tag.
  const split = (names: string[]) => ({
    genres: names.filter((n): n is Genre => (GENRES as string[]).includes(n)),
    tags: names.filter((n) => !(GENRES as string[]).includes(n)).map((n) => n.toLowerCase()),
  });
  const want = split(wanted);
  const avoid = split(excluded);
  const lists = [["genres", want.genres], ["tags", want.tags], ["genres_exclude", avoid.genres], ["tags_exclude", avoid.tags]] as const;
  for (const [key, list] of lists) {
    const what = key.endsWith("_exclude") ? `excluded ${key.replace("_exclude", "")}` : key;
    if (list.length > MAX_LIST_ITEMS) notes.push(`only the first ${MAX_LIST_ITEMS} ${what} are used`);
    if (list.length) (filters as Record<string, string[]>)[key] = [...new Set(list)].slice(0, MAX_LIST_ITEMS);
  }
  return { filters, notes: notes.slice(0, MAX_NOTES) };
}

/** A sort key a parser wrote → one of QUERY_SORTS, or null (with a note when it named an unknown one). */
export function cleanSort(value: unknown, notes: string[]): QuerySort | null {
  if (value === null || value === undefined || value === "") return null;
  const key = typeof value === "string" ? value.trim().toLowerCase() : "";
  if ((QUERY_SORTS as readonly string[]).includes(key)) return key as QuerySort;
  notes.push(`unknown sort "${String(value).slice(0, 40)}" ignored`);
  return null;
}

/** A title a parser read, spaces squashed and cut to MAX_TITLE; null when empty. */
export function cleanTitle(value: unknown): string | null {
  const title = typeof value === "string" ? value.replace(/\s+/gu, " ").trim().slice(0, MAX_TITLE).trim() : "";
  return title || null;
}
