/**
 * Closed vocabularies of the catalog. They mirror the anime-offline-database schema
 * (type, status, season) and are shared by the D1 schema, the importer and the API schemas.
 */
export const ANIME_TYPES = ["TV", "MOVIE", "OVA", "ONA", "SPECIAL", "UNKNOWN"] as const;
export type AnimeType = (typeof ANIME_TYPES)[number];

export const ANIME_STATUSES = ["FINISHED", "ONGOING", "UPCOMING", "UNKNOWN"] as const;
export type AnimeStatus = (typeof ANIME_STATUSES)[number];

export const SEASONS = ["SPRING", "SUMMER", "FALL", "WINTER", "UNDEFINED"] as const;
export type Season = (typeof SEASONS)[number];

/** ACTIVE entries are in the current source data; ORPHANED ones vanished from it but are kept. */
export const SYSTEM_STATUSES = ["ACTIVE", "ORPHANED"] as const;
export type SystemStatus = (typeof SYSTEM_STATUSES)[number];
