import type { Catalog } from "../../catalog/catalog";
import type { QueryVocabulary } from "../../search/query/interface";

const TTL_MS = 5 * 60_000;
// Deliberate per-isolate cache: the genre list changes only with an import, and a few
// minutes of staleness only means a brand-new genre is not yet recognised in /v1/query.
let cached: { at: number; vocabulary: Promise<QueryVocabulary> } | null = null;

/** Genre/tag names of the catalog, for the natural-language parser. */
export function queryVocabulary(catalog: Catalog, now = Date.now()): Promise<QueryVocabulary> {
  if (!cached || now - cached.at > TTL_MS) {
    const vocabulary = catalog.genres().then((g) => ({ genres: g.map((x) => x.name) }));
    cached = { at: now, vocabulary };
    vocabulary.catch(() => (cached = null));
  }
  return cached.vocabulary;
}
