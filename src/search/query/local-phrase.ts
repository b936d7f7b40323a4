import type { AnimeType, Season } from "../../catalog/vocabulary";
import { MAX_YEAR, MIN_YEAR } from "./clean";
import type { QuerySort } from "./interface";

/**
 * The building blocks the local parser's phrase rules share: the draft they write into, the
 * rule shape, word-bounded patterns and the range arithmetic ("before 2000" then "after 1990"
 * narrows to 1990–1999).
 */

/** What the rules write while reading one query; cleaned into QueryFilters at the end. */
export interface Draft {
  type: AnimeType[];
  type_exclude: AnimeType[];
  status: string[];
  season: Season[];
  genres: string[];
  genres_exclude: string[];
  year_from?: number;
  year_to?: number;
  min_score?: number;
  episodes_min?: number;
  episodes_max?: number;
  /** The order asked for (the first phrase that asks for one wins). */
  sort?: QuerySort;
  /** A bare "but newer" / "older": relative to the "like <title>" title, once that is read. */
  relative?: "newer" | "older";
}

export const emptyDraft = (): Draft => ({ type: [], type_exclude: [], status: [], season: [], genres: [], genres_exclude: [] });

export interface RuleContext {
  draft: Draft;
  now: Date;
}

/**
 * One phrase family. `pattern` (flags "gu") runs over the lower-cased query, never across a
 * phrase an earlier rule took. `apply` records what a match means and returns the right-hand
 * side of its note ("years 1990–1999"), "" to drop the phrase without a note (filler), or null
 * when the match is not understood after all, so it stays in the search text.
 */
export interface PhraseRule {
  pattern: RegExp;
  apply(m: RegExpExecArray, ctx: RuleContext): string | null;
}

// Unicode-aware word edges: JS \b only knows ASCII letters.
const START = String.raw`(?<![\p{L}\p{N}])`;
const END = String.raw`(?![\p{L}\p{N}])`;

/** A pattern that matches `src` only as whole words. */
export const words = (src: string): RegExp => new RegExp(`${START}(?:${src})${END}`, "gu");

/** A four-digit year the rules may read (1900–2100; `yearIn` then checks the filter range). */
export const YEAR = String.raw`(19\d\d|20\d\d|2100)`;

/** Words that turn the next genre or type into an exclusion: "without", "no", "but not", "excluding" … */
export const EXCLUDE = String.raw`(?:(?:but|and)\s+)?(?:without|no|not|non|nor|excluding|exclude|except(?:\s+for)?|minus|avoid(?:ing)?|anything\s+but|skip(?:ping)?)`;

/** Separators inside a list of excluded names: "no ecchi, harem or horror". */
export const LIST_SEP = String.raw`\s*(?:,|/|&|\bor\b|\band\b|\bnor\b)+\s*(?:(?:no|not|without)\s+)?`;

export const yearIn = (y: number): boolean => Number.isInteger(y) && y >= MIN_YEAR && y <= MAX_YEAR;

/** "'06" / "90s": two digits read as the most recent such year that is not in the future. */
export function pivotYear(twoDigits: number, now: Date): number {
  return 2000 + twoDigits <= now.getUTCFullYear() ? 2000 + twoDigits : 1900 + twoDigits;
}

type RangeKeys = ["year_from", "year_to"] | ["episodes_min", "episodes_max"];

/**
 * Intersects [lo, hi] with what the draft already holds; when the two contradict ("before 2000
 * after 2010") the later phrase wins rather than producing an empty range.
 */
export function narrow(draft: Draft, [loKey, hiKey]: RangeKeys, lo?: number, hi?: number): void {
  const curLo = draft[loKey];
  const curHi = draft[hiKey];
  const newLo = lo === undefined ? curLo : curLo === undefined ? lo : Math.max(curLo, lo);
  const newHi = hi === undefined ? curHi : curHi === undefined ? hi : Math.min(curHi, hi);
  if (newLo !== undefined && newHi !== undefined && newLo > newHi) {
    draft[loKey] = lo;
    draft[hiKey] = hi;
  } else {
    draft[loKey] = newLo;
    draft[hiKey] = newHi;
  }
}

/** Narrows the years; false (nothing recorded) when a bound is outside 1907–2100. */
export function narrowYears(ctx: RuleContext, from?: number, to?: number): boolean {
  if ((from !== undefined && !yearIn(from)) || (to !== undefined && !yearIn(to))) return false;
  narrow(ctx.draft, ["year_from", "year_to"], from, to);
  return true;
}

export function describeRange(unit: "years" | "episodes", lo?: number, hi?: number): string {
  if (lo !== undefined && hi !== undefined) return lo === hi ? `${unit === "years" ? "year" : "episodes"} ${lo}` : `${unit} ${lo}–${hi}`;
  if (lo !== undefined) return unit === "years" ? `years ${lo} onwards` : `episodes ≥ ${lo}`;
  return unit === "years" ? `years up to ${hi}` : `episodes ≤ ${hi}`;
}

export function addOnce<T>(list: T[], value: T): void {
  if (!list.includes(value)) list.push(value);
}
