import { index, integer, sqliteTable, text, uniqueIndex } from "drizzle-orm/sqlite-core";
import { sql } from "drizzle-orm";

export const SYNC_STATUSES = ["running", "succeeded", "skipped", "failed"] as const;
export const SYNC_PHASES = ["fetch", "apply", "finalize", "done"] as const;
/** superseded: a later run found the source agreeing with us again, or orphaned the anime. */
export const REVIEW_STATUSES = ["open", "approved", "rejected", "superseded"] as const;

/** Counts of one sync run (src/sync/engine.ts says what each means). */
export interface SyncCounts {
  read: number;
  added: number;
  updated: number;
  skipped: number;
  flagged: number;
  invalid: number;
  orphaned: number;
  resurrected: number;
  merged: number;
  split: number;
}

/**
 * One sync run from the anime-offline-database release. `next_chunk` is the durable cursor:
 * it advances in the same D1 transaction as the chunk's writes, so a chunk's effects land
 * exactly once whatever is interrupted.
 */
export const syncRun = sqliteTable(
  "sync_run",
  {
    id: integer("id").primaryKey(),
    trigger: text("trigger").notNull(),
    source: text("source").notNull(),
    status: text("status", { enum: SYNC_STATUSES }).notNull(),
    phase: text("phase", { enum: SYNC_PHASES }).notNull(),
    sourceLastUpdate: text("source_last_update"),
    sourceEtag: text("source_etag"),
    chunksTotal: integer("chunks_total"),
    nextChunk: integer("next_chunk").notNull().default(0),
    counts: text("counts", { mode: "json" }).$type<SyncCounts>().notNull(),
    error: text("error"),
    startedAt: integer("started_at").notNull(),
    /** Last sign of life of a running run: the lock it holds expires LOCK_TTL_MS after it. */
    heartbeatAt: integer("heartbeat_at").notNull(),
    finishedAt: integer("finished_at"),
  },
  (t) => [index("sync_run_status_idx").on(t.status, t.id)],
);

/** Merges and splits a run found in the source, and which anime they touched. */
export const syncEvent = sqliteTable(
  "sync_event",
  {
    id: integer("id").primaryKey(),
    runId: integer("run_id").notNull(),
    kind: text("kind", { enum: ["merge", "split"] }).notNull(),
    animeId: integer("anime_id").notNull(),
    /** The other anime: merged into `anime_id`, or split from. */
    others: text("others", { mode: "json" }).$type<number[]>().notNull(),
  },
  (t) => [uniqueIndex("sync_event_key").on(t.runId, t.kind, t.animeId)],
);

/**
 * A change the sync would not make on its own (a status change, more episodes than we hold):
 * held for a person. At most one open item per anime — a later run refreshes its proposal.
 */
export const reviewItem = sqliteTable(
  "review_item",
  {
    id: integer("id").primaryKey(),
    animeId: integer("anime_id").notNull(),
    runId: integer("run_id").notNull(),
    status: text("status", { enum: REVIEW_STATUSES }).notNull(),
    reasons: text("reasons", { mode: "json" }).$type<string[]>().notNull(),
    /** The source's entry (CatalogEntry JSON), as the sync would have written it. */
    proposed: text("proposed", { mode: "json" }).notNull(),
    createdAt: integer("created_at").notNull(),
    decidedAt: integer("decided_at"),
  },
  (t) => [uniqueIndex("review_item_open_idx").on(t.animeId).where(sql`status = 'open'`), index("review_item_status_idx").on(t.status, t.id)],
);
