import { LOCAL_EMBEDDING_MODEL } from "./embedder/local";
import type { FusionWeights } from "./fusion";
import type { KeywordHit } from "./keyword/rank";
import { KNOWN_ITEM } from "./keyword/keyword-index";

/**
 * The relevance rule of search, in one place.
 *
 * Confidence: every hit carries `match.confidence` in [0, 1], the surer of its legs —
 * 1 when the query is the anime's title or a synonym, 0.85 a name the query starts, 0.7
 * every query word in its names, 0.6 the query inside a name, else the similarity (trigram
 * or spelling, keyword/rank.ts) of its closest name; for a
 * description, 0.9 × the share of its content words the anime's tags and synopsis hold; for
 * the vector leg, the embedder's cosine mapped through its calibration below. Hits under the
 * floor (`min_confidence`, default DEFAULT_MIN_CONFIDENCE) are dropped, so a query nothing
 * answers returns no hits; filters only remove hits, they never raise a confidence.
 *
 * Leg weights: a known-item query (a name matched with confidence ≥ KNOWN_ITEM) is the
 * keyword leg's — its ranks fused with a small RRF constant, so the vector leg cannot reorder
 * its head — the vector leg's ranks counting `knownItem`; any other query counts them
 * `description`. The local embedder (feature-hashed names, plus tag and synopsis words from a
 * vocabulary learnt from the catalog: embedder/local.ts) knows spellings and the catalog's own
 * words, not language, so it never outvotes an exact title and weighs less on descriptions
 * than a neural model (Workers AI bge-m3), which earns the keyword leg's weight.
 */
export const DEFAULT_MIN_CONFIDENCE = 0.35;
/** The keyword leg's RRF constant in a known-item query (fusion.ts keywordK): its order stands. */
const KNOWN_ITEM_K = 5;

interface EmbedderProfile {
  /** Cosine at and below which a vector match is no evidence, and at which it is full evidence. */
  cosine: { none: number; full: number };
  weight: { knownItem: number; description: number };
}

// Local (local.ts), measured on the 40k catalog with the 1,822 synopses imported: the nearest
// anime of a random string (300 random and made-up words, the dev set's nonsense included) is at
// cosine ≤ 0.104; the top hit of a head-set title 0.12–0.3 (p10 0.13; short abbreviations such
// as "gto" under the floor), of a plain word ("teacher", "vampire") ≥ 0.18, the answer to a
// description 0.22–0.3. Floor (confidence 0.35) at cosine 0.109. The vector ranks of a
// description count 0.25: the descriptive dev set's best hybrid MRR (0.77, recall@10 0.95; 0.15
// → 0.77 / 0.93, 0.5 → 0.75 / 0.95), the vector leg being the weaker ranker (MRR 0.31 alone).
const PROFILES: Record<string, EmbedderProfile> = {
  [LOCAL_EMBEDDING_MODEL]: { cosine: { none: 0.06, full: 0.2 }, weight: { knownItem: 0.2, description: 0.25 } },
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
