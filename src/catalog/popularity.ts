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
 * `popularityOf` is the one definition. Its value is stored in `anime.popularity`, written in
 * the transaction that writes the row's sources, related entries or score (import/write-batch.ts,
 * which every such write goes through: import, sync, restore, review approval), so sorting by
 * it walks an index (migrations/0013_stored_popularity.sql) instead of computing it for the
 * whole filtered catalog.
 */
export function popularityOf(row: { sources: readonly string[]; related: readonly string[]; score: number | null }): number {
  return Math.min(new Set(row.sources.map(hostOf)).size, 10) * Math.round((row.score ?? 0) * 100) * 100 + Math.min(row.related.length, 99);
}

/** The host of a source URL: what follows the scheme, up to the first `/`. */
function hostOf(url: string): string {
  const h = url.slice(url.indexOf("://") + 3);
  const slash = h.indexOf("/");
  return slash >= 0 ? h.slice(0, slash) : h;
}

/** The sort key of sort=popularity and /v1/popular: the stored column (keyset pages compare it with id). */
export const POPULARITY_SQL = sql<number>`${anime.popularity}`;
