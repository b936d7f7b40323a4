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
/** Exact title matches go first whatever the vector leg says; a prefix match gets a nudge. */
const EXACT_BOOST = 0.05;
const PREFIX_BOOST = 0.01;
/**
 * Spelling closeness (trigram Dice, 0–1) of the best name: a typo of a title ("shingeki no
 * kyojn") should beat a title that merely reads alike in the vector space.
 */
const SIMILARITY_BOOST = 0.02;

/**
 * Reciprocal-rank fusion of the keyword and vector legs: score = Σ 1/(60 + rank) over the
 * legs that returned the anime, plus the exact/prefix/spelling boosts of the keyword leg. Ranks are
 * 1-based. Either list may be empty (keyword-only, semantic-only or a degraded leg). Ties
 * break by id, so the order, and therefore every page of a cursor walk, is deterministic.
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
    // Spelling closeness only separates non-prefix matches: among titles the query starts
    // ("rezero"), Dice merely favours the shortest, and the keyword leg's order (franchise
    // root first) is the better judge.
    h.boost = k.exact ? EXACT_BOOST : k.prefix ? PREFIX_BOOST : SIMILARITY_BOOST * k.similarity;
    h.score += 1 / (RRF_K + i + 1) + h.boost;
  });
  vector.forEach((v, i) => {
    const h = entry(v.id);
    h.vector_rank = i + 1;
    h.vector_score = v.score;
    h.score += 1 / (RRF_K + i + 1);
  });
  return [...hits.values()].sort((a, b) => b.score - a.score || a.id - b.id);
}
