import type { QueryVocabulary } from "./interface";

/**
 * Genre names as people write them → the vocabulary's spelling. Shared by the local parser
 * (which finds them in a sentence) and the cleaning step (which checks a model's answer), so
 * both accept the same spellings: any case, with or without spaces/hyphens ("Sci-Fi", "scifi",
 * "sci fi"), plurals ("mechas", "comedies") and a few common other names ("science fiction",
 * "romcom"). A name is only ever returned in the vocabulary's own spelling.
 */

/** Browse filters trim and split on commas and reject names over 100 characters; other entries are never returned. */
export function isUsableGenreName(name: unknown): name is string {
  return typeof name === "string" && name.length > 0 && name.length <= 100 && name === name.trim() && !name.includes(",");
}

/** Spelling-insensitive key: case, spaces, hyphens, dots and apostrophes do not matter. */
export function genreKey(name: string): string {
  return name.normalize("NFKC").toLowerCase().replace(/[\s\-_.'’]+/gu, "");
}

/**
 * Other names → candidate vocabulary names, first one present wins; "a+b" means both genres
 * (a catalog without "romantic comedy" still understands "romcom" as romance and comedy).
 */
export const GENRE_ALIASES: Readonly<Record<string, readonly string[]>> = {
  "science fiction": ["sci-fi", "science fiction"],
  "sci fi": ["sci-fi", "science fiction"],
  "rom com": ["romantic comedy", "romance+comedy"],
  "romantic comedy": ["romantic comedy", "romance+comedy"],
  romantic: ["romance"],
  shonen: ["shounen"],
  shounen: ["shonen"],
  shojo: ["shoujo"],
  shoujo: ["shojo"],
  "giant robot": ["mecha"],
  "boys love": ["boys love", "yaoi"],
  yaoi: ["boys love"],
  "girls love": ["girls love", "yuri"],
  yuri: ["girls love"],
  musical: ["music"],
};
const ALIAS_BY_KEY = new Map(Object.entries(GENRE_ALIASES).map(([alias, targets]) => [genreKey(alias), targets]));

// Built once per vocabulary array: the route passes the same list for many queries.
const LOOKUPS = new WeakMap<readonly string[], Map<string, string>>();

/** key → the vocabulary's spelling (the first spelling wins when two differ only in case). */
export function genreLookup(vocabulary: QueryVocabulary): Map<string, string> {
  const genres: readonly string[] = Array.isArray(vocabulary?.genres) ? vocabulary.genres : [];
  let lookup = LOOKUPS.get(genres);
  if (!lookup) {
    lookup = new Map();
    for (const name of genres) {
      if (!isUsableGenreName(name)) continue;
      const key = genreKey(name);
      if (key && !lookup.has(key)) lookup.set(key, name);
    }
    LOOKUPS.set(genres, lookup);
  }
  return lookup;
}

/** The key itself or its singular/plural twin, if the vocabulary has it. */
function direct(key: string, lookup: Map<string, string>): string | undefined {
  return (
    lookup.get(key) ??
    (key.endsWith("ies") ? lookup.get(`${key.slice(0, -3)}y`) : undefined) ??
    (key.endsWith("es") ? lookup.get(key.slice(0, -2)) : undefined) ??
    (key.endsWith("s") ? lookup.get(key.slice(0, -1)) : undefined) ??
    lookup.get(`${key}s`)
  );
}

/** The vocabulary names `name` stands for (usually one; two for "romcom" without "romantic comedy"); [] when unknown. */
export function resolveGenres(name: string, lookup: Map<string, string>): string[] {
  const key = genreKey(name);
  if (!key) return [];
  const found = direct(key, lookup);
  if (found !== undefined) return [found];
  const singular = key.replace(/(?:ies|es|s)$/u, "");
  for (const target of ALIAS_BY_KEY.get(key) ?? ALIAS_BY_KEY.get(singular) ?? []) {
    const parts = target.split("+").map((part) => lookup.get(genreKey(part)));
    if (parts.every((p): p is string => p !== undefined)) return parts;
  }
  return [];
}
