import type { NameCount } from "./catalog";

/**
 * Genres/tags of active anime with their counts, most used first (ties by key), read from
 * `genre_count`. That table is precomputed, not aggregated on read: triggers
 * (migrations/0012_genre_count.sql) adjust it within every statement that changes
 * anime_genre or an anime's system_status, so in every committed state it equals the
 * aggregate over memberships (test/search/query-vocabulary.test.ts holds the two together).
 * This read touches one row per genre (~2,000) where the aggregate touches every
 * membership (~660,000 at 40k anime). The spelling is the least one ever stored for the key.
 */
export async function genreCounts(db: D1Database): Promise<NameCount[]> {
  const { results } = await db
    .prepare("SELECT name, active_count AS count FROM genre_count WHERE active_count > 0 ORDER BY active_count DESC, genre_key")
    .all<NameCount>();
  return results;
}
