import { sql } from "drizzle-orm";
import { drizzle } from "drizzle-orm/d1";
import type { CatalogEntry } from "../entry";
import { anime } from "../schema";
import type { AnimeRow } from "../serialize";

/** A stored anime in CatalogEntry terms: what an incoming entry is merged with. */
export function storedEntry(r: AnimeRow): CatalogEntry {
  return {
    sources: r.sources, title: r.title, synonyms: r.synonyms, type: r.type, episodes: r.episodes, status: r.status, season: r.season,
    year: r.year, durationSeconds: r.durationSeconds, score: r.score, picture: r.picture, thumbnail: r.thumbnail, genres: r.genres,
    studios: r.studios, producers: r.producers, related: r.related, synopsis: r.synopsis,
  };
}

/** Stored anime by id; ids travel as one JSON parameter (D1 allows 100 bound parameters). */
export async function loadStoredRows(db: D1Database, ids: number[]): Promise<Map<number, AnimeRow>> {
  if (ids.length === 0) return new Map();
  const rows = await drizzle(db)
    .select()
    .from(anime)
    .where(sql`${anime.id} IN (SELECT value FROM json_each(${JSON.stringify(ids)}))`)
    .all();
  return new Map(rows.map((r) => [r.id, r]));
}
