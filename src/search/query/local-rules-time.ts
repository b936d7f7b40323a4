import type { Season } from "../../catalog/vocabulary";
import { addOnce, describeRange, narrowYears, pivotYear, words, YEAR, type PhraseRule, type RuleContext } from "./local-phrase";
import { LIKE_TITLE_NOTE, namesLikeTitle } from "./local-text";

/**
 * When an anime aired: seasons, decades, year ranges, approximate and open-ended years. Order
 * matters: the more specific phrase comes first so "winter 2006" is not read as a season plus
 * a bare year, and "between 2001 and 2005" not as two bare years.
 */

// "fall in love" and "hot spring" are not seasons.
const SEASON_WORD = String.raw`((?<!hot\s)spring|summer|fall(?!\s+(?:in|for|apart|asleep|down|off|into|out|over|behind|back)\b)|autumn|winter)`;
const SEASON_OF: Record<string, Season> = { spring: "SPRING", summer: "SUMMER", fall: "FALL", autumn: "FALL", winter: "WINTER" };
const SEASON_OF_MONTH: Season[] = ["WINTER", "WINTER", "WINTER", "SPRING", "SPRING", "SPRING", "SUMMER", "SUMMER", "SUMMER", "FALL", "FALL", "FALL"];
const DECADE_WORDS: Record<string, number> = { sixties: 1960, seventies: 1970, eighties: 1980, nineties: 1990, noughties: 2000, aughts: 2000 };
// "early 90s" is the first four years of the decade, "mid" the middle three, "late" the last three.
const PART_OF_DECADE: Record<string, [number, number]> = { early: [0, 3], mid: [4, 6], late: [7, 9] };
const IN = String.raw`(?:(?:from|in|during|of|released\s+in|aired\s+in|made\s+in)\s+)?`;
// "from before 1950", "released after 2010": the verb is part of the phrase, not search text.
const WHEN = String.raw`(?:(?:from|released|made|aired)\s+)?`;
// "1990s", "90s", "'90s", "90's": groups century, decade digit (four digits) or decade digit (two).
const DECADE = String.raw`(?:(19|20)(\d)0|'?(\d)0)'?s`;

function years(ctx: RuleContext, from: number | undefined, to: number | undefined): string | null {
  return narrowYears(ctx, from, to) ? describeRange("years", from, to) : null;
}

function season(ctx: RuleContext, word: string, year?: number): string | null {
  const s = SEASON_OF[word];
  if (year !== undefined && !narrowYears(ctx, year, year)) return null;
  addOnce(ctx.draft.season, s);
  return year === undefined ? `season ${s}` : `season ${s}, year ${year}`;
}

function decadeStart(century: string | undefined, digit4: string | undefined, digit2: string | undefined, now: Date): number {
  return century ? Number(`${century}${digit4}0`) : pivotYear(Number(digit2) * 10, now);
}

function decade(ctx: RuleContext, start: number, part: string | undefined): string | null {
  const [lo, hi] = part ? PART_OF_DECADE[part] : [0, 9];
  // Clamp so "the 1900s" still means its in-range part (1907–1909).
  return years(ctx, Math.max(1907, start + lo), Math.min(2100, start + hi));
}

export const TIME_RULES: PhraseRule[] = [
  {
    pattern: words(String.raw`(?:this|current|the\s+current)\s+season`),
    apply: (_m, ctx) => season(ctx, SEASON_OF_MONTH[ctx.now.getUTCMonth()].toLowerCase(), ctx.now.getUTCFullYear()),
  },
  {
    pattern: words(String.raw`${IN}(?:the\s+)?${SEASON_WORD}(?:\s+season)?\s+(?:of\s+)?(?:${YEAR}|'(\d\d))(?:\s+season)?`),
    apply: (m, ctx) => season(ctx, m[1], m[2] ? Number(m[2]) : pivotYear(Number(m[3]), ctx.now)),
  },
  {
    pattern: words(String.raw`${IN}${YEAR}\s+${SEASON_WORD}(?:\s+season)?`),
    apply: (m, ctx) => season(ctx, m[2], Number(m[1])),
  },
  {
    pattern: words(String.raw`(?:between\s+${YEAR}\s*(?:and|-|to)\s*${YEAR})|(?:(?:from\s+)?${YEAR}\s*(?:-|to|until|till|through|thru)\s*${YEAR})`),
    apply: (m, ctx) => {
      const [a, b] = (m[1] ? [m[1], m[2]] : [m[3], m[4]]).map(Number);
      return years(ctx, Math.min(a, b), Math.max(a, b));
    },
  },
  {
    // "before the 90s", "older than the 2000s": up to the decade's first year, excluded.
    pattern: words(String.raw`${WHEN}(?:before|pre|prior\s+to|earlier\s+than|older\s+than)[\s-]*(?:the\s+)?${DECADE}`),
    apply: (m, ctx) => years(ctx, undefined, decadeStart(m[1], m[2], m[3], ctx.now) - 1),
  },
  {
    // "after the 90s" starts with the next decade; "since the 90s" with the 90s.
    pattern: words(String.raw`${WHEN}(?:(after|post|later\s+than|newer\s+than|more\s+recent\s+than)|since|starting\s+(?:in|from))[\s-]*(?:the\s+)?${DECADE}`),
    apply: (m, ctx) => years(ctx, decadeStart(m[2], m[3], m[4], ctx.now) + (m[1] ? 10 : 0), undefined),
  },
  {
    pattern: words(String.raw`${IN}(?:between\s+)?(?:the\s+)?${DECADE}\s*(?:-|to|through|thru|and|&)\s*(?:the\s+)?${DECADE}`),
    apply: (m, ctx) => {
      const [a, b] = [decadeStart(m[1], m[2], m[3], ctx.now), decadeStart(m[4], m[5], m[6], ctx.now)];
      return years(ctx, Math.max(1907, Math.min(a, b)), Math.min(2100, Math.max(a, b) + 9));
    },
  },
  {
    pattern: words(String.raw`${IN}(?:the\s+)?(?:(early|mid|late)[\s-]*)?${DECADE}`),
    apply: (m, ctx) => decade(ctx, decadeStart(m[2], m[3], m[4], ctx.now), m[1]),
  },
  {
    pattern: words(String.raw`${IN}(?:the\s+)?(?:(early|mid|late)[\s-]*)?(sixties|seventies|eighties|nineties|noughties|aughts)`),
    apply: (m, ctx) => decade(ctx, DECADE_WORDS[m[2]], m[1]),
  },
  {
    pattern: words(String.raw`(?:around|circa|ca\.?|about|approximately|approx\.?|roughly|near)\s+(?:the\s+year\s+)?${YEAR}|${YEAR}\s*-?\s*ish`),
    apply: (m, ctx) => {
      const y = Number(m[1] ?? m[2]);
      return years(ctx, Math.max(1907, y - 2), Math.min(2100, y + 2));
    },
  },
  {
    pattern: words(String.raw`${WHEN}(?:before|pre|prior\s+to|earlier\s+than|older\s+than)[\s-]*(?:the\s+year\s+)?${YEAR}`),
    apply: (m, ctx) => years(ctx, undefined, Number(m[1]) - 1),
  },
  {
    pattern: words(String.raw`(?:until|till|up\s+to|through|thru|no\s+later\s+than)\s+${YEAR}|${YEAR}\s+(?:or|and)\s+(?:earlier|before|older)`),
    apply: (m, ctx) => years(ctx, undefined, Number(m[1] ?? m[2])),
  },
  {
    pattern: words(String.raw`${WHEN}(?:after|post|later\s+than|newer\s+than|more\s+recent\s+than)[\s-]*(?:the\s+year\s+)?${YEAR}`),
    apply: (m, ctx) => years(ctx, Number(m[1]) + 1, undefined),
  },
  {
    pattern: words(String.raw`${WHEN}(?:since|starting\s+(?:in|from)|as\s+of)\s+${YEAR}|(?:from\s+)?${YEAR}\s*(?:or\s+(?:later|newer|after)|and\s+(?:later|newer|after|up|beyond)|onwards?|forward)|${YEAR}\s*\+`),
    apply: (m, ctx) => years(ctx, Number(m[1] ?? m[2] ?? m[3]), undefined),
  },
  {
    pattern: words(String.raw`${IN}(?:the\s+year\s+)?${YEAR}`),
    apply: (m, ctx) => years(ctx, Number(m[1]), Number(m[1])),
  },
  {
    pattern: words(String.raw`${IN}(?:the\s+)?${SEASON_WORD}(?:\s+season)?`),
    apply: (m, ctx) => season(ctx, m[1]),
  },
  {
    // Bare "new" only where it clearly means recent ("new anime", "something new"), not inside a title.
    // Not "newer than <title>" / "more recent than <title>": the title's year, read later.
    pattern: words(String.raw`(?:recent(?:ly)?|latest|newest|newer|brand[\s-]+new|new(?=\s+(?:anime|shows?|series|movies?|films?|releases?|ones?|stuff|titles?)(?![\p{L}\p{N}])|\s*$))(?!\s+than(?![\p{L}\p{N}]))`),
    apply: (_m, ctx) => recentYears(ctx),
  },
];

/** "the last three years": what "recent", "new" and a "newer" with nothing to compare to mean. */
export function recentYears(ctx: RuleContext): string | null {
  const from = ctx.now.getUTCFullYear() - 2;
  return narrowYears(ctx, from, undefined) ? `years ${from} onwards (the last three years)` : null;
}

const PEOPLE = String.raw`brothers?|sisters?|siblings?|m[ae]n|wom[ae]n|girls?|boys?|guys?|protagonists?|leads?|heroes|heroines?|hero|characters?|cast|couples?|audiences?|viewers?|kids|students?`;

/**
 * "like Cowboy Bebop but newer", "older ones like Monster": a bare comparative in a query
 * naming a title compares with that title (the route turns its year into a year filter);
 * never "recent". Without a "like <title>", "newer" is left to the "recent" rule and "older"
 * to the search text.
 */
export const RELATIVE_RULE: PhraseRule = {
  // Not "older than …" (a title or year, read elsewhere), nor "an older brother", "older cast".
  pattern: words(String.raw`(?:(?:but|only|just|yet|though|and)\s+)?(?:(newer|more\s+recent|more\s+modern)|(older))(?:\s+ones?)?(?!\s+(?:than|${PEOPLE})(?![\p{L}\p{N}]))`),
  apply: (m, ctx) => {
    const rest = m.input.slice(0, m.index) + " ".repeat(m[0].length) + m.input.slice(m.index + m[0].length);
    if (ctx.draft.relative || !namesLikeTitle(rest)) return null;
    ctx.draft.relative = m[1] ? "newer" : "older";
    return `${ctx.draft.relative} than ${LIKE_TITLE_NOTE}`;
  },
};
