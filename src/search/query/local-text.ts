import type { PhraseRule, RuleContext } from "./local-phrase";

/**
 * A query being read by the local parser. `work` is the lower-cased twin of the caller's text,
 * of the same length, that rules match against; the caller's spelling is kept for titles and
 * for the text left to search. A phrase a rule understood is overwritten in both by a mark
 * that no pattern matches, so later rules cannot re-read it or match across it, and
 * "like <title>" stops at it.
 */

const MARK = "\u0001";
const MAX_QUERY = 1000;
const MAX_TITLE = 200;
const MAX_TEXT = 500;
const MAX_NOTE_PHRASE = 60;

/** Words that carry no meaning for the search once the filters are out ("show me some anime with …"). */
export const FILLER_WORDS: ReadonlySet<string> = new Set(
  ("a an the anime animes some any something anything find search with about please pls plz me i want like similar and or but " +
    "that which is are recommend recommendation recommendations suggestion suggestions ones stuff titles good great nice watch " +
    "thanks thank you just only though although ever maybe also really very kinda kind sort of set").split(" "),
);

// Words a title does not end with: "like cowboy bebop but …", "like monster, please".
const TITLE_TAIL = /(?:[\s,;:!?.]+(?:but|and|or|with|without|in|from|that|which|anime|please|pls|thanks|maybe|too|though|also|etc))+[\s,;:!?.]*$/iu;
const QUOTES = String.raw`\s"'“”‘’«»「」『』()\[\]`;
const TITLE_EDGES = new RegExp(`^[${QUOTES}]+|[${QUOTES},;:!?.]+$`, "gu");
const LIKE = /(?<![\p{L}\p{N}])(?:similar\s+to|(?:anime|something|stuff)\s+like|like)\s+([^\u0001]+)/u;
// "newer than Cowboy Bebop", "older than Monster" (a year after "than" is read by the time rules first).
const THAN = /(?<![\p{L}\p{N}])(?:(newer|more\s+recent|later)|(older|earlier))\s+than\s+([^\u0001]+)/u;
// Where a title named in a sentence ends, besides an understood phrase: a list or clause
// break (a comma: "Steins;Gate" keeps its semicolon), or a word that starts another wish ("like spice and wolf but comedy", "like monster
// with less gore", "like K-On or like Lucky Star"). A title starting with such a word
// ("That Time I Got Reincarnated …") keeps it: a break needs a space before it.
const TITLE_BREAK = /\s*,|\s(?:but|with|without|except|excluding|minus|though|although|yet|only|just|that|which|(?:or\s+|and\s+)?(?:similar\s+to|like)|(?:newer|more\s+recent|later|older|earlier)\s+than)(?![\p{L}\p{N}])/u;
const PRONOUN = /^(?:that|this|it|these|those|them|one)$/iu;

/** Note text standing for the "like" title until it is read (local.ts fills it in). */
export const LIKE_TITLE_NOTE = 'the title named by "like"';

/** Whether `work` still holds a "like <title>" / "similar to <title>" phrase. */
export const namesLikeTitle = (work: string): boolean => LIKE.test(work);

export class QueryText {
  private original: string;
  work: string;
  /** What each understood phrase became, with where it starts so notes read in query order. */
  private readonly understood: { at: number; note: string }[] = [];

  constructor(query: string) {
    this.original = String(query ?? "")
      .slice(0, MAX_QUERY)
      .normalize("NFKC")
      .replace(/[\p{Cc}\p{Cf}\p{Zl}\p{Zp}]/gu, " ")
      .replace(/[‘’`´]/gu, "'")
      .replace(/[“”„]/gu, '"')
      .replace(/[‐‑‒–—―−]/gu, "-")
      .replace(/\s+/gu, " ")
      .trim();
    // Lower-cased code point by code point, keeping any whose lower case has another length,
    // so an index into `work` is the same index into `original`.
    let work = "";
    for (const ch of this.original) {
      const lower = ch.toLowerCase();
      work += lower.length === ch.length ? lower : ch;
    }
    this.work = work;
  }

  private take(start: number, end: number): string {
    const phrase = this.original.slice(start, end).trim();
    const mark = MARK.repeat(end - start);
    this.original = this.original.slice(0, start) + mark + this.original.slice(end);
    this.work = this.work.slice(0, start) + mark + this.work.slice(end);
    return phrase;
  }

  private note(at: number, phrase: string, meaning: string): void {
    this.understood.push({ at, note: `"${phrase.slice(0, MAX_NOTE_PHRASE)}" → ${meaning}` });
  }

  /** Takes [start, end) out as understood; `meaning` is the note's right-hand side ("" for none). */
  understand(start: number, end: number, meaning: string): void {
    const phrase = this.take(start, end);
    if (meaning) this.note(start, phrase, meaning);
  }

  /** One note per understood phrase, in the order they appear in the query. */
  notes(): string[] {
    return [...this.understood].sort((a, b) => a.at - b.at).map((u) => u.note);
  }

  /** Runs one rule over the text, taking out every phrase it understands and noting what it became. */
  apply(rule: PhraseRule, ctx: RuleContext): void {
    for (const m of [...this.work.matchAll(rule.pattern)]) {
      if (m.index === undefined || m[0].trim() === "") continue;
      const meaning = rule.apply(m, ctx);
      if (meaning !== null) this.understand(m.index, m.index + m[0].length, meaning);
    }
  }

  /** Replaces `from` in the notes (a meaning written before the title it names was read). */
  rewriteNotes(from: string, to: string): void {
    for (const u of this.understood) u.note = u.note.replace(from, to);
  }

  /** The title from `start`, up to `end`, an understood phrase or a TITLE_BREAK, cleaned; and where it stops. */
  private titleFrom(start: number, end: number): { title: string; end: number } {
    const stop = TITLE_BREAK.exec(this.work.slice(start, end));
    const titleEnd = stop ? start + stop.index : end;
    const title = this.original.slice(start, titleEnd).replace(TITLE_TAIL, "").replace(TITLE_EDGES, "").slice(0, MAX_TITLE).trim();
    return { title, end: titleEnd };
  }

  /**
   * The title after the first "like" / "similar to", up to the next understood phrase or
   * break, without trailing connectives; null when there is none. Runs after the phrase rules
   * and before genres, so a title's words are not read as tags ("like Monster": there is a
   * tag "monster").
   */
  takeTitle(): string | null {
    const m = LIKE.exec(this.work);
    if (!m || m.index === undefined) return null;
    const { title, end } = this.titleFrom(m.index + m[0].length - m[1].length, m.index + m[0].length);
    const phrase = this.take(m.index, end);
    // "like anime", "something like that": no title named.
    if (!plainWords(title) || PRONOUN.test(title)) return null;
    this.note(m.index, phrase, `similar to "${title}"`);
    return title;
  }

  /** The titles after "newer than" and "older than" (the first of each), read like takeTitle's. */
  takeComparisons(): { newer_than: string | null; older_than: string | null } {
    const out: { newer_than: string | null; older_than: string | null } = { newer_than: null, older_than: null };
    for (let m = THAN.exec(this.work); m && m.index !== undefined; m = THAN.exec(this.work)) {
      const { title, end } = this.titleFrom(m.index + m[0].length - m[3].length, m.index + m[0].length);
      const phrase = this.take(m.index, end);
      const key = m[1] ? "newer_than" : "older_than";
      if (!plainWords(title) || PRONOUN.test(title)) this.note(m.index, phrase, "ignored: no title to compare with");
      else if (out[key] !== null) this.note(m.index, phrase, `ignored: already ${key.replace("_", " ")} "${out[key]}"`);
      else {
        out[key] = title;
        this.note(m.index, phrase, `${key.replace("_", " ")} "${title}"`);
      }
    }
    return out;
  }

  /** What is left to search for: the words no rule took, without fillers and punctuation ("" when none). */
  leftover(): string {
    return plainWords(this.original.replaceAll(MARK, " "));
  }
}

/** Letters, digits and in-word apostrophes/hyphens/dots only, fillers dropped; also the parser's last-resort text. */
export function plainWords(text: string): string {
  return String(text ?? "")
    .replace(/[^\p{L}\p{N}\p{M}'\-.&]+/gu, " ")
    .split(" ")
    .map((word) => word.replace(/^['\-.&]+|['\-.&]+$/gu, ""))
    .filter((word) => word && !FILLER_WORDS.has(word.toLowerCase()))
    .join(" ")
    .slice(0, MAX_TEXT)
    .trim();
}
