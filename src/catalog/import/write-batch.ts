import { parseSourceUrl } from "../sources";
import type { CatalogEntry } from "../entry";
import { popularityOf } from "../popularity";
import { searchTextOf, UPSERT_SEARCH_TEXT } from "../../search/keyword/search-text";

/** An entry that must be written, with the anime id it was resolved to. */
export interface PlannedWrite {
  id: number;
  entry: CatalogEntry;
  hash: string;
  /** A new anime: nothing is stored under its id yet (no row, no source URL). */
  isNew: boolean;
  /** The entry came from the enrichment pipeline: the anime is marked enriched (for good). */
  enriched?: boolean;
}

/*
 * Rows travel as one JSON parameter per statement and are unpacked with json_each: D1 allows
 * only 100 bound parameters per statement, and one statement per table (per MAX_PARAM_BYTES
 * of rows) keeps a batch of a thousand entries to a few dozen statements. All statements run
 * in one db.batch(), which D1 executes as a single transaction: a batch is written whole or
 * not at all.
 */

/** A bound value stays well below D1's cap on one string or BLOB (2 MB): more rows go to another statement of the batch. */
const MAX_PARAM_BYTES = 500_000;

const UPSERT_ANIME = `
INSERT INTO anime (id, title, title_key, synonyms, type, episodes, status, season, year, duration_seconds,
  score, picture, thumbnail, genres, studios, producers, sources, related, synopsis, system_status,
  orphaned_at, created_at, updated_at, content_hash, enriched, popularity)
SELECT j.value ->> '$.id', j.value ->> '$.title', lower(j.value ->> '$.title'), j.value ->> '$.synonyms',
  j.value ->> '$.type', j.value ->> '$.episodes', j.value ->> '$.status', j.value ->> '$.season',
  j.value ->> '$.year', j.value ->> '$.duration', j.value ->> '$.score', j.value ->> '$.picture',
  j.value ->> '$.thumbnail', j.value ->> '$.genres', j.value ->> '$.studios', j.value ->> '$.producers',
  j.value ->> '$.sources', j.value ->> '$.related', j.value ->> '$.synopsis', 'ACTIVE', NULL, ?2, ?2, j.value ->> '$.hash',
  j.value ->> '$.enriched', j.value ->> '$.popularity'
FROM json_each(?1) AS j WHERE true
ON CONFLICT (id) DO UPDATE SET
  title = excluded.title, title_key = excluded.title_key, synonyms = excluded.synonyms, type = excluded.type,
  episodes = excluded.episodes, status = excluded.status, season = excluded.season, year = excluded.year,
  duration_seconds = excluded.duration_seconds, score = excluded.score, picture = excluded.picture,
  thumbnail = excluded.thumbnail, genres = excluded.genres, studios = excluded.studios,
  producers = excluded.producers, sources = excluded.sources, related = excluded.related,
  synopsis = coalesce(excluded.synopsis, anime.synopsis), system_status = 'ACTIVE', orphaned_at = NULL,
  updated_at = excluded.updated_at, content_hash = excluded.content_hash, enriched = max(anime.enriched, excluded.enriched),
  popularity = excluded.popularity`;

// Source, genre and studio rows are arrays ([anime id, …]), not objects: smaller to send.
const UPSERT_SOURCES = `
INSERT INTO anime_source (url, anime_id, site, site_id)
SELECT j.value ->> 1, j.value ->> 0, j.value ->> 2, j.value ->> 3
FROM json_each(?1) AS j WHERE true
ON CONFLICT (url) DO UPDATE SET anime_id = excluded.anime_id`;

const DELETE_GENRES = `DELETE FROM anime_genre WHERE anime_id IN (SELECT value FROM json_each(?1))`;
const INSERT_GENRES = `INSERT OR IGNORE INTO anime_genre (anime_id, genre_key, name)
SELECT j.value ->> 0, lower(j.value ->> 1), j.value ->> 1 FROM json_each(?1) AS j`;
const DELETE_STUDIOS = `DELETE FROM anime_studio WHERE anime_id IN (SELECT value FROM json_each(?1))`;
const INSERT_STUDIOS = `INSERT OR IGNORE INTO anime_studio (anime_id, studio_key, name)
SELECT j.value ->> 0, lower(j.value ->> 1), j.value ->> 1 FROM json_each(?1) AS j`;

/**
 * What anime hold before the batch (the written ones that are not new, and the touched ones):
 * their source URLs as anime_source maps them, and the other inputs of their popularity.
 */
const HELD = `
SELECT a.id, a.score, a.related, (SELECT json_group_array(s.url) FROM anime_source s WHERE s.anime_id = a.id) AS urls
FROM anime a WHERE a.id IN (SELECT value FROM json_each(?1))`;

/**
 * The denormalised `sources` column is written with each row as the batch will leave
 * anime_source (`sourcesAfter`); this statement rewrites it from anime_source where it
 * differs: for the other anime that lost a URL to the batch (a merge), which count as
 * updated, so `updated_since` consumers see them. Their new popularity comes with them; a
 * list that is not the one the popularity was computed from aborts the batch (the rows'
 * URLs changed since they were read), so a stored popularity never disagrees with its row.
 */
const SOURCE_LIST = `(SELECT json_group_array(url) FROM (SELECT url FROM anime_source s WHERE s.anime_id = anime.id ORDER BY url))`;
const REFRESH_SOURCES = `
UPDATE anime SET sources = ${SOURCE_LIST}, updated_at = ?2,
  popularity = CASE WHEN ${SOURCE_LIST} IS j.value ->> '$.sources' THEN j.value ->> '$.popularity' ELSE json('stale: source URLs changed under the batch') END
FROM json_each(?1) AS j
WHERE anime.id = j.value ->> '$.id' AND anime.sources IS NOT ${SOURCE_LIST}`;

/** An anime whose every source URL moved to another entry is orphaned, never deleted. */
const ORPHAN_SOURCELESS = `
UPDATE anime SET system_status = 'ORPHANED', orphaned_at = ?2, updated_at = ?2
WHERE id IN (SELECT value FROM json_each(?1)) AND system_status = 'ACTIVE'
  AND NOT EXISTS (SELECT 1 FROM anime_source s WHERE s.anime_id = anime.id)`;

/** Canonical URLs are ASCII, so this order is SQLite's (BINARY) order of SOURCE_LIST. */
const sorted = (urls: Iterable<string>) => [...new Set(urls)].sort();

/**
 * Writes planned entries atomically (with `alongside`, if given). `touchedIds` are other anime that may have lost a
 * source URL to these entries (a merge) and need their source list refreshed.
 */
export async function writeBatch(db: D1Database, writes: PlannedWrite[], touchedIds: number[], now: number, alongside: D1PreparedStatement[] = [], before: D1PreparedStatement[] = []): Promise<void> {
  const statements = await batchStatements(db, writes, touchedIds, now, alongside, before);
  if (statements.length > 0) await db.batch(statements);
}

/**
 * The statements writeBatch runs as one db.batch(), bound, for a caller that runs them itself.
 * Reads the catalog (what the touched and the written anime that are not new hold now) unless
 * every write is new and nothing is touched; the batch must run before anything else writes.
 */
export async function batchStatements(db: D1Database, writes: PlannedWrite[], touchedIds: number[], now: number, alongside: D1PreparedStatement[] = [], before: D1PreparedStatement[] = []): Promise<D1PreparedStatement[]> {
  // `before` statements (a check that may abort) and `alongside` ones (a sync's marks and
  // cursor) commit in the same transaction.
  if (writes.length === 0) return [...before, ...alongside];
  const ids = writes.map((w) => w.id);
  const written = new Set(ids);
  const others = [...new Set(touchedIds)].filter((id) => !written.has(id));
  const { after, held } = await sourcesAfter(db, writes, others);

  const animeRows = writes.map(({ id, entry: e, hash, enriched }) => {
    const sources = after.get(id)!;
    return {
      id, hash, enriched: enriched ? 1 : 0, title: e.title, synonyms: JSON.stringify(e.synonyms), type: e.type, episodes: e.episodes,
      status: e.status, season: e.season, year: e.year, duration: e.durationSeconds, score: e.score,
      picture: e.picture, thumbnail: e.thumbnail, genres: JSON.stringify(e.genres),
      studios: JSON.stringify(e.studios), producers: JSON.stringify(e.producers),
      sources: JSON.stringify(sources), related: JSON.stringify(e.related), synopsis: e.synopsis,
      popularity: popularityOf({ sources, related: e.related, score: e.score }),
    };
  });
  const sourceRows = writes.flatMap(({ id, entry }) =>
    entry.sources.map((url) => {
      const ref = parseSourceUrl(url)!;
      return [id, ref.url, ref.site, ref.siteId];
    }),
  );
  const genreRows = writes.flatMap(({ id, entry }) => entry.genres.map((name) => [id, name]));
  const studioRows = writes.flatMap(({ id, entry }) => entry.studios.map((name) => [id, name]));
  const searchRows = writes.map(({ id, entry }) => searchTextOf(id, entry.title, entry.synonyms));
  const refreshRows = [
    ...animeRows.map(({ id, popularity }) => ({ id, popularity })),
    ...others.map((id) => {
      const sources = after.get(id)!;
      const { related, score } = held.get(id) ?? { related: [], score: null };
      return { id, sources: JSON.stringify(sources), popularity: popularityOf({ sources, related, score }) };
    }),
  ];
  // In this order: anime rows before their URLs, deletions before insertions, URLs before the refresh.
  const statements: [sql: string, rows: unknown[], now?: number][] = [
    [UPSERT_ANIME, animeRows, now],
    [UPSERT_SOURCES, sourceRows],
    [UPSERT_SEARCH_TEXT, searchRows],
    [DELETE_GENRES, ids],
    [INSERT_GENRES, genreRows],
    [DELETE_STUDIOS, ids],
    [INSERT_STUDIOS, studioRows],
    [REFRESH_SOURCES, refreshRows, now],
    [ORPHAN_SOURCELESS, [...ids, ...others], now],
  ];
  // Every parameter is serialised before the first bind: through wrangler's platform proxy
  // (the CLI import) a bind() waits until workerd is done with the batch before, the JSON need not.
  const params = statements.map(([sql, rows, at]) => ({ sql, chunks: jsonChunks(rows), more: at === undefined ? [] : [at] }));
  const bound = params.flatMap(({ sql, chunks, more }) => chunks.map((json) => db.prepare(sql).bind(json, ...more)));
  return [...before, ...bound, ...alongside];
}

const utf8 = new TextEncoder();

/** `rows` as JSON arrays of at most MAX_PARAM_BYTES each (UTF-8; a larger row alone), in order; none for no rows. */
function jsonChunks(rows: unknown[]): string[] {
  if (rows.length === 0) return [];
  const json = JSON.stringify(rows);
  const bytes = json.length * 3 <= MAX_PARAM_BYTES ? json.length : utf8.encode(json).length;
  if (bytes <= MAX_PARAM_BYTES || rows.length === 1) return [json];
  const parts = Math.ceil(bytes / MAX_PARAM_BYTES);
  const size = Math.ceil(rows.length / parts);
  const chunks: string[] = [];
  for (let i = 0; i < rows.length; i += size) chunks.push(...jsonChunks(rows.slice(i, i + size)));
  return chunks;
}

interface Held {
  urls: string[];
  related: string[];
  score: number | null;
}

/**
 * The source URLs (sorted) each written and touched anime will hold once the batch is
 * written: the URLs it holds now, less those the batch's entries take, plus its entry's own.
 * `held` is what the anime that were not new held before (with the other inputs of a touched
 * anime's popularity). A new anime holds nothing yet, so a batch of new anime (a first
 * import, a restore) reads nothing.
 */
async function sourcesAfter(db: D1Database, writes: PlannedWrite[], others: number[]): Promise<{ after: Map<number, string[]>; held: Map<number, Held> }> {
  const held = new Map<number, Held>();
  const probe = [...writes.filter((w) => !w.isNew).map((w) => w.id), ...others];
  if (probe.length > 0) {
    const { results } = await db.prepare(HELD).bind(JSON.stringify(probe)).all<{ id: number; score: number | null; related: string; urls: string }>();
    for (const r of results) held.set(r.id, { urls: JSON.parse(r.urls), related: JSON.parse(r.related), score: r.score });
  }
  const taken = new Set(writes.flatMap((w) => w.entry.sources));
  const kept = (id: number) => (held.get(id)?.urls ?? []).filter((u) => !taken.has(u));
  const after = new Map<number, string[]>();
  for (const w of writes) after.set(w.id, sorted([...kept(w.id), ...w.entry.sources]));
  for (const id of others) after.set(id, sorted(kept(id)));
  return { after, held };
}
