import type { QuerySort } from "./interface";
import { words, type PhraseRule, type RuleContext } from "./local-phrase";

/**
 * Words that ask for an order or for good scores. The decision, shared with the Workers AI
 * prompt: a superlative ranks ("best", "top rated", "highest rated", "greatest": sort by
 * score, no threshold, since there is always a best even among 1970s OVAs that nothing
 * rates 8); a description is a threshold and ranks too ("highly rated", "with high scores",
 * "well rated", "acclaimed": score ≥ HIGHLY_RATED_SCORE, sort by score); fame ranks by
 * popularity ("popular", "most popular", "well known", "famous"). The first phrase that asks
 * for an order wins; a later one asking for another is noted as not applied.
 */

/** Score "highly rated" and friends stand for; said in their note. */
export const HIGHLY_RATED_SCORE = 8;

const POPULAR = String.raw`(?:the\s+)?most[\s-]+(?:popular|famous|well[\s-]+known|known|watched|viewed|loved)|(?<!(?:not|less|least|too|un)\s)(?:popular|famous|well[\s-]+known|best[\s-]+known|mainstream|iconic)|(?:sorted|ordered|ranked)\s+by\s+popularity`;
const HIGHLY_RATED = String.raw`(?:highly|well)[\s-]+(?:rated|ranked|scored|reviewed|regarded|received)|(?:with\s+)?(?:(?:very\s+)?high|great|good)[\s-]+(?:scores?|ratings?|reviews?)|high(?:ly)?[\s-]+scor(?:ed|ing)|high[\s-]+rated|(?:critically\s+)?acclaimed|(?:rated|scored|reviewed)\s+(?:well|highly)`;
// Not "best friends", "best girl": those are what the anime is about.
const BEST = String.raw`(?:the\s+)?(?:very\s+)?(?:best|greatest|finest)(?:[\s-]+(?:rated|ranked|scored|scoring|reviewed))?(?:\s+(?:ever|of\s+all[\s-]+time))?(?!\s+(?:friends?|girls?|boys?|guys?|partners?|buddies|man|wishes|regards)(?![\p{L}\p{N}]))|(?:highest|top)[\s-]+(?:rated|ranked|scored|scoring|reviewed)|top[\s-]+\d{1,3}|(?:of\s+)?all[\s-]+time(?:\s+(?:best|greatest))?|(?:sorted|ordered|ranked)\s+by\s+(?:score|rating)s?`;

function sortBy(ctx: RuleContext, sort: QuerySort): string {
  ctx.draft.sort ??= sort;
  return ctx.draft.sort === sort ? `sort by ${sort}` : `sort by ${sort} not applied (sorting by ${ctx.draft.sort}, named first)`;
}

/** One rule, so its phrases are read left to right and the first order named wins. */
export const RANK_RULE: PhraseRule = {
  // POPULAR first: "best known" is fame, not a ranking by score.
  pattern: words(`(${POPULAR})|(${HIGHLY_RATED})|(${BEST})`),
  apply: (m, ctx) => {
    if (m[1] !== undefined) return sortBy(ctx, "popularity");
    if (m[3] !== undefined) return sortBy(ctx, "score");
    ctx.draft.min_score = Math.max(ctx.draft.min_score ?? 0, HIGHLY_RATED_SCORE);
    return `score ≥ ${HIGHLY_RATED_SCORE} (taken as "highly rated"), ${sortBy(ctx, "score")}`;
  },
};
