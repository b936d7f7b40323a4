/**
 * The ranking of GET /v1/anime/{id}/similar, as pure arithmetic over what the legs found
 * for one candidate:
 *
 *   relevance = 0.5 × vector + 0.5 × tags        (tags alone when the vector leg is unavailable)
 *   signal    = relevance + 0.3 × related × alike (related: 1 for the anime's franchise, else 0)
 *   score     = signal × (0.85 + 0.15 × prior)    (prior: popularity, 0–1)
 *
 * - vector: cosine of the two embeddings; a candidate the vector leg did not return (it came
 *   from the tag or relation leg) gets the weakest cosine the leg returned: it is at most that
 *   close, and a genre twin outside the top 100 vectors must not count as dissimilar.
 * - tags: cosine of the IDF-weighted tag sets (tag-leg.ts): a shared rare tag ("time
 *   machine", 26 anime) outweighs many shared common ones ("japanese production", 12,000).
 * - related: the franchise, when the caller keeps it (exclude_related=false): direct relations
 *   in either direction and titles extending one another. 0.3 puts a franchise entry above
 *   anything that is merely alike. alike = 1 for a vector neighbour, else min(1, tags / 0.2):
 *   related_anime also links crossovers and promotional tie-ins (Steins;Gate → a magical-girl
 *   ONA sharing "game" and "seinen"), which count only as far as their tags agree.
 * - prior: popularityOf / its ceiling (sites × score; 0 when unscored). At most a 15 % swing:
 *   it orders near-ties (the rated, widely listed show before the unscored one-site entry),
 *   never a clearly better match below a popular weak one.
 *
 * Evidence rule: a candidate with neither vector evidence (returned by the vector leg) nor tag
 * evidence (a shared tag of positive weight) ranks below every candidate with evidence,
 * whatever its relation or popularity. Ties: lower id first (deterministic pages).
 */
export const SIMILAR_WEIGHTS = { vector: 0.5, tags: 0.5, related: 0.3, prior: 0.15 } as const;
/** The tag score from which a relation counts fully without vector evidence (franchise entries score 0.2–0.65). */
export const RELATED_TAG_EVIDENCE = 0.2;

/** What the legs say about one candidate. */
export interface SimilarSignals {
  /** Cosine from the vector leg; null when the leg did not return this candidate. */
  vector: number | null;
  /** IDF-weighted tag cosine, 0–1. */
  tags: number;
  related: boolean;
  /** Popularity, 0–1. */
  prior: number;
}

export interface BlendContext {
  /** The vector leg answered (possibly with no neighbours). */
  vectorAvailable: boolean;
  /** The weakest cosine it returned; 0 when it returned none. */
  vectorFloor: number;
}

export const hasEvidence = (s: SimilarSignals) => s.vector !== null || s.tags > 0;

/** The score of one candidate (see the formula above). */
export function blendScore(s: SimilarSignals, ctx: BlendContext): number {
  const W = SIMILAR_WEIGHTS;
  const relevance = ctx.vectorAvailable ? W.vector * (s.vector ?? ctx.vectorFloor) + W.tags * s.tags : s.tags;
  const alike = s.vector !== null ? 1 : Math.min(1, s.tags / RELATED_TAG_EVIDENCE);
  const signal = relevance + (s.related ? W.related * alike : 0);
  return signal * (1 - W.prior + W.prior * clamp01(s.prior));
}

/** Candidates best first: evidence before none, then score, then id. */
export function rankSimilar<T extends { id: number; signals: SimilarSignals; score: number }>(candidates: T[]): T[] {
  return [...candidates].sort((a, b) => Number(hasEvidence(b.signals)) - Number(hasEvidence(a.signals)) || b.score - a.score || a.id - b.id);
}

const clamp01 = (x: number) => Math.min(1, Math.max(0, x));
