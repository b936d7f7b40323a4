import type { Catalog } from "../../catalog/catalog";
import type { QueryVocabulary } from "../../search/query/interface";

const TTL_MS = 5 * 60_000;
// Deliberate per-isolate cache of a resolved value (a pending promise is never shared across
// requests): the genre list changes only with an import, and a few minutes of staleness only
// means a brand-new genre is not yet recognised in /v1/query.
let cached: { at: number; vocabulary: QueryVocabulary } | null = null;

/** Genre/tag names of the catalog, for the natural-language parser. */
export async function queryVocabulary(catalog: Catalog, now = Date.now()): Promise<QueryVocabulary> {
  if (cached && now - cached.at <= TTL_MS) return cached.vocabulary;
  const vocabulary = { genres: (await catalog.genres()).map((g) => g.name) };
  cached = { at: now, vocabulary };
  return vocabulary;
}
