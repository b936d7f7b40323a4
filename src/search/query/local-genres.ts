import { GENRE_ALIASES, genreLookup, resolveGenres } from "./genre-names";
import type { QueryVocabulary } from "./interface";
import { addOnce, EXCLUDE, LIST_SEP, type RuleContext } from "./local-phrase";
import { FILLER_WORDS, type QueryText } from "./local-text";

/**
 * Finds the vocabulary's genres in a query: exclusions ("without romance", "no ecchi or
 * harem", "but not horror") and wanted genres, in the vocabulary's spelling. Any other word
 * stays in the search text. Runs after the phrase rules, on what they left.
 *
 * Names are found by looking up runs of up to `maxWords` neighbouring words in the genre key
 * map rather than with one pattern of every name: the catalog has thousands of tags, and such
 * a pattern takes seconds to build and a tenth of a second per query.
 */

const WORD = /[\p{L}\p{N}\p{M}]+/gu;
// What may sit between the words of one name: "sci-fi", "slice of life", "boys' love".
const INSIDE_NAME = /^[\s\-_.'’]*$/u;
const EXCLUSION_BEFORE = new RegExp(String.raw`(?<![\p{L}\p{N}])${EXCLUDE}[\s-]+$`, "u");
const LIST_GAP = new RegExp(`^${LIST_SEP}$`, "u");
// An exclusion of a word that is no genre or tag of the catalog. Only unambiguous heads:
// "no" is also a romaji particle ("shingeki no kyojin").
const UNKNOWN_EXCLUSION = /(?<![\p{L}\p{N}])(?:(?:but|and)\s+not|without|excluding|except(?:\s+for)?|minus)[\s-]+([\p{L}\p{N}][\p{L}\p{N}'-]*)/gu;
// Longest exclusion head looked for before a name ("anything but ", "except for ").
const HEAD_WINDOW = 24;
const MAX_NAME_WORDS = 8;

interface Mention {
  start: number;
  end: number;
  names: string[];
}

// Words in the longest name, per vocabulary array (the route passes the same list many times).
const MAX_WORDS = new WeakMap<readonly string[], number>();

function maxWordsOf(vocabulary: QueryVocabulary, lookup: Map<string, string>): number {
  const genres: readonly string[] = Array.isArray(vocabulary?.genres) ? vocabulary.genres : [];
  let max = MAX_WORDS.get(genres);
  if (max === undefined) {
    max = 1;
    for (const name of [...lookup.values(), ...Object.keys(GENRE_ALIASES)]) max = Math.max(max, name.match(WORD)?.length ?? 1);
    max = Math.min(max, MAX_NAME_WORDS);
    MAX_WORDS.set(genres, max);
  }
  return max;
}

/** Genre names in `work`, left to right, longest first at each word, not overlapping. */
function mentions(work: string, lookup: Map<string, string>, maxWords: number): Mention[] {
  const words = [...work.matchAll(WORD)].map((m) => ({ start: m.index ?? 0, end: (m.index ?? 0) + m[0].length, text: m[0] }));
  const found: Mention[] = [];
  let i = 0;
  while (i < words.length) {
    let taken = 0;
    for (let n = Math.min(maxWords, words.length - i); n >= 1 && !taken; n--) {
      const run = words.slice(i, i + n);
      if (run.some((w, k) => k > 0 && !INSIDE_NAME.test(work.slice(run[k - 1].end, w.start)))) continue;
      // A tag spelled like a filler word ("anime") would match nearly every query.
      if (n === 1 && FILLER_WORDS.has(run[0].text)) continue;
      const names = resolveGenres(run.map((w) => w.text).join(" "), lookup);
      if (names.length === 0) continue;
      found.push({ start: run[0].start, end: run[n - 1].end, names });
      taken = n;
    }
    i += taken || 1;
  }
  return found;
}

/** Takes every genre mention out of `text` into the draft: exclusion lists first-class, the rest as wanted genres. */
export function readGenres(text: QueryText, ctx: RuleContext, vocabulary: QueryVocabulary): void {
  const lookup = genreLookup(vocabulary);
  if (lookup.size === 0) return;
  const found = mentions(text.work, lookup, maxWordsOf(vocabulary, lookup));
  for (let i = 0; i < found.length; i++) {
    const from = Math.max(0, found[i].start - HEAD_WINDOW);
    const head = EXCLUSION_BEFORE.exec(text.work.slice(from, found[i].start));
    if (!head) {
      for (const name of found[i].names) addOnce(ctx.draft.genres, name);
      text.understand(found[i].start, found[i].end, `genre ${found[i].names.join(", ")}`);
      continue;
    }
    // "no ecchi, harem or horror": the names that follow, joined by list words, are excluded too.
    const names = [...found[i].names];
    let last = i;
    while (last + 1 < found.length && LIST_GAP.test(text.work.slice(found[last].end, found[last + 1].start))) names.push(...found[++last].names);
    for (const name of names) addOnce(ctx.draft.genres_exclude, name);
    text.understand(from + (head.index ?? 0), found[last].end, `excluding genre ${[...new Set(names)].join(", ")}`);
    i = last;
  }
  // Left in the text, the word of "but not isekai" (with no isekai tag) would be searched
  // for: the opposite of what was asked. It is dropped, and the note says so.
  for (const m of [...text.work.matchAll(UNKNOWN_EXCLUSION)]) {
    if (m.index !== undefined) text.understand(m.index, m.index + m[0].length, `ignored: "${m[1]}" is not a genre or tag of this catalog`);
  }
}
