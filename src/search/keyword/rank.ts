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
}

export interface KeywordHit {
  id: number;
  score: number;
  /** The query is, in compact form, the title itself. */
  exactTitle: boolean;
  /** The query is the title or one of the synonyms. */
  exact: boolean;
  prefix: boolean;
  /** Best trigram similarity (Dice) between the query and a name, 0–1. */
  similarity: number;
}

/** Weights of the keyword signals; exact and prefix matches dominate, as users expect of a title search. */
const W = { exactTitle: 3, exactName: 2.5, prefixTitle: 1, prefixName: 0.8, words: 0.8, contains: 0.5, similarity: 1.5, family: 0.15, prior: 0.1 } as const;
const MAX_FAMILY = 4;
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

function dice(a: Set<string>, b: Set<string>): number {
  if (a.size === 0 || b.size === 0) return 0;
  let shared = 0;
  for (const t of a) if (b.has(t)) shared++;
  return (2 * shared) / (a.size + b.size);
}

/**
 * Orders keyword candidates for the compact query `cq`. Pure and deterministic (ties by
 * id). Besides match quality, a "family" signal prefers the root of a franchise: a title
 * that other candidates' titles extend ("Re:Zero kara Hajimeru Isekai Seikatsu" before its
 * "… 2nd Season"), so a short query finds the series, not its most recent spin-off.
 */
export function rankKeywordCandidates(cq: string, candidates: KeywordCandidate[]): KeywordHit[] {
  const q = new Set(trigrams(cq));
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
    for (const n of c.names.slice(0, MAX_NAMES_COMPARED)) similarity = Math.max(similarity, dice(q, new Set(trigrams(n))));
    // Only among titles the query starts: for a typo, "root of a franchise" says nothing.
    const family = prefixTitle && title.length >= 4 ? extensions(sorted, title) : 0;
    const score =
      (exactTitle ? W.exactTitle : exact ? W.exactName : 0) +
      (prefixTitle ? W.prefixTitle : prefix ? W.prefixName : 0) +
      (c.words ? W.words : 0) +
      (c.contains ? W.contains : 0) +
      W.similarity * similarity +
      W.family * family +
      W.prior * ((c.score ?? 5) / 10);
    return { id: c.id, score, exactTitle, exact, prefix, similarity };
  });
  return hits.sort((a, b) => b.score - a.score || a.id - b.id);
}
