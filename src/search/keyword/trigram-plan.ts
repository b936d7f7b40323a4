import { COMMON_TRIGRAMS } from "./common-trigrams";

/**
 * Which of a query's trigrams to read from the trigram index. Reading a trigram costs time in
 * proportion to how many names hold it ("shi": 17,746 names; "yoj": 320), so the index
 * queries read the rare ones: a name holding the query holds all of its trigrams, and the
 * rarest few pin it down. Rarity comes from common-trigrams.ts (built from the catalog's
 * names by scripts/build-common-trigrams.ts): a trigram not on that list is held by fewer
 * names than any on it. The list plans work only; it never decides a result.
 */
let ranks: Map<string, number> | undefined;

/** Position on the common list (0: the most common), or -1 for a trigram not on it. */
function commonRank(gram: string): number {
  ranks ??= new Map(COMMON_TRIGRAMS.split(" ").map((t, i) => [t, i]));
  return ranks.get(gram) ?? -1;
}

/** The trigrams not on the common list, in query order: the ones worth a document count. */
export function uncommonTrigrams(grams: string[]): string[] {
  return grams.filter((g) => commonRank(g) < 0);
}

/** The `n` least common of `grams` by the list alone: unlisted ones first (query order), then listed ones rarest first. */
export function rarestByList(grams: string[], n: number): string[] {
  const listed = grams.filter((g) => commonRank(g) >= 0).sort((a, b) => commonRank(b) - commonRank(a));
  return [...uncommonTrigrams(grams), ...listed].slice(0, n);
}

/**
 * The `n` rarest trigrams for the typo query: those the index counted (`counted`, unlisted
 * trigrams with their document counts; a trigram no name holds is absent) rarest first, then
 * listed ones rarest first. A query trigram that no name holds is never chosen: it is most
 * likely the typo itself.
 */
export function rarestTrigrams(counted: { term: string; doc: number }[], grams: string[], n: number): string[] {
  const byCount = [...counted].sort((a, b) => a.doc - b.doc || (a.term < b.term ? -1 : 1)).map((d) => d.term);
  const listed = grams.filter((g) => commonRank(g) >= 0).sort((a, b) => commonRank(b) - commonRank(a));
  return [...byCount, ...listed].slice(0, n);
}
