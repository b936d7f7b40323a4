import type { FusedHit } from "./fusion";

/** A score as the API shows it: rounded to 6 decimals (null stays null). */
export const roundScore = <T extends number | null>(x: T): T => (x === null ? x : Math.round(x * 1e6) / 1e6) as T;

/**
 * A search hit's `match` as every route shows it (GET /v1/search, POST /v1/query): scores and
 * confidence rounded by roundScore, the legs' ranks, and with `explain` the per-leg scores.
 * One definition, so the same hit reads the same in both.
 */
export function publicMatch(h: FusedHit, explain = false) {
  return {
    score: roundScore(h.score),
    confidence: roundScore(h.confidence),
    keyword_rank: h.keyword_rank,
    vector_rank: h.vector_rank,
    ...(explain ? { explain: { keyword_score: roundScore(h.keyword_score), vector_score: roundScore(h.vector_score), boost: h.boost, vector_weight: h.vector_weight } } : {}),
  };
}
