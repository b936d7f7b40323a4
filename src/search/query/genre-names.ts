import { GENRES } from "../../catalog/genres";
import type { QueryVocabulary } from "./interface";

/**
 * Genre names as people write them → the vocabulary's spelling. Shared by the local parser
 * (which finds them in a sentence) and the cleaning step (which checks a model's answer), so
 * both accept the same spellings: any case, with or without spaces/hyphens ("Sci-Fi", "scifi",
 * "sci fi"), plurals ("mechas", "comedies") and a few common other names ("science fiction",
 * "romcom"). A name is only ever returned in the vocabulary's own spelling.
 *
 * The vocabulary is the genres (catalog/genres.ts) then ~3,000 tags, several of which spell a
 * genre another way ("science fiction", "giant robots", "yaoi"). A name resolves, first match
 * wins: to a genre (any number: "idol" → Idols), to an alias naming genres ("giant robots" →
 * Mecha, though a tag "giant robots" exists: the genre holds that tag and the other mecha
 * tags), to a tag of that spelling ("space opera"), then to an alias naming tags.
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
  mech: ["mecha"],
  "boys love": ["boys love", "yaoi"],
  "shounen ai": ["boys love", "shounen ai"],
  "shonen ai": ["boys love", "shounen ai"],
  yaoi: ["boys love"],
  "girls love": ["girls love", "yuri"],
  "shoujo ai": ["girls love", "shoujo ai"],
  "shojo ai": ["girls love", "shoujo ai"],
  yuri: ["girls love"],
  "mahou shoujo": ["magical girl", "mahou shoujo"],
  "mahou shojo": ["magical girl", "mahou shoujo"],
  musical: ["music"],
  history: ["historical"],
  "another world": ["isekai"],
  scary: ["horror"],
  funny: ["comedy"],
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

/** The key itself or its singular/plural twin, if the vocabulary has it (and `accept` takes it). */
function direct(key: string, lookup: Map<string, string>, accept: (name: string) => boolean = () => true): string | undefined {
  const variants = [key, key.endsWith("ies") ? `${key.slice(0, -3)}y` : "", key.endsWith("es") ? key.slice(0, -2) : "", key.endsWith("s") ? key.slice(0, -1) : "", `${key}s`];
  for (const v of variants) {
    const name = v ? lookup.get(v) : undefined;
    if (name !== undefined && accept(name)) return name;
  }
  return undefined;
}

const isGenre = (name: string): boolean => (GENRES as readonly string[]).includes(name);

/** The names the first alias target present in the vocabulary stands for; [] when none is. */
function viaAlias(key: string, lookup: Map<string, string>): string[] {
  const singular = key.replace(/(?:ies|es|s)$/u, "");
  for (const target of ALIAS_BY_KEY.get(key) ?? ALIAS_BY_KEY.get(singular) ?? []) {
    const parts = target.split("+").map((part) => lookup.get(genreKey(part)));
    if (parts.every((p): p is string => p !== undefined)) return parts;
  }
  return [];
}

/** The vocabulary names `name` stands for (usually one; two for "romcom" without "romantic comedy"); [] when unknown. */
export function resolveGenres(name: string, lookup: Map<string, string>): string[] {
  const key = genreKey(name);
  if (!key) return [];
  const genre = direct(key, lookup, isGenre);
  if (genre !== undefined) return [genre];
  const aliased = viaAlias(key, lookup);
  if (aliased.length && aliased.every(isGenre)) return aliased;
  const tag = direct(key, lookup);
  if (tag !== undefined) return [tag];
  return aliased;
}
