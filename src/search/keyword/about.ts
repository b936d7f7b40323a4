/**
 * The descriptive half of the keyword leg: what an anime is about (tags, studios, synopsis:
 * anime_about_fts, migrations/0014_search_about.sql) against the words of a description
 * ("two sisters move to the countryside and meet a giant forest spirit riding a cat bus").
 * FTS5 ranks by BM25 (tags weighted above the synopsis) over the query's content words, any
 * of them (OR): a description never repeats the synopsis word for word. Porter stemming in
 * the index matches "sisters" to "sister".
 */

/** English function words and request fillers: they say nothing about an anime. */
const STOP = new Set(
  (
    "a an the and or but nor of to in on at by for with without from into onto over under about as is are was were be been being it its " +
    "this that these those who whom whose which what when where why how his her hers him he she they them their theirs we us our you your i me my " +
    "has have had having do does did not no so than then there here very just also too can could will would should may might must " +
    "anime show shows series movie film one some any all each every other another more most such only own same up down out off again once " +
    "get gets got make makes made go goes going become becomes find finds like"
  ).split(" "),
);

/** At most this many terms go to the index (longest first: rarer, more telling). */
const MAX_TERMS = 16;

/** The content words of a normalised query, de-duplicated, in query order (capped at MAX_TERMS, longest kept). */
export function aboutTerms(normalised: string): string[] {
  const words = [...new Set(normalised.split(" ").filter((w) => [...w].length >= 3 && !STOP.has(w) && !/^\d+$/.test(w)))];
  if (words.length <= MAX_TERMS) return words;
  const keep = new Set([...words].sort((a, b) => b.length - a.length).slice(0, MAX_TERMS));
  return words.filter((w) => keep.has(w));
}

/** The FTS5 query: any of the terms, in both columns. Terms are letters and digits (normalised), quoted anyway. */
export function aboutExpression(terms: string[]): string {
  return `{tags synopsis} : (${terms.map((t) => `"${t.replace(/"/g, '""')}"`).join(" OR ")})`;
}

/**
 * A crude stem for counting which terms a text holds, the way the index's Porter stemmer
 * would match them: common English endings off, at least four letters kept.
 */
export function stem(word: string): string {
  const w = word.toLowerCase();
  for (const suffix of ["ations", "ation", "ings", "ing", "edly", "ies", "ied", "es", "ed", "ers", "er", "ly", "s"]) {
    if (w.endsWith(suffix) && w.length - suffix.length >= 4) return w.slice(0, -suffix.length);
  }
  return w;
}

/** Content words a description needs to match for full confidence: five of its words found in a synopsis and tags are an answer. */
export const FULL_MATCH_TERMS = 5;

/**
 * How much of the description `text` (an anime's tags and synopsis) covers, 0–1: the terms it
 * holds (by stem), out of the query's terms but at most FULL_MATCH_TERMS — a twelve-word
 * description whose answer's synopsis holds five of its words is answered, not 5/12 answered.
 */
export function coverage(terms: string[], text: string): number {
  if (terms.length === 0) return 0;
  const stems = new Set(text.toLowerCase().split(/[^\p{L}\p{N}]+/u).filter(Boolean).map(stem));
  let found = 0;
  for (const t of terms) if (stems.has(stem(t))) found++;
  return Math.min(1, found / Math.min(terms.length, FULL_MATCH_TERMS));
}
