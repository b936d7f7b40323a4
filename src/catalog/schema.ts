import { index, integer, primaryKey, real, sqliteTable, text, uniqueIndex } from "drizzle-orm/sqlite-core";
import { ANIME_STATUSES, ANIME_TYPES, SEASONS, SYSTEM_STATUSES } from "./vocabulary";

/**
 * One anime. `id` is Kensho's own stable id: assigned once, and kept for as long as any of
 * the entry's source URLs is still known (see anime_source). List-valued facts are stored
 * twice on purpose: as JSON here for one-row reads, and as rows in the side tables below
 * for indexed filtering. The importer is the only writer and keeps both in step (and the
 * derived `popularity`).
 */
export const anime = sqliteTable(
  "anime",
  {
    id: integer("id").primaryKey(),
    title: text("title").notNull(),
    /** lower(title): the key of sort=title. */
    titleKey: text("title_key").notNull(),
    synonyms: text("synonyms", { mode: "json" }).$type<string[]>().notNull(),
    type: text("type", { enum: ANIME_TYPES }).notNull(),
    episodes: integer("episodes").notNull(),
    status: text("status", { enum: ANIME_STATUSES }).notNull(),
    season: text("season", { enum: SEASONS }).notNull(),
    year: integer("year"),
    durationSeconds: integer("duration_seconds"),
    score: real("score"),
    picture: text("picture"),
    thumbnail: text("thumbnail"),
    genres: text("genres", { mode: "json" }).$type<string[]>().notNull(),
    studios: text("studios", { mode: "json" }).$type<string[]>().notNull(),
    producers: text("producers", { mode: "json" }).$type<string[]>().notNull(),
    /** Canonical source URLs, sorted; mirrors anime_source. */
    sources: text("sources", { mode: "json" }).$type<string[]>().notNull(),
    /** Source URLs of related anime, as given by the data. */
    related: text("related", { mode: "json" }).$type<string[]>().notNull(),
    synopsis: text("synopsis"),
    systemStatus: text("system_status", { enum: SYSTEM_STATUSES }).notNull().default("ACTIVE"),
    orphanedAt: integer("orphaned_at"),
    /** Epoch milliseconds. */
    createdAt: integer("created_at").notNull(),
    /** Epoch milliseconds; changes only when the content hash changes. */
    updatedAt: integer("updated_at").notNull(),
    /** SHA-256 of the normalised entry; equal hash means nothing to write. */
    contentHash: text("content_hash").notNull(),
    /**
     * The last sync run whose release listed this anime (src/sync): unseen at the end →
     * orphaned. Minus the run: listed by an entry that failed validation (kept, not claimed).
     */
    syncRun: integer("sync_run"),
    /** Written by the enrichment pipeline at least once: its synopsis and images are ours, and an offline-database entry keeps them. */
    enriched: integer("enriched", { mode: "boolean" }).notNull().default(false),
    /**
     * popularityOf(sources, related, score) of this row (src/catalog/popularity.ts): the key of
     * sort=popularity and /v1/popular. Written with `sources`, `related` and `score` in the same
     * statement batch (import/write-batch.ts), so it is never stale in a committed state.
     */
    popularity: integer("popularity").notNull().default(0),
  },
  (t) => [
    // Sort keys: (system_status, key, id) serves the keyset pages of each sort order.
    // Nullable keys (score, year) sort by coalesce(key, sentinel) so keyset comparisons
    // never meet NULL; their expression indexes are in migrations/0001_sort_indexes.sql
    // because drizzle-kit cannot emit expression indexes correctly.
    index("anime_sort_title_idx").on(t.systemStatus, t.titleKey, t.id),
    index("anime_sort_updated_idx").on(t.systemStatus, t.updatedAt, t.id),
    index("anime_sort_popularity_idx").on(t.systemStatus, t.popularity, t.id),
    // Filters.
    index("anime_type_idx").on(t.type),
    index("anime_status_idx").on(t.status),
    index("anime_year_season_idx").on(t.year, t.season),
    index("anime_score_idx").on(t.score),
    index("anime_episodes_idx").on(t.episodes),
    index("anime_updated_idx").on(t.updatedAt),
  ],
);

/** Source URL → anime. The URL is canonical (see sources.ts), so (site, site_id) is unique too. */
export const animeSource = sqliteTable(
  "anime_source",
  {
    url: text("url").primaryKey(),
    animeId: integer("anime_id")
      .notNull()
      .references(() => anime.id),
    site: text("site").notNull(),
    siteId: text("site_id").notNull(),
    /** The last sync run that gave this URL to an entry: a later entry of the run cannot take it. */
    syncRun: integer("sync_run"),
  },
  (t) => [uniqueIndex("anime_source_site_idx").on(t.site, t.siteId), index("anime_source_anime_idx").on(t.animeId)],
);

/**
 * Membership of an anime in a named group (a genre/tag, a studio). `<kind>_key` is the
 * lower-cased name used for matching; `name` keeps the spelling of the data.
 */
function membershipTable(table: string, keyColumn: string) {
  return sqliteTable(
    table,
    {
      animeId: integer("anime_id")
        .notNull()
        .references(() => anime.id),
      key: text(keyColumn).notNull(),
      name: text("name").notNull(),
    },
    (t) => [primaryKey({ columns: [t.animeId, t.key] }), index(`${table}_key_idx`).on(t.key, t.animeId)],
  );
}

export const animeGenre = membershipTable("anime_genre", "genre_key");
export const animeStudio = membershipTable("anime_studio", "studio_key");
export type MembershipTable = typeof animeGenre;

/** One row per import or sync run, for audit and for the health of the data. */
export const importRun = sqliteTable("import_run", {
  id: integer("id").primaryKey(),
  source: text("source").notNull(),
  startedAt: integer("started_at").notNull(),
  finishedAt: integer("finished_at"),
  /** JSON ImportReport (counts and first invalid reasons). */
  report: text("report", { mode: "json" }),
});
