import { integer, sqliteTable, text } from "drizzle-orm/sqlite-core";
import { anime } from "../catalog/schema";

/**
 * Normalised names of an anime, computed in TypeScript (see keyword/normalize.ts: SQLite
 * cannot fold "Re:Zero" or spell out macrons) and written beside the anime in the same
 * batch. Triggers in migrations/0003_search_fts.sql mirror every change into the FTS5
 * tables, so the keyword index can never disagree with this table.
 */
export const animeSearchText = sqliteTable("anime_search_text", {
  animeId: integer("anime_id")
    .primaryKey()
    .references(() => anime.id),
  /** NORMALISER_VERSION that produced the row; an older version is rebuilt by reindex. */
  version: integer("version").notNull(),
  /** Normal forms of the title, space separated. */
  title: text("title").notNull(),
  /** Normal forms of the synonyms, " | " separated. */
  synonyms: text("synonyms").notNull(),
  /** Adjacent word pairs run together, for "rezero". */
  joined: text("joined").notNull(),
  /** JSON array of compact names (title first), one trigram row each, at most 64. */
  names: text("names", { mode: "json" }).$type<string[]>().notNull(),
  /** Tags and studios, ", " separated (anime_about_fts, migrations/0014_search_about.sql). */
  aboutTags: text("about_tags").notNull().default(""),
  /** The synopsis, "" when none. */
  aboutText: text("about_text").notNull().default(""),
});

/**
 * What the vector index holds for each anime: the content hash, system status and embedding
 * model of the vector last written. All three equal → nothing to embed. (Orphaning changes
 * the status but not the content hash, and the status is vector metadata.)
 */
export const searchVectorState = sqliteTable("search_vector_state", {
  animeId: integer("anime_id")
    .primaryKey()
    .references(() => anime.id),
  model: text("model").notNull(),
  contentHash: text("content_hash").notNull(),
  systemStatus: text("system_status").notNull(),
  indexedAt: integer("indexed_at").notNull(),
});
