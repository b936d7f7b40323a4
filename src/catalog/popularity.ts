import { sql } from "drizzle-orm";
import { anime } from "./schema";

/**
 * Popularity: the anime-offline-database carries no audience figures, so notability is read
 * from what it has. One integer, compared as a whole:
 *
 *   min(sites, 10) × round(score × 100) × 100 + min(related, 99)
 *
 * - sites: how many distinct sites list the anime (the hosts of its source URLs: a release
 *   may list two ids of one site), at most 10: the big shows are on every site, obscure
 *   specials on one or two (and new entries on every tracker before anyone has watched them);
 * - score: the release's mean score to the hundredth, 0 when unknown: being listed counts only
 *   as far as people rate what is listed, so an unrated entry is not popular, and a well-rated
 *   one listed on two sites ranks below a well-rated one listed everywhere (where /v1/top ranks
 *   them the other way round);
 * - related: how many related entries it links (franchises), the last tie-breaker.
 *
 * The same value in SQL (sorting, cursors) and in JS (the cursor of the last row): integers
 * only, so the two never disagree.
 */
const SITES_SQL = sql`(SELECT count(DISTINCT CASE WHEN instr(h, '/') > 0 THEN substr(h, 1, instr(h, '/') - 1) ELSE h END) FROM (SELECT substr(value, instr(value, '://') + 3) AS h FROM json_each(${anime.sources})))`;

/**
 * Computed per row (no stored column yet): sorting by it reads the whole filtered catalog, so
 * such pages rely on the cache; /v1/popular is precomputed hourly.
 */
export const POPULARITY_SQL = sql<number>`(min(${SITES_SQL}, 10) * CAST(round(coalesce(${anime.score}, 0) * 100) AS INTEGER) * 100 + min(json_array_length(${anime.related}), 99))`;

/** The host of a source URL, exactly as SITES_SQL cuts it. */
function hostOf(url: string): string {
  const h = url.slice(url.indexOf("://") + 3);
  const slash = h.indexOf("/");
  return slash >= 0 ? h.slice(0, slash) : h;
}

export function popularityOf(row: { sources: string[]; related: string[]; score: number | null }): number {
  return Math.min(new Set(row.sources.map(hostOf)).size, 10) * Math.round((row.score ?? 0) * 100) * 100 + Math.min(row.related.length, 99);
}
