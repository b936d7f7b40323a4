import { index, integer, primaryKey, sqliteTable, text, uniqueIndex } from "drizzle-orm/sqlite-core";
import { TIER_NAMES } from "./tiers";

/**
 * API keys. The key itself is never stored: only its SHA-256 (hex) and its first characters
 * (`prefix`, to recognise a key in lists and logs). Revoked keys stay, with `revoked_at`.
 */
export const apiKey = sqliteTable(
  "api_key",
  {
    id: integer("id").primaryKey(),
    prefix: text("prefix").notNull(),
    hash: text("hash").notNull(),
    name: text("name").notNull(),
    tier: text("tier", { enum: TIER_NAMES }).notNull(),
    owner: text("owner"),
    createdAt: integer("created_at").notNull(),
    updatedAt: integer("updated_at").notNull(),
    revokedAt: integer("revoked_at"),
  },
  (t) => [uniqueIndex("api_key_hash_idx").on(t.hash), index("api_key_prefix_idx").on(t.prefix)],
);

/** Requests per caller per UTC day, rolled up from the quota objects (subject: `key:<id>` or `ip:<address>`). */
export const usageDaily = sqliteTable(
  "usage_daily",
  {
    subject: text("subject").notNull(),
    day: text("day").notNull(),
    requests: integer("requests").notNull(),
    queries: integer("queries").notNull(),
  },
  (t) => [primaryKey({ columns: [t.subject, t.day] })],
);
