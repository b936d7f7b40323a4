import { documentParts } from "../document";
import { normalise } from "../keyword/normalize";
import { aboutWords } from "./about-words";
import { conceptWords } from "./concepts";
import type { Embedder } from "./interface";
import { LOCAL_VOCABULARY } from "./local-vocabulary";

/** Names the vector space: any change below (weights, vocabulary, layout) needs a new name, which re-embeds the catalog. */
export const LOCAL_EMBEDDING_MODEL = "kensho-local-about-v2-256";
/**
 * 256: 96 for the names, 152 for what an anime is about, 8 of pad. The about part is what
 * carries descriptions, and it needs the room: on the 40k catalog with its 1,822 synopses, the
 * answer to a description is in the semantic top 10 for 0.68 of ../shared/eval's descriptive
 * dev set at 256, for 0.18–0.28 at 128 (48 / 72 / 8). Cost: the exact scan of the local index,
 * 7–8 → 12 ms per query (Server-Timing "vector", p50) at 40k anime.
 */
export const LOCAL_EMBEDDING_DIMENSIONS = 256;
const NAME_DIMS = 96;
const PAD_DIMS = 8;
const ABOUT_DIMS = LOCAL_EMBEDDING_DIMENSIONS - NAME_DIMS - PAD_DIMS;

/** Share (L2) of a document's vector that is its names; the rest is what it is about. */
const NAME_SHARE = 0.2;
/**
 * About-part length (L2, in word weights) at and under which a document's about words keep
 * their weight instead of being stretched to full length; the rest of its share goes to the
 * pad. A document with three tags then does not outrank, on one shared word, a synopsis that
 * shares five; longer about parts are normalised as usual.
 */
const PIVOT = 10;
/** Buckets each feature is spread over: two colliding features then share a quarter, not all, of their weight. */
const PROBES = 4;
/** Counts of a tag's words and a synopsis's words (the square root of the sum is the word's weight). */
const TAG_WEIGHT = 0.5;
const SYNOPSIS_WEIGHT = 1;
/** A word the concept table adds, against 1 for a word of the query. */
const CONCEPT_WEIGHT = 0.7;
/**
 * How much a query's names count beside its about words (1), by how many about words it has:
 * one or two words are most often a title ("cowboy bebop", both words known from synopses),
 * four or more a description, whose names are noise.
 */
const queryNameWeight = (aboutWordCount: number) => (aboutWordCount <= 2 ? 2 : aboutWordCount === 3 ? 1 : 0.1);

/** Words too common in titles to say much ("no" in "Shingeki no Kyojin"): kept, weighted down. */
const COMMON = new Set(["no", "the", "of", "a", "an", "and", "to", "in", "wa", "ga", "wo", "ni", "de", "na", "season", "movie", "special", "specials", "episode", "tv", "ova", "also", "known", "as", "genres", "studios"]);
const WORD_WEIGHT = 1;
const COMMON_WORD_WEIGHT = 0.15;
const TRIGRAM_WEIGHT = 0.45;

let vocabulary: Set<string> | undefined;
/** The about words the embedder knows (local-vocabulary.ts), built on first use. */
function known(): Set<string> {
  return (vocabulary ??= new Set(LOCAL_VOCABULARY.split(" ")));
}

/** FNV-1a: a fast, stable 32-bit hash; the same feature always lands in the same buckets. */
function fnv1a(s: string): number {
  let h = 0x811c9dc5;
  for (let i = 0; i < s.length; i++) {
    h ^= s.charCodeAt(i);
    h = Math.imul(h, 0x01000193);
  }
  return h >>> 0;
}

/** murmur3's 32-bit finaliser: the next, independent bucket of a feature. */
function mix(h: number): number {
  h ^= h >>> 16;
  h = Math.imul(h, 0x85ebca6b);
  h ^= h >>> 13;
  h = Math.imul(h, 0xc2b2ae35);
  h ^= h >>> 16;
  return h >>> 0;
}

/** A bag of hashed features: each adds ±weight/√PROBES to PROBES buckets of a `size`-long vector. */
class Features {
  readonly v: Float64Array;
  constructor(size: number) {
    this.v = new Float64Array(size);
  }
  add(feature: string, weight: number): void {
    const w = weight / Math.sqrt(PROBES);
    let h = fnv1a(feature);
    for (let p = 0; p < PROBES; p++) {
      this.v[h % this.v.length] += h & 0x80000000 ? -w : w;
      h = mix(h + p + 1);
    }
  }
  norm(): number {
    let s = 0;
    for (const x of this.v) s += x * x;
    return Math.sqrt(s);
  }
  /** Adds this bag, times `scale`, into `out` from `offset` on. */
  into(out: Float64Array, offset: number, scale: number): void {
    for (let i = 0; i < this.v.length; i++) out[offset + i] += scale * this.v[i];
  }
}

/**
 * A local embedder that needs no network and no model weights. A vector has three parts:
 *
 * - **names** (dimensions 0–95; title and synonyms): feature hashing of words and character
 *   trigrams (with word-boundary marks), so spellings and typos stay close;
 * - **about** (96–247; tags and synopsis): their stemmed content words, a word weighing the
 *   square root of its count, so "giant robots" meets the anime tagged robot, piloted robot
 *   and super robot; a small concept table (concepts.ts) adds to a query the tags its plain
 *   phrases mean ("giant robots" → mecha);
 * - **pad** (248–255): the part of a short about part's share it does not fill (PIVOT).
 *
 * A document is NAME_SHARE names and the rest about and pad. A query has no pad: it is its
 * words as a name plus those of its words the vocabulary knows (local-vocabulary.ts: the words
 * of the catalog's tags and synopses) as about words, its names counting less the more about
 * words it has. So a description is matched on what anime are about, a title on names, and a
 * string of unknown words (a random string) on names only, where a document has a fifth of
 * its length: that is what keeps nonsense under the relevance floor (relevance.ts).
 *
 * Every feature is spread over PROBES buckets, which keeps a chance collision of two features
 * from looking like a match. Deterministic: a vector depends only on its text (fixed weights
 * and vocabulary, no corpus statistics at run time), so incremental indexing never drifts from
 * a full reindex. Production uses Workers AI (a multilingual neural model) instead.
 */
export class LocalEmbedder implements Embedder {
  readonly model = LOCAL_EMBEDDING_MODEL;
  readonly dimensions = LOCAL_EMBEDDING_DIMENSIONS;
  readonly maxBatch = 1000;

  async embed(texts: string[]): Promise<number[][]> {
    return texts.map((t) => {
      const doc = documentParts(t);
      return doc ? this.document(doc.names, doc.tags, doc.synopsis) : this.query(t);
    });
  }

  private document(names: string[], tags: string[], synopsis: string): number[] {
    const counts = new Map<string, number>();
    const count = (text: string, weight: number) => {
      for (const w of aboutWords(text)) if (known().has(w)) counts.set(w, (counts.get(w) ?? 0) + weight);
    };
    for (const tag of tags) count(tag, TAG_WEIGHT);
    count(synopsis, SYNOPSIS_WEIGHT);
    const about = new Features(ABOUT_DIMS);
    for (const [w, n] of counts) about.add(`a:${w}`, Math.sqrt(n));
    const aboutShare = Math.sqrt(1 - NAME_SHARE ** 2);
    const length = about.norm();
    const pad = aboutShare * Math.sqrt(Math.max(0, 1 - (length / PIVOT) ** 2));
    const name = this.names(names);
    const v = new Float64Array(LOCAL_EMBEDDING_DIMENSIONS);
    name.into(v, 0, NAME_SHARE / (name.norm() || 1));
    about.into(v, NAME_DIMS, aboutShare / Math.max(length, PIVOT));
    for (let i = NAME_DIMS + ABOUT_DIMS; i < LOCAL_EMBEDDING_DIMENSIONS; i++) v[i] = pad / Math.sqrt(PAD_DIMS);
    return unit(v);
  }

  private query(text: string): number[] {
    const words = [...new Set(aboutWords(text).filter((w) => known().has(w)))];
    const about = new Features(ABOUT_DIMS);
    for (const w of words) about.add(`a:${w}`, 1);
    for (const w of conceptWords(words)) if (known().has(w)) about.add(`a:${w}`, CONCEPT_WEIGHT);
    const name = this.names([text]);
    const v = new Float64Array(LOCAL_EMBEDDING_DIMENSIONS);
    name.into(v, 0, queryNameWeight(words.length) / (name.norm() || 1));
    about.into(v, NAME_DIMS, 1 / (about.norm() || 1));
    return unit(v);
  }

  private names(names: string[]): Features {
    const f = new Features(NAME_DIMS);
    for (const name of names) {
      for (const word of normalise(name).split(" ")) {
        if (!word) continue;
        const common = COMMON.has(word);
        f.add(`w:${word}`, common ? COMMON_WORD_WEIGHT : WORD_WEIGHT);
        if (common) continue;
        const chars = [..."^" + word + "$"];
        for (let i = 0; i + 3 <= chars.length; i++) f.add(`t:${chars[i]}${chars[i + 1]}${chars[i + 2]}`, TRIGRAM_WEIGHT);
      }
    }
    return f;
  }
}

function unit(v: Float64Array): number[] {
  let s = 0;
  for (const x of v) s += x * x;
  const n = Math.sqrt(s) || 1;
  return Array.from(v, (x) => x / n);
}
