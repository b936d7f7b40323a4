import { editDistance } from "../../catalog/nearest";
import { trigrams } from "./normalize";

/** One keyword candidate as the ranker sees it. `names` are compact, the title's first. */
export interface KeywordCandidate {
  id: number;
  names: string[];
  /** All query words matched (word index). */
  words: boolean;
  /** The compact query occurs inside a name (trigram index). */
  contains: boolean;
  score: number | null;
  /** Stored popularity (catalog/popularity.ts); 0 when unknown. */
  popularity?: number;
  /** The anime's type (TV, MOVIE…), for the franchise prior. */
  type?: string;
  /** The anime's year, for the first-of-its-name prior. */
  year?: number | null;
}

export interface KeywordHit {
  id: number;
  score: number;
  /** The query is, in compact form, the title itself. */
  exactTitle: boolean;
  /** The query is the title or one of the synonyms. */
  exact: boolean;
  prefix: boolean;
  /** Best similarity between the query and a name, 0–1: trigram Dice or spelling (spellingSimilarity), whichever is higher. */
  similarity: number;
  /** How surely the anime matches the query, 0–1: nameConfidence, or 0.9 × the about coverage when higher (keyword-index.ts). */
  confidence: number;
  /** Share of the query's content words its tags and synopsis hold; null when it was not an about match. */
  about?: number | null;
}

/**
 * How surely an anime's names answer the query, 0–1: 1 for the title or a synonym itself,
 * 0.85 for a name the query starts (three characters or more), 0.7 when every query word is
 * in its names, 0.6 when the query is inside a name ("巨人" in 進撃の巨人), else the similarity of its closest name ("lowg horizon" ≈ 0.92
 * by spelling; a random string against any name ≲ 0.3). The search's relevance floor compares this.
 */
export function nameConfidence(h: Pick<KeywordHit, "exact" | "prefix" | "similarity">, words: boolean, contains = false): number {
  if (h.exact) return 1;
  return Math.max(h.prefix ? 0.85 : 0, words ? 0.7 : 0, contains ? 0.6 : 0, h.similarity);
}

/**
 * Weights of the keyword signals; exact and prefix matches dominate, as users expect of a
 * title search. An exact synonym weighs almost what the exact title does: the release titles
 * a main work in romaji ("Ao no Exorcist", synonym "Blue Exorcist") and may give its movie
 * the English title itself, so between two exact names the priors decide — popularity (the
 * TV series is listed on ten sites, its special on one) and the type (a series before its
 * movie, specials and recaps), unless the query names the part (partNamed).
 */
const W = { exactTitle: 3, exactName: 2.98, prefixTitle: 1, prefixName: 0.8, words: 0.8, contains: 0.5, similarity: 1.5, family: 0.05, prior: 0.1, popularity: 0.6, type: 0.3, first: 0.45 } as const;
/** popularity at which the prior is full: ten sites × a 10.0 score (catalog/popularity.ts). */
const FULL_POPULARITY = 1_000_000;
/** How much each type is "the work itself" for a bare name query. */
const TYPE_PRIOR: Record<string, number> = { TV: 1, ONA: 0.8, MOVIE: 0.5, OVA: 0.4, SPECIAL: 0.1, UNKNOWN: 0.3 };
/** A query naming a part of a franchise: then the priors for the main entry stay out. */
const PART = /(?:movie|film|gekijouban|ova|oad|special|specials|recap|season\d|\d(?:st|nd|rd|th)season|r2|final|part\d|shippuden|shippuuden|kanketsuhen)$/;

export function partNamed(cq: string): boolean {
  return PART.test(cq) || /(?:season|part)\d|\d(?:st|nd|rd|th)season|movie|film/.test(cq);
}
const MAX_FAMILY = 4;
/**
 * First of its name: among the series (TV, ONA) the query names exactly, the earliest — the
 * original before its remake or second season ("K-On!" before "K-On!!", "Kenpuu Denki
 * Berserk" 1997 before "Berserk" 2016), never a promotional OVA before its series, nor a
 * barely-listed duplicate before the series every site lists.
 */
const SERIES = new Set(["TV", "ONA"]);
const MAX_NAMES_COMPARED = 24;

/** How many titles in `sorted` extend `title` (capped at MAX_FAMILY): they follow it in sort order. */
function extensions(sorted: string[], title: string): number {
  let lo = 0, hi = sorted.length;
  while (lo < hi) {
    const mid = (lo + hi) >> 1;
    if (sorted[mid] <= title) lo = mid + 1;
    else hi = mid;
  }
  let n = 0;
  for (let i = lo; i < sorted.length && n < MAX_FAMILY && sorted[i].startsWith(title); i++) if (sorted[i].length > title.length) n++;
  return n;
}

/**
 * Spelling similarity of two compact names: 1 − edits ÷ the longer length, for a name within a
 * quarter of the query's length in edits (a typo: "apartmnt" is 0.89 of "apartment", and 0 of "apart",
 * three edits away, which trigrams rate higher); 0 beyond that or for queries under five characters.
 */
export function spellingSimilarity(cq: string, name: string): number {
  const cap = Math.floor(cq.length / 4);
  if (cq.length < 5 || Math.abs(cq.length - name.length) > cap) return 0;
  const d = editDistance(cq, name, cap);
  return d > cap ? 0 : 1 - d / Math.max(cq.length, name.length);
}

function dice<T>(a: Set<T>, b: Set<T>): number {
  if (a.size === 0 || b.size === 0) return 0;
  let shared = 0;
  for (const t of a) if (b.has(t)) shared++;
  return (2 * shared) / (a.size + b.size);
}

/** A surrogate half: the string holds a character beyond the BMP. */
const ASTRAL = /[\uD800-\uDFFF]/;

/**
 * The distinct trigrams of `s` as numbers (three UTF-16 units in 48 bits), for a string of
 * three or more BMP characters, where they are exactly trigrams(): the ranker compares
 * thousands of names per query, and numbers spare a string per trigram. Null otherwise.
 */
function numericTrigrams(s: string): Set<number> | null {
  if (s.length < 3 || ASTRAL.test(s)) return null;
  const out = new Set<number>();
  for (let i = 0; i + 3 <= s.length; i++) out.add((s.charCodeAt(i) * 65536 + s.charCodeAt(i + 1)) * 65536 + s.charCodeAt(i + 2));
  return out;
}

/** Trigram Dice similarity of one query against many names, each name's trigrams built once. */
class QueryTrigrams {
  private readonly strings: Set<string>;
  private readonly numbers: Set<number> | null;

  constructor(cq: string) {
    this.strings = new Set(trigrams(cq));
    this.numbers = numericTrigrams(cq);
  }

  dice(name: string): number {
    const n = this.numbers && numericTrigrams(name);
    return n ? dice(this.numbers!, n) : dice(this.strings, new Set(trigrams(name)));
  }
}

/** A typo's spelling similarity at least this high names the anime meant (one edit in eight letters or more). */
const MEANT_SIMILARITY = 0.875;

/** The one name of the candidates nearest `cq` in spelling (spellingSimilarity ≥ MEANT_SIMILARITY), or null when none or two differ and tie. */
function nearestName(candidates: KeywordCandidate[], cq: string, similarity: (name: string) => number): string | null {
  let best: string | null = null, top = 0, tied = false;
  for (const c of candidates) {
    for (const n of c.names.slice(0, MAX_NAMES_COMPARED)) {
      const s = similarity(n);
      if (s < MEANT_SIMILARITY || spellingSimilarity(cq, n) < MEANT_SIMILARITY) continue;
      if (s > top) [best, top, tied] = [n, s, false];
      else if (s === top && n !== best) tied = true;
    }
  }
  return tied ? null : best;
}

/**
 * Orders keyword candidates for the compact query `cq`. Pure and deterministic (ties by
 * id). Besides match quality, a "family" signal prefers the root of a franchise: a title
 * that other candidates' titles extend ("Re:Zero kara Hajimeru Isekai Seikatsu" before its
 * "… 2nd Season"), so a short query finds the series, not its most recent spin-off; and,
 * unless the query names a part, the popularity and type priors (W) break near-ties.
 * `memo` keeps each name's similarity to `cq` between calls for the same query (the keyword
 * leg ranks its first candidates, then again with the typo query's).
 */
export function rankKeywordCandidates(cq: string, candidates: KeywordCandidate[], memo: Map<string, number> = new Map()): KeywordHit[] {
  let q: QueryTrigrams | undefined;
  const similarityTo = (name: string) => {
    let s = memo.get(name);
    if (s === undefined) memo.set(name, (s = Math.max((q ??= new QueryTrigrams(cq)).dice(name), spellingSimilarity(cq, name))));
    return s;
  };
  const priors = !partNamed(cq);
  // The name the query means: itself, or for a typo the one name nearest in spelling
  // ("shingekinokyojn" → "shingekinokyojin", which three seasons list), so the first of its
  // series wins a typo as it wins the exact name.
  const meant = candidates.some((c) => c.names.includes(cq)) ? cq : nearestName(candidates, cq, similarityTo);
  const exactSeries = meant === null ? [] : candidates.filter((c) => c.names.includes(meant) && c.year != null && SERIES.has(c.type ?? ""));
  // A one-site duplicate of a series, dated a year early, is not its original: only series
  // within a quarter of the most popular one's popularity compete for "first".
  const topPopularity = Math.max(0, ...exactSeries.map((c) => c.popularity ?? 0));
  const contenders = exactSeries.filter((c) => (c.popularity ?? 0) >= topPopularity / 4).map((c) => c.year!);
  const firstYear = exactSeries.length > 1 ? Math.min(...contenders) : null;
  const titles = candidates.map((c) => c.names[0] ?? "");
  const sorted = [...titles].sort();
  const hits = candidates.map((c, i) => {
    const title = titles[i];
    const exactTitle = title === cq;
    const exact = exactTitle || c.names.includes(cq);
    const long = [...cq].length >= 3;
    const prefixTitle = long && title.startsWith(cq);
    const prefix = prefixTitle || (long && c.names.some((n) => n.startsWith(cq)));
    let similarity = 0;
    if (exact) similarity = 1;
    else for (const n of c.names.slice(0, MAX_NAMES_COMPARED)) similarity = Math.max(similarity, similarityTo(n));
    // Only among titles the query starts: for a typo, "root of a franchise" says nothing.
    const family = prefixTitle && title.length >= 4 ? extensions(sorted, title) : 0;
    const score =
      (exactTitle ? W.exactTitle : exact ? W.exactName : 0) +
      // An exact name is a prefix too: the prefix weights only rank the names the query starts.
      (exact ? 0 : prefixTitle ? W.prefixTitle : prefix ? W.prefixName : 0) +
      (c.words ? W.words : 0) +
      (c.contains ? W.contains : 0) +
      W.similarity * similarity +
      W.family * family +
      W.prior * ((c.score ?? 5) / 10) +
      // Full priors between exact names; a quarter otherwise, where the spelling decides (a typo
      // of "Tonari no Seki-kun Specials" is the specials, not the famous series it extends).
      (priors ? (exact ? 1 : 0.25) * (W.popularity * Math.min(1, (c.popularity ?? 0) / FULL_POPULARITY) + W.type * (TYPE_PRIOR[c.type ?? "UNKNOWN"] ?? 0.3)) : 0) +
      (meant !== null && firstYear !== null && c.year === firstYear && c.names.includes(meant) && SERIES.has(c.type ?? "") ? W.first : 0);
    const hit = { id: c.id, score, exactTitle, exact, prefix, similarity };
    return { ...hit, confidence: nameConfidence(hit, c.words, c.contains) };
  });
  return hits.sort((a, b) => b.score - a.score || a.id - b.id);
}
