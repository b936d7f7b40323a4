import { POPULARITY_SQL } from "./popularity";
import { and, asc, desc, eq, ne, or, sql } from "drizzle-orm";
import { drizzle } from "drizzle-orm/d1";
import { anime } from "./schema";
import { filterConditions } from "./browse-query";
import type { Catalog } from "./catalog";
import type { Anime } from "./anime-schema";
import type { Season } from "./vocabulary";

export const CURATED_LISTS = ["top", "popular", "season-now", "upcoming"] as const;
export type CuratedList = (typeof CURATED_LISTS)[number];
/** Entries kept per list: pages are cut from this, so a walk ends after it. */
export const CURATED_SIZE = 200;

export interface CuratedValue {
  computed_at: string;
  /** For season-now: the season the clock is in. */
  season?: { season: Season; year: number };
  data: Anime[];
  /**
   * Each entry's place in the list's order, as one key compared element by element ascending
   * (descending parts negated, the id last): what a page's cursor holds of its last entry, so
   * that a recomputed list (after any catalog write) is walked on from the same place.
   */
  keys: number[][];
}

/** The anime season of an instant (UTC): Jan–Mar winter, Apr–Jun spring, Jul–Sep summer, Oct–Dec fall. */
export function seasonOf(ms: number): { season: Season; year: number } {
  const d = new Date(ms);
  const seasons: Season[] = ["WINTER", "SPRING", "SUMMER", "FALL"];
  return { season: seasons[Math.floor(d.getUTCMonth() / 3)], year: d.getUTCFullYear() };
}

/** The season a seasonal list is computed for; null for the others. */
export const curatedSeason = (list: CuratedList, now: number) => (list === "season-now" || list === "upcoming" ? seasonOf(now) : null);

/**
 * What a curated list's cache key must hold besides its name: the shape of the stored value
 * (2: with `keys`; a value stored before is never read), and the season for the lists that
 * depend on it.
 */
export function curatedKeyParams(list: CuratedList, now: number): Record<string, unknown> {
  return { shape: 2, ...curatedSeason(list, now) };
}

/**
 * /v1/top ranks anime listed on at least this many of the sites the data covers. The data has
 * no vote counts; the number of sites listing an anime is its proxy for "rated by enough
 * people": at 40k anime, the 10.0 scores belong to specials listed on one to six sites, while
 * ~11,900 scored anime are listed on 8 or more (Frieren, Steins;Gate, Gintama…).
 */
export const TOP_MIN_SITES = 8;
const LISTING_SITES = sql`(SELECT count(DISTINCT site) FROM anime_source WHERE anime_source.anime_id = ${anime.id})`;

const SEASON_ORDER = sql`CASE ${anime.season} WHEN 'WINTER' THEN 1 WHEN 'SPRING' THEN 2 WHEN 'SUMMER' THEN 3 WHEN 'FALL' THEN 4 ELSE 5 END`;

/**
 * Computes one curated list from D1 (the hourly cron stores it; a miss computes it too).
 * - top: highest score among anime listed on TOP_MIN_SITES sites or more, aired (not UPCOMING).
 * - popular: by popularity (popularity.ts: sites listing it, related entries, score; the
 *   source data carries no audience figures), aired (not UPCOMING).
 * - season-now: the season the clock is in, best score first.
 * - upcoming: announced (status UPCOMING) or dated after the current season, soonest first.
 * Orphaned and adult entries never appear (the lists take no filters: they are computed
 * once for every caller).
 */
export async function computeCurated(db: D1Database, catalog: Catalog, list: CuratedList, now: number): Promise<CuratedValue> {
  const orm = drizzle(db);
  // No filters: active and not adult (adult.ts), as every list's default.
  const listed = filterConditions({});
  const current = seasonOf(now);
  // Ties in score go to the more notable anime (popularity.ts), then the lower id.
  const byScore = [desc(sql`coalesce(${anime.score}, -1)`), desc(POPULARITY_SQL), asc(anime.id)];
  const base = orm.select({ id: anime.id, score: anime.score, popularity: anime.popularity, year: anime.year, season: anime.season }).from(anime);
  // Not yet aired: early scores of announced sequels are a handful of votes (the data holds
  // 10.0s for unaired entries); they belong to /v1/upcoming.
  const aired = ne(anime.status, "UPCOMING");
  let rows: KeyedRow[];
  switch (list) {
    case "top":
      rows = await base
        .where(and(listed, aired, sql`${anime.score} IS NOT NULL`, sql`${LISTING_SITES} >= ${TOP_MIN_SITES}`))
        .orderBy(...byScore)
        .limit(CURATED_SIZE)
        .all();
      break;
    case "popular":
      rows = await base.where(and(listed, aired)).orderBy(desc(POPULARITY_SQL), asc(anime.id)).limit(CURATED_SIZE).all();
      break;
    case "season-now":
      rows = await base.where(and(listed, eq(anime.year, current.year), eq(anime.season, current.season))).orderBy(...byScore).limit(CURATED_SIZE).all();
      break;
    case "upcoming": {
      const currentOrder = ["WINTER", "SPRING", "SUMMER", "FALL"].indexOf(current.season) + 1;
      const later = sql`(${anime.year} > ${current.year} OR (${anime.year} = ${current.year} AND ${SEASON_ORDER} > ${currentOrder} AND ${SEASON_ORDER} < 5))`;
      rows = await base
        .where(and(listed, or(eq(anime.status, "UPCOMING"), later)))
        .orderBy(asc(sql`coalesce(${anime.year}, 9999)`), asc(SEASON_ORDER), ...byScore)
        .limit(CURATED_SIZE)
        .all();
      break;
    }
  }
  const data = await catalog.getMany(rows.map((r) => r.id));
  const keyOf = new Map(rows.map((r) => [r.id, curatedKey(list, r)]));
  return {
    computed_at: new Date(now).toISOString(),
    ...(list === "season-now" ? { season: current } : {}),
    data,
    keys: data.map((a) => keyOf.get(a.id)!),
  };
}

interface KeyedRow {
  id: number;
  score: number | null;
  popularity: number;
  year: number | null;
  season: string;
}

const SEASON_RANK: Record<string, number> = { WINTER: 1, SPRING: 2, SUMMER: 3, FALL: 4 };

/** An entry's sort key in `list` (the ORDER BY of computeCurated, as numbers ascending). */
export function curatedKey(list: CuratedList, r: KeyedRow): number[] {
  const score = -(r.score ?? -1);
  const popularity = -r.popularity;
  switch (list) {
    case "popular":
      return [popularity, r.id];
    case "upcoming":
      return [r.year ?? 9999, SEASON_RANK[r.season] ?? 5, score, popularity, r.id];
    default:
      return [score, popularity, r.id];
  }
}

/** The length of `list`'s sort keys (a cursor's key must have it). */
export const curatedKeyLength = (list: CuratedList) => (list === "popular" ? 2 : list === "upcoming" ? 5 : 3);

/** Orders two sort keys: negative when `a` comes first. */
export function compareCuratedKeys(a: readonly number[], b: readonly number[]): number {
  for (let i = 0; i < Math.min(a.length, b.length); i++) if (a[i] !== b[i]) return a[i] - b[i];
  return a.length - b.length;
}
