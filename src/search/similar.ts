import { and, desc, eq, ne, sql } from "drizzle-orm";
import { drizzle } from "drizzle-orm/d1";
import type { Catalog } from "../catalog/catalog";
import type { Anime } from "../catalog/anime-schema";
import type { Filters } from "../catalog/filters";
import type { AnimeRow } from "../catalog/serialize";
import { anime, animeGenre } from "../catalog/schema";
import { filterConditions } from "../catalog/browse-query";
import { documentText } from "./document";
import { compact } from "./keyword/normalize";
import { vectorLeg, type VectorLegResult, type VectorSearch } from "./vector-leg";
import type { DegradeLog } from "./search-service";

const POOL = 100;
/** Blend of the two signals: the vector says "reads alike", genre overlap "is the same kind of show". */
const VECTOR_WEIGHT = 0.65;
const GENRE_WEIGHT = 0.35;

export interface SimilarHit {
  anime: Anime;
  similarity: { score: number; vector_score: number | null; genre_overlap: number };
}

export interface SimilarOptions {
  limit: number;
  excludeRelated: boolean;
  filters: Filters;
}

const lowerSet = (xs: string[]) => new Set(xs.map((x) => x.toLowerCase()));

function jaccard(a: Set<string>, b: Set<string>): number {
  let shared = 0;
  for (const x of a) if (b.has(x)) shared++;
  const union = a.size + b.size - shared;
  return union ? shared / union : 0;
}

/**
 * Anime like `id`: the neighbours of its vector and the anime sharing most of its genres/tags,
 * blended (0.65 × cosine + 0.35 × genre Jaccard) and never including the anime itself. A
 * candidate the vector leg did not return is scored with the weakest vector score seen,
 * not zero, so genre twins are not buried. `excludeRelated` drops the franchise: anime
 * linked by related_anime in either direction, and titles that extend one another
 * ("Cowboy Bebop" / "Cowboy Bebop: Tengoku no Tobira"). Null when the anime is unknown.
 */
export async function similarTo(catalog: Catalog, db: D1Database, vectors: VectorSearch, id: number, opts: SimilarOptions, onDegrade: DegradeLog = () => {}) {
  const [self] = await catalog.rowsByIds([id]);
  if (!self) return null;
  const genres = lowerSet(self.genres);
  const [vec, genreIds] = await Promise.all([
    neighbours(vectors, self, opts.filters),
    genres.size ? sharingGenres(db, self, [...genres], opts.filters) : Promise.resolve([]),
  ]);
  if (!vec.ok) onDegrade(vec.reason, vec.message);
  const vectorScores = new Map((vec.ok ? vec.matches : []).filter((m) => m.id !== id).map((m) => [m.id, m.score]));
  const floor = vectorScores.size ? Math.min(...vectorScores.values()) : 0;
  const candidateIds = [...new Set([...vectorScores.keys(), ...genreIds])];
  // The vector hits are re-checked against D1 in the same round trip that fetches the rows.
  const { matching, rows: byId } = await catalog.matchingWithRows([...vectorScores.keys()], opts.filters, candidateIds);
  let rows = candidateIds.map((cid) => byId.get(cid)).filter((r): r is AnimeRow => r !== undefined);
  rows = rows.filter((r) => !vectorScores.has(r.id) || matching.has(r.id));
  if (opts.excludeRelated) rows = rows.filter((r) => !sameFranchise(self, r));
  const scored = rows
    .map((r) => {
      const overlap = jaccard(genres, lowerSet(r.genres));
      const v = vectorScores.get(r.id) ?? null;
      return { row: r, v, overlap, score: VECTOR_WEIGHT * (v ?? floor) + GENRE_WEIGHT * overlap };
    })
    .sort((a, b) => b.score - a.score || a.row.id - b.row.id)
    .slice(0, opts.limit);
  const animes = await catalog.present(scored.map((s) => s.row));
  return {
    anime: self,
    hits: scored.map((s, i): SimilarHit => ({ anime: animes[i], similarity: { score: round(s.score), vector_score: s.v === null ? null : round(s.v), genre_overlap: round(s.overlap) } })),
    degraded: vec.ok ? ([] as "vector"[]) : (["vector"] as "vector"[]),
  };
}

const round = (x: number) => Math.round(x * 10000) / 10000;

/**
 * The vector leg of `similar`. The index holds the anime's vector already, so it is asked for
 * that vector's neighbours (queryById), which saves embedding the anime's document (in
 * production a Workers AI call). Only when the index does not hold the anime (not indexed yet;
 * on Vectorize, written seconds ago) is the document embedded, as a search would be. One time
 * budget covers both; failures are results, as in vectorLeg. POOL + 1: room for the anime
 * itself, which the embedded path finds and the caller drops.
 */
async function neighbours(vs: VectorSearch, self: AnimeRow, filters: Filters): Promise<VectorLegResult> {
  const index = vs.index;
  if (!index?.queryById) return vectorLeg(vs, documentText(self), filters, POOL + 1);
  const started = Date.now();
  let timer: ReturnType<typeof setTimeout> | undefined;
  const timeout = new Promise<"timeout">((resolve) => {
    timer = setTimeout(() => resolve("timeout"), vs.timeoutMs);
  });
  const stored = index.queryById(self.id, { topK: Math.min(POOL + 1, index.maxTopK), filter: filters }).catch((e: unknown) => (e instanceof Error ? e : new Error(String(e))));
  const answer = await Promise.race([stored, timeout]).finally(() => clearTimeout(timer));
  if (answer === "timeout") return { ok: false, reason: "timeout" };
  if (answer instanceof Error) return { ok: false, reason: "error", message: answer.message };
  if (answer !== null) return { ok: true, matches: answer };
  const left = vs.timeoutMs - (Date.now() - started);
  return left > 0 ? vectorLeg({ ...vs, timeoutMs: left }, documentText(self), filters, POOL + 1) : { ok: false, reason: "timeout" };
}

/** The anime sharing most genres with `self` (ties: better score first), filters applied inside. */
async function sharingGenres(db: D1Database, self: AnimeRow, keys: string[], filters: Filters): Promise<number[]> {
  const rows = await drizzle(db)
    .select({ id: animeGenre.animeId })
    .from(animeGenre)
    .innerJoin(anime, eq(anime.id, animeGenre.animeId))
    // One JSON parameter, not one per tag: offline-database entries carry dozens of tags, and
    // D1 allows 100 bound parameters per statement.
    .where(and(sql`${animeGenre.key} IN (SELECT value FROM json_each(${JSON.stringify(keys)}))`, ne(animeGenre.animeId, self.id), filterConditions(filters)))
    .groupBy(animeGenre.animeId)
    .orderBy(desc(sql`count(*)`), desc(sql`coalesce(${anime.score}, -1)`), animeGenre.animeId)
    .limit(POOL)
    .all();
  return rows.map((r) => r.id);
}

function sameFranchise(a: AnimeRow, b: AnimeRow): boolean {
  const aSources = new Set(a.sources), bSources = new Set(b.sources);
  if (a.related.some((u) => bSources.has(u)) || b.related.some((u) => aSources.has(u))) return true;
  const ta = compact(a.title), tb = compact(b.title);
  const [short, long] = ta.length <= tb.length ? [ta, tb] : [tb, ta];
  return short.length >= 4 && long.startsWith(short);
}
