import { cleanFilters } from "./clean";
import { plainReading, type QueryInterpretation, type QueryParser, type QueryVocabulary } from "./interface";
import { readGenres } from "./local-genres";
import { emptyDraft, type RuleContext } from "./local-phrase";
import { PHRASE_RULES } from "./local-rules";
import { recentYears } from "./local-rules-time";
import { LIKE_TITLE_NOTE, plainWords, QueryText } from "./local-text";

/** Notes past this many add nothing a caller would read (a 500-character query of "90s 90s …"). */
const MAX_NOTES = 20;

export interface LocalQueryParserOptions {
  /** Today, for "recent", "this season" and two-digit years ("'06", "20s"); defaults to the system clock. */
  now?: () => Date;
}

/**
 * The deterministic phrase parser: no network, same answer for the same query, vocabulary and
 * day. It reads, in this order, requests ("show me"), status, episode counts, scores,
 * rankings ("best", "popular"), bare comparatives ("but newer"), seasons and years, types,
 * then the titles of "newer/older than <title>" and "like <title>", then genre and tag
 * exclusions and names; each understood phrase is taken out of the query with a note, and
 * the words left (fillers dropped) are the search text. Titles are read before genres and
 * tags so their words are not taken as tags ("like Monster").
 * Never throws: on an internal error it answers with the query's plain words and no filters.
 */
export class LocalQueryParser implements QueryParser {
  readonly backend = "local" as const;

  constructor(private readonly options: LocalQueryParserOptions = {}) {}

  async parse(query: string, vocabulary: QueryVocabulary): Promise<QueryInterpretation> {
    try {
      return this.read(query, vocabulary);
    } catch {
      return plainReading("local", safePlainWords(query));
    }
  }

  private read(query: string, vocabulary: QueryVocabulary): QueryInterpretation {
    const text = new QueryText(query);
    const ctx: RuleContext = { draft: emptyDraft(), now: this.today() };
    for (const rule of PHRASE_RULES) text.apply(rule, ctx);
    const compared = text.takeComparisons();
    const similar_to = text.takeTitle();
    readGenres(text, ctx, vocabulary);
    // A bare "but newer" compares with the "like" title; with none, "newer" means recent.
    const relative = ctx.draft.relative;
    if (relative) {
      const was = `${relative} than ${LIKE_TITLE_NOTE}`;
      if (similar_to) {
        if (relative === "newer") compared.newer_than ??= similar_to;
        else compared.older_than ??= similar_to;
        text.rewriteNotes(was, `${relative} than "${similar_to}"`);
      } else {
        text.rewriteNotes(was, (relative === "newer" && recentYears(ctx)) || `ignored: ${relative} than what? (no title named)`);
      }
    }
    const cleaned = cleanFilters(ctx.draft, vocabulary);
    return {
      backend: "local",
      text: text.leftover(),
      filters: cleaned.filters,
      similar_to,
      ...compared,
      sort: ctx.draft.sort ?? null,
      notes: [...text.notes(), ...cleaned.notes].slice(0, MAX_NOTES),
    };
  }

  private today(): Date {
    const now = this.options.now?.();
    return now instanceof Date && !Number.isNaN(now.getTime()) ? now : new Date();
  }
}

function safePlainWords(query: unknown): string {
  try {
    return plainWords(String(query).slice(0, 500));
  } catch {
    return "";
  }
}
