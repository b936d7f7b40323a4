import type { CatalogEntry, FillableField } from "../entry";

/** Columns of an anime row as D1 returns them (JSON lists as text). */
export interface StoredRow {
  id: number;
  synonyms: string;
  type: CatalogEntry["type"];
  episodes: number;
  status: CatalogEntry["status"];
  season: CatalogEntry["season"];
  year: number | null;
  duration_seconds: number | null;
  score: number | null;
  picture: string | null;
  thumbnail: string | null;
  genres: string;
  studios: string;
  producers: string;
  related: string;
}

const json = (v: string) => JSON.parse(v) as string[];

/** Reads one fillable field of a stored row in CatalogEntry terms. */
const READ: { [F in FillableField]: (r: StoredRow) => CatalogEntry[F] } = {
  synonyms: (r) => json(r.synonyms),
  type: (r) => r.type,
  episodes: (r) => r.episodes,
  status: (r) => r.status,
  season: (r) => r.season,
  year: (r) => r.year,
  durationSeconds: (r) => r.duration_seconds,
  score: (r) => r.score,
  picture: (r) => r.picture,
  thumbnail: (r) => r.thumbnail,
  genres: (r) => json(r.genres),
  studios: (r) => json(r.studios),
  producers: (r) => json(r.producers),
  related: (r) => json(r.related),
};

/** The entry with its `missing` fields taken from the stored anime. */
export function fillFromStored(entry: CatalogEntry, missing: FillableField[], row: StoredRow): CatalogEntry {
  const filled = { ...entry } as Record<FillableField, unknown>;
  for (const f of missing) filled[f] = READ[f](row);
  return filled as unknown as CatalogEntry;
}

export async function loadStoredRows(db: D1Database, ids: number[]): Promise<Map<number, StoredRow>> {
  if (ids.length === 0) return new Map();
  const { results } = await db
    .prepare(
      `SELECT id, synonyms, type, episodes, status, season, year, duration_seconds, score, picture, thumbnail, genres, studios, producers, related
       FROM anime WHERE id IN (SELECT value FROM json_each(?1))`,
    )
    .bind(JSON.stringify(ids))
    .all<StoredRow>();
  return new Map(results.map((r) => [r.id, r]));
}
