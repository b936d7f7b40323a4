/**
 * Where the catalog's data comes from and under which licences: one list, shown by
 * GET /v1/about, the OpenAPI `info` and the docs page. The anime-offline-database asks for
 * its ODbL notice wherever users see the data (data/sample/ ships the licence texts' pointers
 * and how the sample was made).
 */
export const ODBL_NOTICE = "Contains information from anime-offline-database, made available under the Open Database License (ODbL).";

export interface DataSource {
  name: string;
  url: string;
  licence: string;
  /** What Kensho takes from it. */
  use: string;
}

export const DATA_SOURCES: DataSource[] = [
  {
    name: "anime-offline-database",
    url: "https://github.com/manami-project/anime-offline-database",
    licence: "ODbL-1.0 (database), DbCL-1.0 (contents); © manami-project",
    use: "The catalog: titles, synonyms, type, episodes, status, season, pictures, studios, tags, relations and cross-site source URLs; synced weekly.",
  },
  {
    name: "bangumi-data",
    url: "https://github.com/bangumi-data/bangumi-data",
    licence: "CC BY 4.0",
    use: "Cross-site ids and air dates for anime the release lacks.",
  },
  {
    name: "@kawaiioverflow/arm",
    url: "https://github.com/kawaiioverflow/arm",
    licence: "MIT",
    use: "MyAnimeList ↔ AniList id map for anime the release lacks.",
  },
];
