import { joinedPairs, nameForms } from "./normalize";

/**
 * Bump when what a row holds changes (normalize.ts, or the columns UPSERT_SEARCH_TEXT fills):
 * the indexer rebuilds rows of older versions. 2: the about_* texts (migration 0014).
 */
export const NORMALISER_VERSION = 2;
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
 * Upserts rows given as one JSON parameter (?1), with what the anime is about (its tags and
 * studios, its synopsis) read from its anime row — so that row must be written first (the
 * importer's batch writes anime before search text). The update fires the triggers that
 * re-index the anime in anime_fts, anime_trgm (0003) and anime_about_fts (0014).
 */
export const UPSERT_SEARCH_TEXT = `
INSERT INTO anime_search_text (anime_id, version, title, synonyms, joined, names, about_tags, about_text)
SELECT j.value ->> '$.id', j.value ->> '$.version', j.value ->> '$.title', j.value ->> '$.synonyms',
  j.value ->> '$.joined', j.value -> '$.names',
  coalesce((SELECT group_concat(t.value, ', ') FROM (SELECT value FROM json_each(a.genres) UNION ALL SELECT value FROM json_each(a.studios)) AS t), ''),
  coalesce(a.synopsis, '')
FROM json_each(?1) AS j JOIN anime a ON a.id = j.value ->> '$.id' WHERE true
ON CONFLICT (anime_id) DO UPDATE SET version = excluded.version, title = excluded.title,
  synonyms = excluded.synonyms, joined = excluded.joined, names = excluded.names,
  about_tags = excluded.about_tags, about_text = excluded.about_text`;
