import { LOCAL_EMBEDDING_MODEL } from "./embedder/local";
import type { FusionWeights } from "./fusion";
import type { KeywordHit } from "./keyword/rank";
import { KNOWN_ITEM } from "./keyword/keyword-index";

/**
 * The relevance rule of search, in one place.
 *
 * Confidence: every hit carries `match.confidence` in [0, 1], the surer of its legs —
 * 1 when the query is the anime's title or a synonym, 0.85 a name the query starts, 0.7
 * every query word in its names, 0.6 the query inside a name, else the trigram similarity
 * of its closest name; for a
 * description, 0.9 × the share of its content words the anime's tags and synopsis hold; for
 * the vector leg, the embedder's cosine mapped through its calibration below. Hits under the
 * floor (`min_confidence`, default DEFAULT_MIN_CONFIDENCE) are dropped, so a query nothing
 * answers returns no hits; filters only remove hits, they never raise a confidence.
 *
 * Leg weights: a known-item query (a name matched with confidence ≥ KNOWN_ITEM) is the
 * keyword leg's — its ranks fused with a small RRF constant, so the vector leg cannot reorder
 * its head — the vector leg's ranks counting `knownItem`; any other query counts them
 * `description`. The local lexical embedder (feature-hashed words and trigrams) knows
 * spellings, not meaning, so it never outvotes an exact title and weighs less on
 * descriptions than a neural model (Workers AI bge-m3), which earns the keyword leg's weight.
 */
export const DEFAULT_MIN_CONFIDENCE = 0.35;
/** The keyword leg's RRF constant in a known-item query (fusion.ts keywordK): its order stands. */
const KNOWN_ITEM_K = 5;

interface EmbedderProfile {
  /** Cosine at and below which a vector match is no evidence, and at which it is full evidence. */
  cosine: { none: number; full: number };
  weight: { knownItem: number; description: number };
}

// Local: measured on the 40k catalog — random strings reach cosine ≤ 0.43 with their nearest
// anime, a plain word ("teacher") 0.6–0.7 with the anime named by it, a title 0.8 with its own.
const PROFILES: Record<string, EmbedderProfile> = {
  [LOCAL_EMBEDDING_MODEL]: { cosine: { none: 0.42, full: 0.8 }, weight: { knownItem: 0.2, description: 0.5 } },
};
/** Neural embedders (Workers AI): unrelated texts still score ~0.4 on bge-m3; paraphrases ≥ 0.7. */
const NEURAL: EmbedderProfile = { cosine: { none: 0.5, full: 0.8 }, weight: { knownItem: 0.3, description: 1 } };

/** Whether the keyword leg matched a name surely enough for the query to be a known-item query. */
export function isKnownItem(keyword: KeywordHit[]): boolean {
  return keyword.some((k) => (k.exact || k.prefix || k.similarity >= KNOWN_ITEM) && k.confidence >= KNOWN_ITEM);
}

/** The fusion weights of one query under an embedder model. */
export function fusionWeights(model: string, knownItem: boolean): FusionWeights {
  const p = PROFILES[model] ?? NEURAL;
  const span = p.cosine.full - p.cosine.none;
  return {
    vector: knownItem ? p.weight.knownItem : p.weight.description,
    keywordK: knownItem ? KNOWN_ITEM_K : undefined,
    vectorConfidence: (cos) => Math.max(0, Math.min(1, (cos - p.cosine.none) / span)),
  };
}
