import { withAdultRule } from "./adult";
import type { Filters } from "./filters";
import { tagsOfGenre } from "./genres";

/**
 * What the genre and tag filters ask of an anime's tags, in the one form every filter
 * implementation (D1 SQL, vector metadata, Qdrant) evaluates: the anime must hold at least
 * one tag of every group in `allOf` and none of `noneOf`. A wanted genre is the group of its
 * tags (genres.ts), a wanted tag a group of one; excluded genres, excluded tags and, unless
 * include_adult, the adult tags (adult.ts) all land in `noneOf`. Keys are lower-case.
 */
export interface TagConstraints {
  allOf: string[][];
  noneOf: string[];
}

export function tagConstraints(filters: Filters): TagConstraints {
  const f = withAdultRule(filters);
  const allOf: string[][] = [...(f.genres ?? []).map((g) => [...tagsOfGenre(g)]), ...(f.tags ?? []).map((t) => [t.toLowerCase()])];
  const noneOf = new Set<string>([...(f.genres_exclude ?? []).flatMap((g) => tagsOfGenre(g)), ...(f.tags_exclude ?? []).map((t) => t.toLowerCase())]);
  return { allOf, noneOf: [...noneOf] };
}
