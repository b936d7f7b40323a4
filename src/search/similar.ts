import type { Catalog } from "../catalog/catalog";
import type { Anime } from "../catalog/anime-schema";
import type { Filters } from "../catalog/filters";
import type { AnimeRow } from "../catalog/serialize";
import { popularityOf } from "../catalog/popularity";
import { documentText } from "./document";
import { vectorLeg, type VectorLegResult, type VectorSearch } from "./vector-leg";
import type { DegradeLog } from "./search-service";
import { blendScore, rankSimilar, type SimilarSignals } from "./similar/blend";
import { readTagStats, tagCandidates, tagSimilarity, tagVector } from "./similar/tag-leg";
import { relatedIds, sameFranchise } from "./similar/franchise";

const POOL = 100;
/** Shared tags shown per hit (most informative first). */
const SHOWN_TAGS = 5;
/** popularityOf's ceiling: 10 sites × score 10.00 (× 100 × 100), plus up to 99 relations. */
const POPULARITY_CEILING = 10 * 1000 * 100;

export interface SimilarHit {
  anime: Anime;
  similarity: {
    score: number;
    vector_score: number | null;
    tag_score: number;
    shared_tags: string[];
    related: boolean;
    prior: number;
    genre_overlap: number;
  };
}

export interface SimilarOptions {
  limit: number;
  /** Ranked hits skipped before the first returned (a walk's position); default 0. */
  offset?: number;
  excludeRelated: boolean;
  filters: Filters;
}

/**
 * Anime like `id`, never the anime itself; null when the anime is unknown. Three legs in
 * parallel gather candidates, all under `filters`: the neighbours of its vector, the anime
 * sharing its rarest tags (similar/tag-leg.ts) and, unless `excludeRelated`, the anime it
 * links in `related`. Each candidate is then scored from its vector cosine, its IDF-weighted
 * tag cosine, whether it is of the franchise, and its popularity (similar/blend.ts has the
 * formula and the evidence rule). `excludeRelated` drops the franchise: anime linked by
 * related_anime in either direction, and titles that extend one another.
 */
export async function similarTo(catalog: Catalog, db: D1Database, vectors: VectorSearch, id: number, opts: SimilarOptions, onDegrade: DegradeLog = () => {}) {
  // Three independent reads first: the anime, the tag statistics, the anime it links.
  const [[self], stats, linked] = await Promise.all([
    catalog.rowsByIds([id]),
    readTagStats(db),
    opts.excludeRelated ? Promise.resolve([]) : relatedIds(db, id),
  ]);
  if (!self) return null;
  const selfTags = tagVector(self.genres, stats);
  const [vec, tagIds] = await Promise.all([
    neighbours(vectors, self, opts.filters),
    tagCandidates(db, id, selfTags, stats, opts.filters),
  ]);
  if (!vec.ok) onDegrade(vec.reason, vec.message);
  const vectorScores = new Map((vec.ok ? vec.matches : []).filter((m) => m.id !== id).map((m) => [m.id, m.score]));
  const vectorFloor = vectorScores.size ? Math.min(...vectorScores.values()) : 0;
  const tagSet = new Set(tagIds);
  const candidateIds = [...new Set([...vectorScores.keys(), ...tagIds, ...linked])].filter((c) => c !== id);
  // The tag leg filtered inside its query; the vector hits and the linked anime are checked
  // against D1 in the same round trip that fetches the rows.
  const { matching, rows: byId } = await catalog.matchingWithRows([...new Set([...vectorScores.keys(), ...linked])], opts.filters, candidateIds);
  let rows = candidateIds.map((cid) => byId.get(cid)).filter((r): r is AnimeRow => r !== undefined && (tagSet.has(r.id) || matching.has(r.id)));
  if (opts.excludeRelated) rows = rows.filter((r) => !sameFranchise(self, r));
  const ctx = { vectorAvailable: vec.ok, vectorFloor };
  const scored = rows.map((row) => {
    const tags = tagSimilarity(selfTags, tagVector(row.genres, stats));
    const signals: SimilarSignals = {
      vector: vectorScores.get(row.id) ?? null,
      tags: tags.score,
      related: !opts.excludeRelated && sameFranchise(self, row),
      prior: Math.min(1, popularityOf(row) / POPULARITY_CEILING),
    };
    return { id: row.id, row, signals, shared: tags.shared, score: blendScore(signals, ctx) };
  });
  const start = opts.offset ?? 0;
  const top = rankSimilar(scored).slice(start, start + opts.limit);
  const animes = await catalog.present(top.map((s) => s.row));
  const selfKeys = new Set(selfTags.weights.keys());
  return {
    anime: self,
    hits: top.map(
      (s, i): SimilarHit => ({
        anime: animes[i],
        similarity: {
          score: round(s.score),
          vector_score: s.signals.vector === null ? null : round(s.signals.vector),
          tag_score: round(s.signals.tags),
          shared_tags: s.shared.slice(0, SHOWN_TAGS),
          related: s.signals.related,
          prior: round(s.signals.prior),
          genre_overlap: round(jaccard(selfKeys, s.row.genres)),
        },
      }),
    ),
    degraded: vec.ok ? ([] as "vector"[]) : (["vector"] as "vector"[]),
  };
}

const round = (x: number) => Math.round(x * 10000) / 10000;

/** Unweighted Jaccard overlap of the tag sets (reported for reference; the ranking uses the IDF cosine). */
function jaccard(a: Set<string>, tags: string[]): number {
  const b = new Set(tags.map((t) => t.toLowerCase()));
  let shared = 0;
  for (const x of a) if (b.has(x)) shared++;
  const union = a.size + b.size - shared;
  return union ? shared / union : 0;
}

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
