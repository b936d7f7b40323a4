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
    "thanks thank you just maybe also really very kinda kind sort of set").split(" "),
);

// Words a title does not end with: "like cowboy bebop but …", "like monster, please".
const TITLE_TAIL = /(?:[\s,;:!?.]+(?:but|and|or|with|without|in|from|that|which|anime|please|pls|thanks|maybe|too|though|also|etc))+[\s,;:!?.]*$/iu;
const QUOTES = String.raw`\s"'“”‘’«»「」『』()\[\]`;
const TITLE_EDGES = new RegExp(`^[${QUOTES}]+|[${QUOTES},;:!?.]+$`, "gu");
const LIKE = /(?<![\p{L}\p{N}])(?:similar\s+to|(?:anime|something|stuff)\s+like|like)\s+([^\u0001]+)/u;

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

  /**
   * The title after the first "like" / "similar to", up to the next understood phrase or the
   * end, without trailing connectives; null when there is none. Runs after every filter rule.
   */
  takeTitle(): string | null {
    const m = LIKE.exec(this.work);
    if (!m || m.index === undefined) return null;
    const titleStart = m.index + m[0].length - m[1].length;
    let titleEnd = m.index + m[0].length;
    // A second "like" starts another wish; it stays in the text.
    const again = /\s(?:or\s+|and\s+)?(?:similar\s+to|like)\s/u.exec(m[1]);
    if (again) titleEnd = titleStart + again.index;
    const title = this.original
      .slice(titleStart, titleEnd)
      .replace(TITLE_TAIL, "")
      .replace(TITLE_EDGES, "")
      .slice(0, MAX_TITLE)
      .trim();
    const phrase = this.take(m.index, titleEnd);
    // "like anime", "something like that": no title named.
    if (!plainWords(title) || /^(?:that|this|it|these|those)$/iu.test(title)) return null;
    this.note(m.index, phrase, `similar to "${title}"`);
    return title;
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
