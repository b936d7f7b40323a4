import { parseSourceUrl } from "../sources";
import type { CatalogEntry } from "../entry";
import { searchTextOf, UPSERT_SEARCH_TEXT } from "../../search/keyword/search-text";

/** An entry that must be written, with the anime id it was resolved to. */
export interface PlannedWrite {
  id: number;
  entry: CatalogEntry;
  hash: string;
  isNew: boolean;
  /** The entry came from the enrichment pipeline: the anime is marked enriched (for good). */
  enriched?: boolean;
}

/*
 * Rows travel as one JSON parameter per statement and are unpacked with json_each: D1 allows
 * only 100 bound parameters per statement, and one statement per table keeps a batch of
 * hundreds of entries to a handful of statements. All statements run in one db.batch(),
 * which D1 executes as a single transaction: a batch is written whole or not at all.
 */
const UPSERT_ANIME = `
INSERT INTO anime (id, title, title_key, synonyms, type, episodes, status, season, year, duration_seconds,
  score, picture, thumbnail, genres, studios, producers, sources, related, synopsis, system_status,
  orphaned_at, created_at, updated_at, content_hash, enriched)
SELECT j.value ->> '$.id', j.value ->> '$.title', lower(j.value ->> '$.title'), j.value ->> '$.synonyms',
  j.value ->> '$.type', j.value ->> '$.episodes', j.value ->> '$.status', j.value ->> '$.season',
  j.value ->> '$.year', j.value ->> '$.duration', j.value ->> '$.score', j.value ->> '$.picture',
  j.value ->> '$.thumbnail', j.value ->> '$.genres', j.value ->> '$.studios', j.value ->> '$.producers',
  '[]', j.value ->> '$.related', j.value ->> '$.synopsis', 'ACTIVE', NULL, ?2, ?2, j.value ->> '$.hash', j.value ->> '$.enriched'
FROM json_each(?1) AS j WHERE true
ON CONFLICT (id) DO UPDATE SET
  title = excluded.title, title_key = excluded.title_key, synonyms = excluded.synonyms, type = excluded.type,
  episodes = excluded.episodes, status = excluded.status, season = excluded.season, year = excluded.year,
  duration_seconds = excluded.duration_seconds, score = excluded.score, picture = excluded.picture,
  thumbnail = excluded.thumbnail, genres = excluded.genres, studios = excluded.studios,
  producers = excluded.producers, related = excluded.related,
  synopsis = coalesce(excluded.synopsis, anime.synopsis), system_status = 'ACTIVE', orphaned_at = NULL,
  updated_at = excluded.updated_at, content_hash = excluded.content_hash, enriched = max(anime.enriched, excluded.enriched)`;

const UPSERT_SOURCES = `
INSERT INTO anime_source (url, anime_id, site, site_id)
SELECT j.value ->> '$.url', j.value ->> '$.id', j.value ->> '$.site', j.value ->> '$.siteId'
FROM json_each(?1) AS j WHERE true
ON CONFLICT (url) DO UPDATE SET anime_id = excluded.anime_id`;

const DELETE_GENRES = `DELETE FROM anime_genre WHERE anime_id IN (SELECT value FROM json_each(?1))`;
const INSERT_GENRES = `INSERT OR IGNORE INTO anime_genre (anime_id, genre_key, name)
SELECT j.value ->> '$.id', lower(j.value ->> '$.name'), j.value ->> '$.name' FROM json_each(?1) AS j`;
const DELETE_STUDIOS = `DELETE FROM anime_studio WHERE anime_id IN (SELECT value FROM json_each(?1))`;
const INSERT_STUDIOS = `INSERT OR IGNORE INTO anime_studio (anime_id, studio_key, name)
SELECT j.value ->> '$.id', lower(j.value ->> '$.name'), j.value ->> '$.name' FROM json_each(?1) AS j`;

/**
 * Rebuilds the denormalised `sources` column from anime_source for the touched anime. An
 * anime whose list changed (it lost a URL to another entry) counts as updated, so
 * `updated_since` consumers see it.
 */
const SOURCE_LIST = `(SELECT json_group_array(url) FROM (SELECT url FROM anime_source s WHERE s.anime_id = anime.id ORDER BY url))`;
const REFRESH_SOURCES = `
UPDATE anime SET sources = ${SOURCE_LIST}, updated_at = ?2
WHERE id IN (SELECT value FROM json_each(?1)) AND sources IS NOT ${SOURCE_LIST}`;

/** An anime whose every source URL moved to another entry is orphaned, never deleted. */
const ORPHAN_SOURCELESS = `
UPDATE anime SET system_status = 'ORPHANED', orphaned_at = ?2, updated_at = ?2
WHERE id IN (SELECT value FROM json_each(?1)) AND system_status = 'ACTIVE'
  AND NOT EXISTS (SELECT 1 FROM anime_source s WHERE s.anime_id = anime.id)`;

/**
 * Writes planned entries atomically (with `alongside`, if given). `touchedIds` are other anime that may have lost a
 * source URL to these entries (a merge) and need their source list refreshed.
 */
export async function writeBatch(db: D1Database, writes: PlannedWrite[], touchedIds: number[], now: number, alongside: D1PreparedStatement[] = [], before: D1PreparedStatement[] = []): Promise<void> {
  // `before` statements (a check that may abort) and `alongside` ones (a sync's marks and
  // cursor) commit in the same transaction.
  if (writes.length === 0) {
    if (before.length + alongside.length > 0) await db.batch([...before, ...alongside]);
    return;
  }
  const ids = writes.map((w) => w.id);
  const animeRows = writes.map(({ id, entry: e, hash, enriched }) => ({
    id, hash, enriched: enriched ? 1 : 0, title: e.title, synonyms: JSON.stringify(e.synonyms), type: e.type, episodes: e.episodes,
    status: e.status, season: e.season, year: e.year, duration: e.durationSeconds, score: e.score,
    picture: e.picture, thumbnail: e.thumbnail, genres: JSON.stringify(e.genres),
    studios: JSON.stringify(e.studios), producers: JSON.stringify(e.producers),
    related: JSON.stringify(e.related), synopsis: e.synopsis,
  }));
  const sourceRows = writes.flatMap(({ id, entry }) =>
    entry.sources.map((url) => {
      const ref = parseSourceUrl(url)!;
      return { id, url: ref.url, site: ref.site, siteId: ref.siteId };
    }),
  );
  const genreRows = writes.flatMap(({ id, entry }) => entry.genres.map((name) => ({ id, name })));
  const studioRows = writes.flatMap(({ id, entry }) => entry.studios.map((name) => ({ id, name })));
  const searchRows = writes.map(({ id, entry }) => searchTextOf(id, entry.title, entry.synonyms));
  const refreshIds = JSON.stringify([...new Set([...ids, ...touchedIds])]);

  await db.batch([
    ...before,
    db.prepare(UPSERT_ANIME).bind(JSON.stringify(animeRows), now),
    db.prepare(UPSERT_SOURCES).bind(JSON.stringify(sourceRows)),
    db.prepare(UPSERT_SEARCH_TEXT).bind(JSON.stringify(searchRows)),
    db.prepare(DELETE_GENRES).bind(JSON.stringify(ids)),
    db.prepare(INSERT_GENRES).bind(JSON.stringify(genreRows)),
    db.prepare(DELETE_STUDIOS).bind(JSON.stringify(ids)),
    db.prepare(INSERT_STUDIOS).bind(JSON.stringify(studioRows)),
    db.prepare(REFRESH_SOURCES).bind(refreshIds, now),
    db.prepare(ORPHAN_SOURCELESS).bind(refreshIds, now),
    ...alongside,
  ]);
}
