import type { AnimeRow } from "../../catalog/serialize";
import { compact } from "../keyword/normalize";

/** At most this many franchise entries join the candidates (Gundam-sized franchises link hundreds). */
const FRANCHISE_POOL = 100;

/**
 * The anime that anime `id` links in `related` (its URLs looked up in anime_source, indexed),
 * other than itself. The other direction (anime linking `id`) needs a scan of every row's
 * URLs, so it is only checked on the candidates the other legs found (sameFranchise).
 */
export async function relatedIds(db: D1Database, id: number): Promise<number[]> {
  const { results } = await db
    .prepare(
      `SELECT DISTINCT s.anime_id AS id FROM anime a, json_each(a.related) r JOIN anime_source s ON s.url = r.value
       WHERE a.id = ?1 AND s.anime_id <> ?1 ORDER BY s.anime_id LIMIT ?2`,
    )
    .bind(id, FRANCHISE_POOL)
    .all<{ id: number }>();
  return results.map((r) => r.id);
}

/**
 * Same franchise: linked by related_anime in either direction, or titles extending one
 * another ("Cowboy Bebop" / "Cowboy Bebop: Tengoku no Tobira"; at least 4 characters).
 */
export function sameFranchise(a: AnimeRow, b: AnimeRow): boolean {
  const aSources = new Set(a.sources), bSources = new Set(b.sources);
  if (a.related.some((u) => bSources.has(u)) || b.related.some((u) => aSources.has(u))) return true;
  const ta = compact(a.title), tb = compact(b.title);
  const [short, long] = ta.length <= tb.length ? [ta, tb] : [tb, ta];
  return short.length >= 4 && long.startsWith(short);
}
