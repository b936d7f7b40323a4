import type { KeywordHit } from "./keyword/rank";
import type { VectorMatch } from "./vector-index/interface";

/** One ranked result of a search, with the evidence for its place. */
export interface FusedHit {
  id: number;
  score: number;
  keyword_rank: number | null;
  vector_rank: number | null;
  keyword_score: number | null;
  vector_score: number | null;
  boost: number;
}

/** RRF constant: 60 is the value of the original paper and of most engines; it damps the head. */
const RRF_K = 60;
/**
 * Boosts by keyword match class, larger than any gap the vector leg can open (1/61 ≈ 0.016)
 * between classes: the exact title first, then an exact synonym ("ONE PIECE" of "One Piece
 * Movie 01"), then titles the query starts. Other hits get up to 0.02 × similarity² for
 * spelling closeness, so a typo of a title ("shingeki no kyojn") beats a title that merely
 * reads alike in the vector space; among prefix matches ("rezero") the keyword leg's order
 * (franchise root first) stands.
 */
const BOOST = { exactTitle: 0.06, exactName: 0.04, prefix: 0.02, similarity: 0.02 } as const;

function boostOf(k: KeywordHit): number {
  if (k.exactTitle) return BOOST.exactTitle;
  if (k.exact) return BOOST.exactName;
  if (k.prefix) return BOOST.prefix;
  return BOOST.similarity * k.similarity * k.similarity;
}

/**
 * Reciprocal-rank fusion of the keyword and vector legs: score = Σ 1/(60 + rank) over the
 * legs that returned the anime, plus the keyword match-class boost. Ranks are 1-based. With
 * one leg only (keyword or semantic mode, or a degraded leg) that leg's order is kept as it
 * is. Ties break by id, so the order, and therefore every page of a walk, is deterministic.
 */
export function fuse(keyword: KeywordHit[], vector: VectorMatch[]): FusedHit[] {
  const hits = new Map<number, FusedHit>();
  const entry = (id: number) => {
    let h = hits.get(id);
    if (!h) hits.set(id, (h = { id, score: 0, keyword_rank: null, vector_rank: null, keyword_score: null, vector_score: null, boost: 0 }));
    return h;
  };
  keyword.forEach((k, i) => {
    const h = entry(k.id);
    h.keyword_rank = i + 1;
    h.keyword_score = k.score;
    h.boost = boostOf(k);
    h.score += 1 / (RRF_K + i + 1) + h.boost;
  });
  vector.forEach((v, i) => {
    const h = entry(v.id);
    h.vector_rank = i + 1;
    h.vector_score = v.score;
    h.score += 1 / (RRF_K + i + 1);
  });
  const all = [...hits.values()];
  if (vector.length === 0) return all; // keyword order, as ranked by the keyword leg
  if (keyword.length === 0) return all; // vector order
  // Sums of the same terms in another order differ in the last bits: compare at 1e-9.
  return all.sort((a, b) => Math.round((b.score - a.score) * 1e9) || a.id - b.id);
}
