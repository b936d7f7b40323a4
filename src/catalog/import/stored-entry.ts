import { sql } from "drizzle-orm";
import { drizzle } from "drizzle-orm/d1";
import type { CatalogEntry, FillableField } from "../entry";
import { anime } from "../schema";
import type { AnimeRow } from "../serialize";

/** Reads one fillable field of a stored anime in CatalogEntry terms. */
const READ: { [F in FillableField]: (r: AnimeRow) => CatalogEntry[F] } = {
  synonyms: (r) => r.synonyms,
  type: (r) => r.type,
  episodes: (r) => r.episodes,
  status: (r) => r.status,
  season: (r) => r.season,
  year: (r) => r.year,
  durationSeconds: (r) => r.durationSeconds,
  score: (r) => r.score,
  picture: (r) => r.picture,
  thumbnail: (r) => r.thumbnail,
  genres: (r) => r.genres,
  studios: (r) => r.studios,
  producers: (r) => r.producers,
  related: (r) => r.related,
};

/** The entry with its `missing` fields taken from the stored anime. */
export function fillFromStored(entry: CatalogEntry, missing: FillableField[], row: AnimeRow): CatalogEntry {
  const filled = { ...entry } as Record<FillableField, unknown>;
  for (const f of missing) filled[f] = READ[f](row);
  return filled as unknown as CatalogEntry;
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
