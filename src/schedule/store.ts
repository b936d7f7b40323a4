import type { ScheduleData } from "./bangumi-data";

/**
 * Writes of the schedule tables (src/schedule/schema.ts): the only writer. A load replaces
 * every row in one D1 batch (one transaction), so a reader sees the old schedule or the new
 * one, never half of each; the same batch links the items to the catalog.
 */

/** Where a load came from, as schedule_source records it. */
export interface LoadMeta {
  source: string;
  version: string;
  etag: string | null;
  contentHash: string;
  fetchedAt: number;
}

/** Rows travel as one JSON parameter per statement (D1 allows 100 bound parameters), unpacked with json_each. */
const MAX_PARAM_BYTES = 500_000;

const INSERT_SITES = `INSERT INTO schedule_site (key, title, url_template, regions)
SELECT j.value ->> 0, j.value ->> 1, j.value ->> 2, CASE WHEN json_type(j.value, '$[3]') = 'array' THEN j.value -> '$[3]' END
FROM json_each(?1) AS j`;

const INSERT_ITEMS = `INSERT INTO schedule_item (id, title, type, origin_tz, begin_at, end_at, mal_id, anilist_id, anidb_id, shared_mal)
SELECT j.value ->> 0, j.value ->> 1, j.value ->> 2, j.value ->> 3, j.value ->> 4, j.value ->> 5, j.value ->> 6, j.value ->> 7, j.value ->> 8, j.value ->> 9
FROM json_each(?1) AS j`;

const INSERT_RULES = `INSERT INTO schedule_rule (id, item_id, kind, site, site_title, url, regions, begin_at, anchor_at, period, repeats, until_at)
SELECT j.value ->> 0, j.value ->> 1, j.value ->> 2, j.value ->> 3, j.value ->> 4, j.value ->> 5,
  CASE WHEN json_type(j.value, '$[6]') = 'array' THEN j.value -> '$[6]' END,
  j.value ->> 7, j.value ->> 8, j.value ->> 9, j.value ->> 10, j.value ->> 11
FROM json_each(?1) AS j`;

/**
 * Each item's catalog anime: by MAL id, then AniList, then AniDB (anime_source's (site, site_id)
 * index answers each probe). An anime whose URLs moved elsewhere is orphaned without
 * source rows, so it is never linked.
 */
const LINK_ITEMS = `UPDATE schedule_item SET (anime_id, matched_by) = (
  SELECT s.anime_id, s.site FROM anime_source s
  WHERE (s.site = 'myanimelist' AND s.site_id = schedule_item.mal_id)
     OR (s.site = 'anilist' AND s.site_id = schedule_item.anilist_id)
     OR (s.site = 'anidb' AND s.site_id = schedule_item.anidb_id)
  ORDER BY CASE s.site WHEN 'myanimelist' THEN 1 WHEN 'anilist' THEN 2 ELSE 3 END LIMIT 1)`;

/** The links as they stand: compared before and after a relink to tell whether anything moved. */
const LINKS = `SELECT json_group_array(coalesce(anime_id, 0)) AS links FROM (SELECT anime_id FROM schedule_item ORDER BY id)`;

const UPSERT_SOURCE = `INSERT INTO schedule_source (id, source, version, etag, content_hash, fetched_at, checked_at, data_date, items, rules)
VALUES (1, ?1, ?2, ?3, ?4, ?5, ?5, ?6, ?7, ?8)
ON CONFLICT (id) DO UPDATE SET source = excluded.source, version = excluded.version, etag = excluded.etag,
  content_hash = excluded.content_hash, fetched_at = excluded.fetched_at, checked_at = excluded.checked_at,
  data_date = excluded.data_date, items = excluded.items, rules = excluded.rules`;

/** Statements inserting `rows` (as arrays) in as few statements as MAX_PARAM_BYTES allows. */
function chunked(db: D1Database, sql: string, rows: unknown[][]): D1PreparedStatement[] {
  const out: D1PreparedStatement[] = [];
  let batch: string[] = [];
  let bytes = 0;
  const flush = () => {
    if (batch.length) out.push(db.prepare(sql).bind(`[${batch.join(",")}]`));
    batch = [];
    bytes = 0;
  };
  for (const row of rows) {
    const json = JSON.stringify(row);
    if (bytes + json.length > MAX_PARAM_BYTES) flush();
    batch.push(json);
    bytes += json.length + 1;
  }
  flush();
  return out;
}

/** Replaces the whole schedule with `data` and links it to the catalog, in one transaction. */
export async function replaceSchedule(db: D1Database, data: ScheduleData, meta: LoadMeta): Promise<void> {
  await db.batch([
    db.prepare("DELETE FROM schedule_rule"),
    db.prepare("DELETE FROM schedule_item"),
    db.prepare("DELETE FROM schedule_site"),
    ...chunked(db, INSERT_SITES, data.sites.map((s) => [s.key, s.title, s.urlTemplate, s.regions])),
    ...chunked(db, INSERT_ITEMS, data.items.map((i) => [i.id, i.title, i.type, i.originTz, i.beginAt, i.endAt, i.malId, i.anilistId, i.anidbId, i.sharedMal ? 1 : 0])),
    ...chunked(db, INSERT_RULES, data.rules.map((r) => [r.id, r.itemId, r.kind, r.site, r.siteTitle, r.url, r.regions, r.beginAt, r.anchorAt, r.period, r.repeats, r.untilAt])),
    db.prepare(UPSERT_SOURCE).bind(meta.source, meta.version, meta.etag, meta.contentHash, meta.fetchedAt, data.latestBegin, data.items.length, data.rules.length),
    db.prepare(LINK_ITEMS),
  ]);
}

/** Links the items to the catalog as it is now (it changes with every sync); whether any link moved. */
export async function relinkSchedule(db: D1Database): Promise<boolean> {
  const [before, , after] = await db.batch<{ links: string }>([db.prepare(LINKS), db.prepare(LINK_ITEMS), db.prepare(LINKS)]);
  return before.results[0]?.links !== after.results[0]?.links;
}

/** Records that the source was asked and had nothing new (a 304, or the same content). */
export async function markChecked(db: D1Database, at: number, etag: string | null): Promise<void> {
  await db.prepare("UPDATE schedule_source SET checked_at = ?1, etag = coalesce(?2, etag) WHERE id = 1").bind(at, etag).run();
}

/** How many items are linked to the catalog (for the load's report). */
export async function linkedCount(db: D1Database): Promise<number> {
  return (await db.prepare("SELECT count(*) AS n FROM schedule_item WHERE anime_id IS NOT NULL").first<{ n: number }>())?.n ?? 0;
}
