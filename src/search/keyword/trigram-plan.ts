import { COMMON_TRIGRAMS } from "./common-trigrams";

/**
 * Which of a query's trigrams to read from the trigram index. Reading a trigram costs time in
 * proportion to how many names hold it ("shi": 17,746 names; "yoj": 320), so the index
 * queries read the rare ones: a name holding the query holds all of its trigrams, and the
 * rarest few pin it down. Rarity comes from common-trigrams.ts (built from the catalog's
 * names by scripts/build-common-trigrams.ts, with their counts): a trigram not on that list is
 * held by fewer names than any on it. The list plans work only; it never decides a result.
 */
let counts: Map<string, number> | undefined;

/** How many names hold `gram` by the common list, or 0 for a trigram not on it. */
function listed(gram: string): number {
  counts ??= new Map(
    COMMON_TRIGRAMS.split(" ").map((entry) => {
      const at = entry.lastIndexOf(":");
      return [entry.slice(0, at), Number(entry.slice(at + 1))];
    }),
  );
  return counts.get(gram) ?? 0;
}

/** The trigrams not on the common list, in query order: the ones worth a document count. */
export function uncommonTrigrams(grams: string[]): string[] {
  return grams.filter((g) => listed(g) === 0);
}

/** How many names hold the rarest of `grams` by the list: at most that many hold them all (0 when one is off the list, so held by fewer than the list's minimum). */
export function rarestListedCount(grams: string[]): number {
  return Math.min(...grams.map(listed));
}

/** The `n` least common of `grams` by the list alone: unlisted ones first (query order), then listed ones rarest first. */
export function rarestByList(grams: string[], n: number): string[] {
  const common = grams.filter((g) => listed(g) > 0).sort((a, b) => listed(a) - listed(b));
  return [...uncommonTrigrams(grams), ...common].slice(0, n);
}

/**
 * The rarest trigrams for the typo query, at most `max`: those the index counted (`counted`:
 * unlisted trigrams with their document counts; a trigram no name holds is absent, being most
 * likely the typo itself) rarest first, then listed ones rarest first. Past `min` trigrams,
 * one more is taken only while the names they hold stay within `budget`: the typo query
 * ranks every name holding any of them, ~2 µs a name in workerd's D1.
 */
export function rarestTrigrams(counted: { term: string; doc: number }[], grams: string[], { min, max, budget }: { min: number; max: number; budget: number }): string[] {
  const all = [
    ...[...counted].sort((a, b) => a.doc - b.doc || (a.term < b.term ? -1 : 1)),
    ...grams.filter((g) => listed(g) > 0 && !counted.some((c) => c.term === g)).map((term) => ({ term, doc: listed(term) })).sort((a, b) => a.doc - b.doc),
  ];
  const out: string[] = [];
  let names = 0;
  for (const { term, doc } of all) {
    if (out.length >= max || (out.length >= min && names + doc > budget)) break;
    out.push(term);
    names += doc;
  }
  return out;
}
