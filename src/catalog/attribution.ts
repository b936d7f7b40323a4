/**
 * Where the catalog's data comes from and under which licences: one list, shown by
 * GET /v1/about, the OpenAPI `info` and the docs page. The anime-offline-database asks for
 * its ODbL notice wherever users see the data (data/sample/ ships the licence texts' pointers
 * and how the sample was made).
 */
export const ODBL_NOTICE = "Contains information from anime-offline-database, made available under the Open Database License (ODbL).";

/** The attribution CC BY 4.0 asks for, wherever the airing schedules are shown (every schedule answer's `source` carries it too). */
export const BANGUMI_DATA_NOTICE = "Airing schedules and streaming sites from bangumi-data (https://github.com/bangumi-data/bangumi-data), licensed under CC BY 4.0 (https://creativecommons.org/licenses/by/4.0/); times converted to the requested time zone.";

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
    licence: "CC BY 4.0 (https://creativecommons.org/licenses/by/4.0/)",
    use: "Airing schedules and streaming sites (GET /v1/schedule, GET /v1/anime/{id}/schedule), refreshed daily; cross-site ids and air dates for anime the release lacks.",
  },
  {
    name: "@kawaiioverflow/arm",
    url: "https://github.com/kawaiioverflow/arm",
    licence: "MIT",
    use: "MyAnimeList ↔ AniList id map for anime the release lacks.",
  },
];
