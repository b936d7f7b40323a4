import { sql } from "drizzle-orm";
import { drizzle } from "drizzle-orm/d1";
import type { Filters } from "../../catalog/filters";
import { filterConditions } from "../../catalog/browse-query";

/**
 * The tag leg of `similar`: anime sharing the anime's informative tags, and the tag score of
 * any candidate. Tags are weighted by rarity, idf(t) = ln(N / df(t)) over the active catalog
 * (df from `genre_count`, kept by triggers): at 40k anime "japanese production" (12,294
 * anime) weighs 1.2, "time travel" (525) 4.3, "butterfly effect" (7) 8.7. The score of a
 * candidate is the cosine of the two IDF-weighted tag sets:
 *
 *   tags(a, b) = Σ_{t ∈ a∩b} idf(t)² / (√Σ_{t ∈ a} idf(t)² · √Σ_{t ∈ b} idf(t)²)
 *
 * so what two anime share counts by how rare it is, and an anime with a hundred tags does
 * not match everything.
 */

/** Document frequencies: active anime per tag key, and the number of active anime. */
export interface TagStats {
  total: number;
  df: Map<string, number>;
}

/** How many candidates the leg returns. */
export const TAG_POOL = 100;

/**
 * Candidates are generated from the anime's rarest tags only, until their memberships add up
 * to this many rows: the common tags weigh little and would multiply the rows read (Steins;Gate's
 * 99 tags have 152k memberships; its rarest 45 have 10k). Scoring still uses every tag.
 */
const MEMBERSHIP_BUDGET = 10_000;

/**
 * Per-isolate memo of the last stats read (a deliberate module-level cache): the ~3,000 rows of
 * genre_count cost more to ship than the rest of the tag leg, and they change only when the
 * catalog is written. It is reused while the fingerprint read with every request matches, so a
 * new tag (genre_count keeps rows at count 0, so the key count grows) or an added or removed
 * membership is seen at once; only a membership moved between two tags of the same length can
 * leave their counts off by one until the next change (harmless to the weights).
 */
let memo: { fingerprint: string; stats: TagStats } | null = null;

/** Every tag's document frequency and the active total: one small read, plus the table when it changed. */
export async function readTagStats(db: D1Database): Promise<TagStats> {
  const [print, total] = await db.batch<{ keys: number; memberships: number; weighted: number; n: number }>([
    db.prepare("SELECT count(*) AS keys, total(active_count) AS memberships, total(active_count * length(genre_key)) AS weighted FROM genre_count"),
    db.prepare("SELECT count(*) AS n FROM anime WHERE system_status = 'ACTIVE'"),
  ]);
  const p = print.results[0];
  const n = total.results[0]?.n ?? 0;
  const fingerprint = `${p?.keys}:${p?.memberships}:${p?.weighted}:${n}`;
  if (memo?.fingerprint === fingerprint) return memo.stats;
  const { results } = await db.prepare("SELECT genre_key AS key, active_count AS n FROM genre_count WHERE active_count > 0").all<{ key: string; n: number }>();
  const stats = { total: n, df: new Map(results.map((r) => [r.key, r.n])) };
  memo = { fingerprint, stats };
  return stats;
}

/**
 * The weight of a tag: ln(N / df). A tag only one anime has (or one not counted yet) weighs 0:
 * it cannot be shared, and counted in a norm it would only shrink that anime's scores.
 */
export function idf(stats: TagStats, key: string): number {
  const df = stats.df.get(key) ?? 0;
  return df > 1 && stats.total > df ? Math.log(stats.total / df) : 0;
}

/** An anime's tags with their weights, and the norm of that vector. */
export interface TagVector {
  weights: Map<string, number>;
  norm: number;
}

export function tagVector(tags: readonly string[], stats: TagStats): TagVector {
  const weights = new Map<string, number>();
  for (const t of tags) {
    const key = t.toLowerCase();
    weights.set(key, idf(stats, key));
  }
  let sq = 0;
  for (const w of weights.values()) sq += w * w;
  return { weights, norm: Math.sqrt(sq) };
}

/** The tag score of `other` against `self` (0–1), and the shared tags, most informative first. */
export function tagSimilarity(self: TagVector, other: TagVector): { score: number; shared: string[] } {
  let dot = 0;
  const shared: [string, number][] = [];
  for (const [key, w] of self.weights) {
    if (w > 0 && other.weights.has(key)) {
      dot += w * w;
      shared.push([key, w]);
    }
  }
  const denom = self.norm * other.norm;
  shared.sort((a, b) => b[1] - a[1] || (a[0] < b[0] ? -1 : 1));
  return { score: denom > 0 ? Math.min(1, dot / denom) : 0, shared: shared.map(([k]) => k) };
}

/**
 * The TAG_POOL anime (other than `selfId`, within `filters`) with the largest Σ idf² over the
 * tags they share with `self`, rarest tags first up to MEMBERSHIP_BUDGET memberships. The
 * memberships are summed before any anime row is read (a MATERIALIZED CTE, then CROSS JOIN
 * keeps that order): joined per membership, the planner walks the active anime for each tag
 * (sqlite3 on the 40k catalog: 1.2 s for Steins;Gate instead of ~20 ms). Without narrowing
 * filters only the PRELIMIT best sums are checked against them (the defaults drop few:
 * orphans, adult titles); with them, or when that leaves fewer than TAG_POOL, every sum is.
 */
export async function tagCandidates(db: D1Database, selfId: number, self: TagVector, stats: TagStats, filters: Filters): Promise<number[]> {
  const informative = [...self.weights]
    .map(([key, w]) => ({ key, w, df: stats.df.get(key) ?? 0 }))
    .filter((t) => t.w > 0)
    .sort((a, b) => a.df - b.df || (a.key < b.key ? -1 : 1));
  const chosen: [string, number][] = [];
  let rows = 0;
  for (const t of informative) {
    if (chosen.length > 0 && rows + t.df > MEMBERSHIP_BUDGET) break;
    chosen.push([t.key, t.w * t.w]);
    rows += t.df;
  }
  if (chosen.length === 0) return [];
  const query = (prelimit: number | null) =>
    drizzle(db).all<{ id: number }>(sql`
      WITH w(key, weight) AS (SELECT value ->> 0, value ->> 1 FROM json_each(${JSON.stringify(chosen)})),
      shared AS MATERIALIZED (
        SELECT g.anime_id AS id, sum(w.weight) AS weight FROM w JOIN anime_genre g ON g.genre_key = w.key
        WHERE g.anime_id <> ${selfId} GROUP BY g.anime_id
        ${prelimit === null ? sql`` : sql`ORDER BY weight DESC, id LIMIT ${prelimit}`}
      )
      SELECT shared.id AS id FROM shared CROSS JOIN anime ON anime.id = shared.id
      WHERE ${filterConditions(filters) ?? sql`1`}
      ORDER BY shared.weight DESC, shared.id LIMIT ${TAG_POOL}`);
  if (!narrows(filters)) {
    const found = await query(PRELIMIT);
    if (found.length === TAG_POOL) return found.map((r) => r.id);
  }
  return (await query(null)).map((r) => r.id);
}

/** Best tag sums checked against default filters (see tagCandidates). */
const PRELIMIT = 10 * TAG_POOL;

/** Whether `filters` set anything that narrows the catalog beyond its defaults. */
function narrows(filters: Filters): boolean {
  return Object.entries(filters).some(([key, v]) => key !== "include_adult" && key !== "include_orphaned" && v !== undefined && !(Array.isArray(v) && v.length === 0));
}
