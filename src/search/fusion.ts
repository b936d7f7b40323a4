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
  /** How surely the anime answers the query, 0–1 (see fuse). */
  confidence: number;
  /** The weight the vector leg's ranks had in this query (see FusionWeights). */
  vector_weight: number;
}

/** RRF constant: 60 is the value of the original paper and of most engines; it damps the head. */
const RRF_K = 60;
/**
 * Boosts by keyword match class, larger than any gap the vector leg can open (1/61 ≈ 0.016)
 * between classes: an exact name (title or synonym: the keyword leg's priors order two exact
 * names), then names the query starts. Other hits get up to 0.02 × similarity² for spelling
 * closeness, so a typo of a title ("shingeki no kyojn") beats a title that merely reads alike
 * in the vector space; among prefix matches ("rezero") the keyword leg's order (franchise
 * root first) stands.
 */
const BOOST = { exact: 0.06, prefix: 0.02, similarity: 0.02 } as const;

function boostOf(k: KeywordHit): number {
  if (k.exact) return BOOST.exact;
  if (k.prefix) return BOOST.prefix;
  return BOOST.similarity * k.similarity * k.similarity;
}

/** How the legs count in one query, and how sure a vector match is. */
export interface FusionWeights {
  /** Weight of the vector leg's reciprocal ranks; the keyword leg's is 1. */
  vector: number;
  /**
   * RRF constant of the keyword leg: 60 (the paper's), or small for a known-item query, where
   * the gap between the keyword leg's first ranks (1/6 − 1/7 at 5) is more than any vector
   * rank adds: the vector leg then orders the keyword leg's tail and adds its own finds.
   */
  keywordK?: number;
  /** Cosine → confidence 0–1 for the embedder in use (its calibration). */
  vectorConfidence: (cosine: number) => number;
}

const DEFAULT_WEIGHTS: FusionWeights = { vector: 1, vectorConfidence: () => 1 };

/**
 * Weighted reciprocal-rank fusion of the keyword and vector legs: score = 1/(k + keyword
 * rank) + w × c / (60 + vector rank) (k: FusionWeights.keywordK; c: the vector match's
 * calibrated confidence) over the legs that returned the anime, plus the keyword
 * match-class boost; w comes from the query and the embedder (search-service.ts). A hit's
 * confidence is the surer of its legs: the keyword leg's (name match or description coverage)
 * and the embedder's calibration of its cosine. Ranks are 1-based. With one leg only
 * (keyword or semantic mode, or a degraded leg) that leg's order is kept as it is. Ties break
 * by id, so the order, and therefore every page of a walk, is deterministic.
 */
export function fuse(keyword: KeywordHit[], vector: VectorMatch[], weights: FusionWeights = DEFAULT_WEIGHTS): FusedHit[] {
  const hits = new Map<number, FusedHit>();
  const entry = (id: number) => {
    let h = hits.get(id);
    if (!h) hits.set(id, (h = { id, score: 0, keyword_rank: null, vector_rank: null, keyword_score: null, vector_score: null, boost: 0, confidence: 0, vector_weight: weights.vector }));
    return h;
  };
  keyword.forEach((k, i) => {
    const h = entry(k.id);
    h.keyword_rank = i + 1;
    h.keyword_score = k.score;
    h.boost = boostOf(k);
    h.score += 1 / ((weights.keywordK ?? RRF_K) + i + 1) + h.boost;
    h.confidence = Math.max(h.confidence, k.confidence);
  });
  vector.forEach((v, i) => {
    const h = entry(v.id);
    h.vector_rank = i + 1;
    h.vector_score = v.score;
    // A vector rank counts as far as its cosine is evidence (the embedder's calibration): the
    // nearest neighbour of a description in a lexical space is often no answer at all.
    const evidence = weights.vectorConfidence(v.score);
    h.score += (weights.vector * evidence) / (RRF_K + i + 1);
    h.confidence = Math.max(h.confidence, evidence);
  });
  const all = [...hits.values()];
  if (vector.length === 0) return all; // keyword order, as ranked by the keyword leg
  if (keyword.length === 0) return all; // vector order
  // Sums of the same terms in another order differ in the last bits: compare at 1e-9.
  return all.sort((a, b) => Math.round((b.score - a.score) * 1e9) || a.id - b.id);
}
