import type { AnimeType } from "../../catalog/vocabulary";
import { addOnce, describeRange, EXCLUDE, LIST_SEP, narrow, words, type PhraseRule, type RuleContext } from "./local-phrase";
import { RANK_RULE } from "./local-rules-rank";
import { RELATIVE_RULE, TIME_RULES } from "./local-rules-time";

/**
 * The local parser's phrase rules, in the order they run. Each rule takes its phrase out of
 * the query, so a later rule never re-reads it: requests ("show me") go first so "show" is not
 * read as a TV show, status before exclusions so "not yet aired" is not "not <genre>",
 * episode counts before scores so "at least 24 episodes" is not a score, scores before
 * rankings so "best rated above 8" keeps its number, a bare "but newer" after "like <title>"
 * before "newer" meaning recent, and type exclusions before types.
 */

export { HIGHLY_RATED_SCORE } from "./local-rules-rank";
/** "short" and "long" in episodes. */
export const SHORT_MAX_EPISODES = 13;
export const LONG_MIN_EPISODES = 50;

const REQUESTS: PhraseRule = {
  pattern: words(
    String.raw`show(?:s)?\s+me|give\s+me|find\s+me|get\s+me|recommend(?:\s+me)?|suggest(?:\s+me)?|(?:i(?:'m|\s+am)\s+)?looking\s+for|i\s+(?:want|need)(?:\s+to\s+(?:watch|see))?|i(?:'d|\s+would)\s+like(?:\s+to\s+(?:watch|see))?|i\s+(?:like|love|enjoy)|(?:can|could)\s+you|do\s+you\s+(?:have|know)|are\s+there|is\s+there|in\s+the\s+mood\s+for`,
  ),
  apply: () => "",
};

const STATUS_RULES: PhraseRule[] = [
  [String.raw`upcoming|not\s+yet\s+(?:aired|airing|released|out)|unreleased|coming\s+soon|yet\s+to\s+(?:air|be\s+released)`, "UPCOMING"],
  [String.raw`(?:currently|still|now)\s+airing|airing(?:\s+now)?|on[\s-]?going|simulcasts?|still\s+running`, "ONGOING"],
  [String.raw`finished(?:\s+airing)?|completed?|already\s+(?:aired|finished)|done\s+airing|ended`, "FINISHED"],
].map(([src, status]) => ({
  pattern: words(src),
  apply: (_m: RegExpExecArray, ctx: RuleContext) => {
    addOnce(ctx.draft.status, status);
    return `status ${status}`;
  },
}));

const EP = String.raw`\s*(?:episodes?|eps?\.?)`;
const N = String.raw`(\d{1,4})`;

function episodes(ctx: RuleContext, lo?: number, hi?: number): string {
  narrow(ctx.draft, ["episodes_min", "episodes_max"], lo, hi);
  return describeRange("episodes", lo, hi);
}

const EPISODE_RULES: PhraseRule[] = [
  {
    pattern: words(String.raw`(?:between\s+)?${N}\s*(?:-|to|and)\s*${N}${EP}`),
    apply: (m, ctx) => episodes(ctx, Math.min(+m[1], +m[2]), Math.max(+m[1], +m[2])),
  },
  {
    // Strict words exclude the number itself: "under 12 episodes" is at most 11.
    pattern: words(String.raw`(?:under|less\s+than|fewer\s+than|below|<)\s*${N}${EP}`),
    apply: (m, ctx) => (+m[1] > 0 ? episodes(ctx, undefined, +m[1] - 1) : null),
  },
  {
    pattern: words(String.raw`(?:at\s+most|max(?:imum)?(?:\s+of)?|up\s+to|no\s+more\s+than|<=|≤)\s*${N}${EP}|${N}\s*(?:or\s+(?:less|fewer))${EP}|${N}${EP}\s*(?:or\s+(?:less|fewer)|max(?:imum)?|at\s+most)`),
    apply: (m, ctx) => episodes(ctx, undefined, +(m[1] ?? m[2] ?? m[3])),
  },
  {
    pattern: words(String.raw`(?:over|more\s+than|above|>)\s*${N}${EP}`),
    apply: (m, ctx) => episodes(ctx, +m[1] + 1, undefined),
  },
  {
    pattern: words(String.raw`(?:at\s+least|min(?:imum)?(?:\s+of)?|>=|≥)\s*${N}${EP}|${N}\s*(?:\+|or\s+more)${EP}|${N}${EP}\s*(?:or\s+more|\+|at\s+least|min(?:imum)?)`),
    apply: (m, ctx) => episodes(ctx, +(m[1] ?? m[2] ?? m[3]), undefined),
  },
  { pattern: words(String.raw`${N}[\s-]*(?:episodes?|eps?\.?|episode\s+long)`), apply: (m, ctx) => episodes(ctx, +m[1], +m[1]) },
  // "not too long" is a wish for a short series; "short episodes" is a tag (runtime, not count).
  { pattern: words(String.raw`not\s+(?:too\s+|very\s+|that\s+|so\s+)?long|short(?:er)?(?!\s+(?:of|episodes?|eps)\b)`), apply: (_m, ctx) => episodes(ctx, undefined, SHORT_MAX_EPISODES) },
  {
    pattern: words(String.raw`(?<!(?:as|how|so|too)\s)(?:long(?:er)?(?:[\s-]+running)?|lengthy)(?!\s+(?:time|ago|as|story|episodes?)\b)`),
    apply: (_m, ctx) => episodes(ctx, LONG_MIN_EPISODES, undefined),
  },
];

const NUM = String.raw`(\d{1,3}(?:[.,]\d{1,2})?)`;

/** A score on the 0–10 scale; 11–100 is read as a 100-point score ("rated above 80" → 8). */
function score(ctx: RuleContext, raw: string): string | null {
  const n = Number(raw.replace(",", "."));
  if (!Number.isFinite(n) || n > 100) return null;
  const value = n > 10 ? Math.round(n) / 10 : n;
  ctx.draft.min_score = Math.max(ctx.draft.min_score ?? 0, value);
  return n > 10 ? `score ≥ ${value} (read as ${n}/100)` : `score ≥ ${value}`;
}

const SCORE_RULES: PhraseRule[] = [
  {
    pattern: words(
      String.raw`(?:rated|ratings?|score[sd]?|scoring|ranked)\s*(?:of\s+|at\s+)?(?:above|over|at\s+least|>=?|≥|more\s+than|higher\s+than|greater\s+than|better\s+than|min(?:imum)?(?:\s+of)?)?\s*${NUM}(?:\s*(?:\+|/\s*10|out\s+of\s+10|or\s+(?:higher|above|more|better)))?`,
    ),
    apply: (m, ctx) => score(ctx, m[1]),
  },
  { pattern: words(String.raw`${NUM}\s*\+?\s*(?:/\s*10\s*)?(?:rated|rating|score|stars?)`), apply: (m, ctx) => score(ctx, m[1]) },
  { pattern: words(String.raw`${NUM}\s*(?:/|out\s+of)\s*10(?:\s*(?:\+|or\s+(?:higher|above|more|better)|and\s+(?:up|above)))?`), apply: (m, ctx) => score(ctx, m[1]) },
  {
    // A bare comparison is a score only on the score scale: "at least 8", not "over 9000".
    pattern: words(String.raw`(?:at\s+least|above|over|more\s+than|higher\s+than|better\s+than)\s+${NUM}(?:\s*\+)?`),
    apply: (m, ctx) => (Number(m[1].replace(",", ".")) <= 10 ? score(ctx, m[1]) : null),
  },
];

const TYPE_WORDS: ReadonlyArray<readonly [AnimeType, string]> = [
  ["SPECIAL", String.raw`tv[\s-]+specials?|(?<!something\s)specials?`],
  ["MOVIE", String.raw`movies?|films?|feature[\s-]+films?`],
  ["OVA", String.raw`ovas?|oavs?`],
  ["ONA", String.raw`onas?|web[\s-]+(?:series|anime|shows?)`],
  ["TV", String.raw`tv(?:[\s-]+(?:series|shows?))?|television(?:\s+(?:series|shows?))?|series|shows?`],
];
const TYPE_ANY = TYPE_WORDS.map(([, src]) => src).join("|");
const TYPE_ONE = words(TYPE_WORDS.map(([, src]) => `(${src})`).join("|"));

/** The types named in `phrase`, in order. */
function typesIn(phrase: string): AnimeType[] {
  return [...phrase.matchAll(TYPE_ONE)].map((m) => TYPE_WORDS[m.slice(1).findIndex((g) => g !== undefined)][0]);
}

const TYPE_RULES: PhraseRule[] = [
  {
    pattern: words(String.raw`${EXCLUDE}[\s-]+(?:${TYPE_ANY})(?:${LIST_SEP}(?:${TYPE_ANY}))*`),
    apply: (m, ctx) => {
      const types = typesIn(m[0].replace(new RegExp(`^${EXCLUDE}`, "u"), ""));
      for (const t of types) addOnce(ctx.draft.type_exclude, t);
      return `excluding type ${types.join(", ")}`;
    },
  },
  {
    pattern: TYPE_ONE,
    apply: (m, ctx) => {
      const [t] = typesIn(m[0]);
      addOnce(ctx.draft.type, t);
      return `type ${t}`;
    },
  },
];

/** Every phrase rule but genres and "like <title>", which need the vocabulary and the leftover text. */
export const PHRASE_RULES: readonly PhraseRule[] = [REQUESTS, ...STATUS_RULES, ...EPISODE_RULES, ...SCORE_RULES, RANK_RULE, RELATIVE_RULE, ...TIME_RULES, ...TYPE_RULES];
