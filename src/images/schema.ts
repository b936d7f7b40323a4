import { index, integer, sqliteTable, text, uniqueIndex } from "drizzle-orm/sqlite-core";

export const IMAGE_STATUSES = ["stored", "failed", "dead"] as const;

/**
 * One image URL of the catalog (an anime's picture or thumbnail) and what became of it:
 * `stored` → `r2_key` (images/<sha256 of the bytes>.<ext>, shared by every URL with the same
 * bytes); `failed` → retried from `next_retry_at`; `dead` → a dead letter (a persistent
 * failure), retried weekly or by an admin. The anime keeps its original URL until `stored`.
 */
export const imageSource = sqliteTable(
  "image_source",
  {
    id: integer("id").primaryKey(),
    /** SHA-256 (hex) of the URL. */
    urlHash: text("url_hash").notNull(),
    url: text("url").notNull(),
    /** The first anime seen with this URL (for dead-letter reports). */
    animeId: integer("anime_id").notNull(),
    status: text("status", { enum: IMAGE_STATUSES }).notNull(),
    r2Key: text("r2_key"),
    contentType: text("content_type"),
    bytes: integer("bytes"),
    attempts: integer("attempts").notNull().default(0),
    lastError: text("last_error"),
    lastAttemptAt: integer("last_attempt_at"),
    nextRetryAt: integer("next_retry_at"),
    createdAt: integer("created_at").notNull(),
    updatedAt: integer("updated_at").notNull(),
  },
  (t) => [uniqueIndex("image_source_hash_idx").on(t.urlHash), uniqueIndex("image_source_url_idx").on(t.url), index("image_source_due_idx").on(t.status, t.nextRetryAt)],
);

/**
 * Which picture each anime's image vector was made from. The indexer compares it with the
 * catalog: a new anime, a changed picture or another model is (re)embedded; an anime orphaned
 * or without a stored picture loses its vector. `model` "unsupported": the picture cannot be
 * decoded locally (webp, gif, avif), so there is no vector, and it is not tried again.
 */
export const imageVectorState = sqliteTable("image_vector_state", {
  animeId: integer("anime_id").primaryKey(),
  pictureUrl: text("picture_url").notNull(),
  model: text("model").notNull(),
  indexedAt: integer("indexed_at").notNull(),
});
