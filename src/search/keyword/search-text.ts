import { joinedPairs, nameForms } from "./normalize";

/** Bump when normalize.ts changes what it produces: reindex rebuilds rows of older versions. */
export const NORMALISER_VERSION = 1;
/** Trigram rows per anime (rowid = id * 64 + index, see migrations/0003_search_fts.sql). */
export const MAX_NAMES = 64;

/** One anime_search_text row. */
export interface SearchTextRow {
  id: number;
  version: number;
  title: string;
  synonyms: string;
  joined: string;
  names: string[];
}

/** The keyword-index text of an anime, from its title and synonyms. Pure. */
export function searchTextOf(id: number, title: string, synonyms: string[]): SearchTextRow {
  const titleForms = nameForms(title);
  const synonymForms = [...new Set(synonyms.flatMap(nameForms))].filter((s) => !titleForms.includes(s));
  const all = [...titleForms, ...synonymForms];
  return {
    id,
    version: NORMALISER_VERSION,
    title: titleForms.join(" | "),
    synonyms: synonymForms.join(" | "),
    joined: [...new Set(all.flatMap(joinedPairs))].join(" "),
    names: [...new Set(all.map((s) => s.replace(/ /g, "")))].slice(0, MAX_NAMES),
  };
}

/**
 * Upserts rows given as one JSON parameter (?1). The update fires the trigger that
 * re-indexes the anime in anime_fts and anime_trgm.
 */
export const UPSERT_SEARCH_TEXT = `
INSERT INTO anime_search_text (anime_id, version, title, synonyms, joined, names)
SELECT j.value ->> '$.id', j.value ->> '$.version', j.value ->> '$.title', j.value ->> '$.synonyms',
  j.value ->> '$.joined', j.value -> '$.names'
FROM json_each(?1) AS j WHERE true
ON CONFLICT (anime_id) DO UPDATE SET version = excluded.version, title = excluded.title,
  synonyms = excluded.synonyms, joined = excluded.joined, names = excluded.names`;
