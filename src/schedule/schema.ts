import { index, integer, sqliteTable, text } from "drizzle-orm/sqlite-core";

/**
 * Airing schedules from bangumi-data (CC BY 4.0), replaced whole by every load (the hourly
 * cron at most daily, `npm start` from the installed package): src/schedule/store.ts is the
 * only writer. Times are epoch milliseconds.
 */

/** The one loaded copy of the data (row id 1): where it came from and how fresh it is. */
export const scheduleSource = sqliteTable("schedule_source", {
  id: integer("id").primaryKey(),
  /** The URL, r2:<key>, or npm:bangumi-data@<version> (a local load). */
  source: text("source").notNull(),
  /** The package version when the source names one (`0.3.208`), else `sha256:<12 hex>` of the content. */
  version: text("version").notNull(),
  etag: text("etag"),
  contentHash: text("content_hash").notNull(),
  /** When this content was fetched or loaded. */
  fetchedAt: integer("fetched_at").notNull(),
  /** When the source was last asked (a 304 moves this, not fetched_at): the cron asks at most daily. */
  checkedAt: integer("checked_at").notNull(),
  /** How old the data is: the latest item `begin` not after the fetch (new shows begin every week: a current copy's is days old). */
  dataDate: integer("data_date"),
  items: integer("items").notNull(),
  rules: integer("rules").notNull(),
});

/** Streaming sites (siteMeta type `onair`; resource and info sites are never stored). */
export const scheduleSite = sqliteTable("schedule_site", {
  key: text("key").primaryKey(),
  title: text("title").notNull(),
  urlTemplate: text("url_template").notNull(),
  /** JSON array of ISO 3166 codes; null: the data names no restriction. */
  regions: text("regions", { mode: "json" }).$type<string[] | null>(),
});

/** One bangumi-data item that has an id to join on and something to schedule or stream. */
export const scheduleItem = sqliteTable(
  "schedule_item",
  {
    id: integer("id").primaryKey(),
    title: text("title").notNull(),
    /** bangumi-data's type: tv, web, movie, ova. */
    type: text("type").notNull(),
    /** The zone its times are counted in (Asia/Tokyo for Japanese items). */
    originTz: text("origin_tz").notNull(),
    beginAt: integer("begin_at"),
    /** Filled in only after a finale, often weeks late: null does not mean airing. */
    endAt: integer("end_at"),
    malId: text("mal_id"),
    anilistId: text("anilist_id"),
    anidbId: text("anidb_id"),
    /** Another item has the same MAL id (a long series split into arcs): no episode numbers, no episode-count bound. */
    sharedMal: integer("shared_mal", { mode: "boolean" }).notNull(),
    /** The catalog anime, by MAL, then AniList, then AniDB id (store.ts LINK_ITEMS); null: not in the catalog. */
    animeId: integer("anime_id"),
    matchedBy: text("matched_by"),
  },
  (t) => [index("schedule_item_anime_idx").on(t.animeId)],
);

/**
 * A broadcast rule (the TV slot, `site` null) or a streaming site of an item, with its own
 * rule when the data gives one (`anchor_at` null: where to watch, no times).
 */
export const scheduleRule = sqliteTable(
  "schedule_rule",
  {
    id: integer("id").primaryKey(),
    itemId: integer("item_id").notNull(),
    kind: text("kind", { enum: ["broadcast", "stream"] }).notNull(),
    site: text("site"),
    siteTitle: text("site_title"),
    url: text("url"),
    regions: text("regions", { mode: "json" }).$type<string[] | null>(),
    beginAt: integer("begin_at"),
    anchorAt: integer("anchor_at"),
    /** ISO 8601 period: P7D, P1M, P0D. */
    period: text("period"),
    /** Rn of the rule; null: unbounded. */
    repeats: integer("repeats"),
    /** No occurrence after this instant by the data (its end, a day's grace); OPEN_UNTIL when it names none. */
    untilAt: integer("until_at").notNull(),
  },
  (t) => [index("schedule_rule_item_idx").on(t.itemId), index("schedule_rule_until_idx").on(t.untilAt, t.anchorAt)],
);
