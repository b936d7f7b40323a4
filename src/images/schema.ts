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
