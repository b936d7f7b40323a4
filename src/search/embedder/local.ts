import { normalise } from "../keyword/normalize";
import type { Embedder } from "./interface";

export const LOCAL_EMBEDDING_MODEL = "kensho-local-ngram-v1-128";
/**
 * 128: the exact scan of the 25k-anime sample costs ~4 ms per query, which brought hybrid
 * search under its 40 ms p95 target here (256 dims: ~7–10 ms; docs/benchmarks.md). Titles
 * are short, so few features collide; semantic-only recall drops a little, hybrid's not.
 */
export const LOCAL_EMBEDDING_DIMENSIONS = 128;

/** Words too common in titles to say much ("no" in "Shingeki no Kyojin"): kept, weighted down. */
const COMMON = new Set(["no", "the", "of", "a", "an", "and", "to", "in", "wa", "ga", "wo", "ni", "de", "na", "to", "season", "movie", "special", "specials", "episode", "tv", "ova", "also", "known", "as", "genres", "studios"]);
const WORD_WEIGHT = 1;
const COMMON_WORD_WEIGHT = 0.15;
const TRIGRAM_WEIGHT = 0.45;

/** FNV-1a: a fast, stable 32-bit hash; the same feature always lands in the same bucket. */
function fnv1a(s: string): number {
  let h = 0x811c9dc5;
  for (let i = 0; i < s.length; i++) {
    h ^= s.charCodeAt(i);
    h = Math.imul(h, 0x01000193);
  }
  return h >>> 0;
}

/**
 * A lexical embedder that needs no network and no model weights: feature hashing of words
 * and of character trigrams (with word-boundary marks) into a signed 128-dimension vector,
 * L2-normalised. Similar spellings share trigrams, so typos stay close; it has no notion of
 * meaning ("giant robot" is not near "mecha"). Production uses Workers AI (a multilingual
 * neural model) instead. Weights are fixed, not corpus IDF: a vector depends only on its
 * text, so incremental indexing never drifts from a full reindex.
 */
export class LocalEmbedder implements Embedder {
  readonly model = LOCAL_EMBEDDING_MODEL;
  readonly dimensions = LOCAL_EMBEDDING_DIMENSIONS;
  readonly maxBatch = 1000;

  async embed(texts: string[]): Promise<number[][]> {
    return texts.map((t) => this.embedOne(t));
  }

  private embedOne(text: string): number[] {
    const v = new Float64Array(this.dimensions);
    const add = (feature: string, weight: number) => {
      const h = fnv1a(feature);
      v[h % this.dimensions] += h & 0x80000000 ? -weight : weight;
    };
    for (const word of normalise(text).split(" ")) {
      if (!word) continue;
      const common = COMMON.has(word);
      add(`w:${word}`, common ? COMMON_WORD_WEIGHT : WORD_WEIGHT);
      if (common) continue;
      const chars = [..."^" + word + "$"];
      for (let i = 0; i + 3 <= chars.length; i++) add(`t:${chars[i]}${chars[i + 1]}${chars[i + 2]}`, TRIGRAM_WEIGHT);
    }
    let norm = 0;
    for (const x of v) norm += x * x;
    norm = Math.sqrt(norm) || 1;
    return Array.from(v, (x) => x / norm);
  }
}
