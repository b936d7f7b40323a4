import { GENRES } from "../../catalog/genres";
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
 *
 * A tag (not a genre) joined to a word that is no name and no filler is part of a title, not
 * a theme, and stays in the text: "sword art online", "tokyo ghoul", "demon slayer", "no game
 * no life", "gintama season 2" (the catalog has tags "sword", "art", "tokyo", "demon", "game",
 * "season"). "Joined" means next to it, or across title glue ("grave of the fireflies"); a
 * filler such as "anime", "about" or "with", punctuation or an understood phrase separates
 * ("vampires in tokyo" keeps both tags; "time travel anime about pilots" keeps the tag). The
 * thirty-odd genres are always read: "90s mecha", "mecha pilots".
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
  /** Where its exclusion head ("no ", "but not ") starts, when it has one. */
  headStart?: number;
}

interface Word {
  start: number;
  end: number;
  text: string;
}

// Words inside titles that do not separate a tag from the title around it.
const TITLE_GLUE: ReadonlySet<string> = new Set(["of", "the", "a", "an", "no", "to", "in", "on", "wa", "ga", "de", "ni", "na", "mo"]);
// Words that end a title-like run though not fillers: "romance between a vampire and a human".
const SEPARATORS: ReadonlySet<string> = new Set(["between", "featuring", "involving", "where", "who", "whose", "when", "for", "has", "have", "having", "vs", "versus", "set", "into"]);
const isGenre = (name: string) => (GENRES as readonly string[]).includes(name);

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

const wordsOf = (work: string): Word[] => [...work.matchAll(WORD)].map((m) => ({ start: m.index ?? 0, end: (m.index ?? 0) + m[0].length, text: m[0] }));

/** Genre names in `work`, left to right, longest first at each word, not overlapping. */
function mentions(work: string, words: Word[], lookup: Map<string, string>, maxWords: number): Mention[] {
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

/**
 * The tag mentions that are part of a title (see the file comment), found by walking from
 * each tag to its neighbours until nothing changes: a tag beside a title word, or beside a
 * tag already found to be in a title, is in the title too.
 */
function inTitles(work: string, words: Word[], found: Mention[]): Set<Mention> {
  const inTitle = new Set<Mention>();
  const mentionAt = (w: Word) => found.find((f) => w.start >= (f.headStart ?? f.start) && w.end <= f.end);
  const titleWordBeside = (f: Mention, step: -1 | 1): boolean => {
    let k = step < 0 ? words.findIndex((w) => w.start >= (f.headStart ?? f.start)) - 1 : words.findIndex((w) => w.start >= f.end);
    if (k < 0 && step < 0) return false;
    let edge = step < 0 ? (f.headStart ?? f.start) : f.end;
    for (; k >= 0 && k < words.length; k += step) {
      const w = words[k];
      if (!INSIDE_NAME.test(step < 0 ? work.slice(w.end, edge) : work.slice(edge, w.start))) return false;
      const other = mentionAt(w);
      if (other) return inTitle.has(other);
      if (TITLE_GLUE.has(w.text)) {
        edge = step < 0 ? w.start : w.end;
        continue;
      }
      return !FILLER_WORDS.has(w.text) && !SEPARATORS.has(w.text);
    }
    return false;
  };
  for (let changed = true; changed; ) {
    changed = false;
    for (const f of found) {
      if (inTitle.has(f) || f.names.some(isGenre)) continue;
      if (titleWordBeside(f, -1) || titleWordBeside(f, 1)) {
        inTitle.add(f);
        changed = true;
      }
    }
  }
  return inTitle;
}

const nameList = (names: string[]) => names.map((n) => (isGenre(n) ? `genre ${n}` : `tag ${n.toLowerCase()}`)).join(", ");

/** Takes every genre and tag mention out of `text` into the draft: exclusion lists first-class, the rest as wanted names. */
export function readGenres(text: QueryText, ctx: RuleContext, vocabulary: QueryVocabulary): void {
  const lookup = genreLookup(vocabulary);
  if (lookup.size === 0) return;
  const words = wordsOf(text.work);
  const all = mentions(text.work, words, lookup, maxWordsOf(vocabulary, lookup));
  for (const f of all) {
    const from = Math.max(0, f.start - HEAD_WINDOW);
    const head = EXCLUSION_BEFORE.exec(text.work.slice(from, f.start));
    if (head) f.headStart = from + (head.index ?? 0);
  }
  const inTitle = inTitles(text.work, words, all);
  const found = all.filter((f) => !inTitle.has(f));
  for (let i = 0; i < found.length; i++) {
    const headStart = found[i].headStart;
    if (headStart === undefined) {
      for (const name of found[i].names) addOnce(ctx.draft.genres, name);
      text.understand(found[i].start, found[i].end, nameList(found[i].names));
      continue;
    }
    // "no ecchi, harem or horror": the names that follow, joined by list words, are excluded too.
    const names = [...found[i].names];
    let last = i;
    while (last + 1 < found.length && LIST_GAP.test(text.work.slice(found[last].end, found[last + 1].start))) names.push(...found[++last].names);
    for (const name of names) addOnce(ctx.draft.genres_exclude, name);
    text.understand(headStart, found[last].end, `excluding ${nameList([...new Set(names)])}`);
    i = last;
  }
  // Left in the text, the word of "but not isekai" (with no isekai tag) would be searched
  // for: the opposite of what was asked. It is dropped, and the note says so.
  for (const m of [...text.work.matchAll(UNKNOWN_EXCLUSION)]) {
    if (m.index !== undefined) text.understand(m.index, m.index + m[0].length, `ignored: "${m[1]}" is not a genre or tag of this catalog`);
  }
}
