import { sql } from "drizzle-orm";
import { anime } from "./schema";

/**
 * Popularity: the anime-offline-database carries no audience figures, so notability is read
 * from what it has. One integer, compared as a whole:
 *
 *   sites × 10,000 + min(related, 99) × 100 + round(score × 10)
 *
 * - sites: how many sites list the anime (its source URLs): the big and long-running shows are
 *   on all of them, obscure specials on one or two;
 * - related: how many related entries it links (franchises with sequels, movies, spin-offs);
 * - score: the release's mean score (0 when unknown), the last tie-breaker.
 *
 * The same value in SQL (sorting, cursors) and in JS (the cursor of the last row): integers
 * only, so the two never disagree.
 */
export const POPULARITY_SQL = sql<number>`(json_array_length(${anime.sources}) * 10000 + min(json_array_length(${anime.related}), 99) * 100 + CAST(round(coalesce(${anime.score}, 0) * 10) AS INTEGER))`;

export function popularityOf(row: { sources: string[]; related: string[]; score: number | null }): number {
  return row.sources.length * 10000 + Math.min(row.related.length, 99) * 100 + Math.round((row.score ?? 0) * 10);
}
