import type { Filters } from "./filters";

/**
 * The one rule for adult content: an anime is adult when its tags include one of
 * ADULT_TAG_KEYS (compared lower-cased, as the anime_genre keys and the vector metadata
 * hold them).
 *
 * Only "hentai" qualifies: it is the anime-offline-database tag given to pornographic works
 * alone. Tags that sound close also mark mainstream works and are NOT adult here: "ecchi"
 * (fan service), "erotica" (Ai no Kusabi), "pornography" (91 Days), "borderline porn" (AIKa),
 * "erotic game" (adapted from one: Air), "adult audience only" (Afro Samurai: Resurrection).
 *
 * Lists, search, POST /v1/query, similar and random leave adult anime out unless the caller
 * sets include_adult=true; a single anime (GET /v1/anime/{id}, lookup) is always served, with
 * `adult: true`. Every filter implementation applies the rule through withAdultRule, so the
 * SQL, the vector-metadata predicates and the serializer cannot disagree.
 */
export const ADULT_TAG_KEYS: readonly string[] = ["hentai"];

/** Whether tags (any case) make an anime adult. */
export function isAdult(tags: readonly string[]): boolean {
  return tags.some((g) => ADULT_TAG_KEYS.includes(g.toLowerCase()));
}

/**
 * The filters with the adult rule folded in: unless `include_adult` is true, ADULT_TAG_KEYS
 * join `tags_exclude`. Idempotent, so a layer may apply it to filters another already did.
 * A missing `include_adult` means false: internal callers passing `{}` get the safe default.
 */
export function withAdultRule(f: Filters): Filters {
  if (f.include_adult) return f;
  const excluded = f.tags_exclude?.map((g) => g.toLowerCase()) ?? [];
  return { ...f, tags_exclude: [...new Set([...excluded, ...ADULT_TAG_KEYS])] };
}
