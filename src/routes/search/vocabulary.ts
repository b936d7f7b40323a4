import type { Generation } from "../../cache/generation";
import type { QueryVocabulary } from "../../search/query/interface";

/** Where the vocabulary comes from. */
export interface VocabularySource {
  /** The genres (catalog/genres.ts), then the tag names of active anime, most used first: a read of precomputed counts (catalog/genre-counts.ts), never an aggregate. */
  genres(): Promise<string[]>;
  /** The catalog generation now, or null when KV cannot say. */
  generation(): Promise<Generation | null>;
}

/** How long a vocabulary is reused while the generation is unknown (KV failing). */
const UNKNOWN_GENERATION_TTL_MS = 60_000;

// Deliberate per-isolate memo of a resolved value, never a pending promise (workerd ties a
// promise to the request that made it): the vocabulary read under a catalog generation.
// Every catalog write bumps the generation, so the first request after one reads the counts
// again (one small read per generation, not per request). The same array is handed out
// meanwhile, so the parsers' lookups built per array (query/genre-names.ts) are built once.
let memo: { gen: string | null; at: number; vocabulary: QueryVocabulary } | null = null;

/** Genre/tag names of the catalog, for the natural-language parser. */
export async function queryVocabulary(source: VocabularySource, now = Date.now()): Promise<QueryVocabulary> {
  const g = await source.generation();
  if (memo && (g ? memo.gen === g.gen : now - memo.at < UNKNOWN_GENERATION_TTL_MS)) return memo.vocabulary;
  const vocabulary = { genres: await source.genres() };
  memo = { gen: g?.gen ?? null, at: now, vocabulary };
  return vocabulary;
}
