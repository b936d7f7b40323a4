import { contentHash } from "../catalog/import/content-hash";
import { writeBatch } from "../catalog/import/write-batch";
import { loadStoredRows } from "../catalog/import/stored-entry";
import { rowOf } from "./snapshot";
import type { CatalogEntry } from "../catalog/entry";
import { ApiError, notFound } from "../errors/api-error";
import type { SyncRunRow } from "./engine";
import type { REVIEW_STATUSES, SyncCounts } from "./schema";
import type { SyncObject } from "./sync-object";

/** A run as the admin API shows it. */
export interface SyncRunView {
  id: number;
  trigger: string;
  source: string;
  status: SyncRunRow["status"];
  phase: SyncRunRow["phase"];
  source_last_update: string | null;
  chunks: { done: number; total: number | null };
  counts: SyncCounts;
  error: string | null;
  started_at: string;
  finished_at: string | null;
  duration_ms: number | null;
}

export interface ReviewView {
  id: number;
  anime_id: number;
  run_id: number;
  status: (typeof REVIEW_STATUSES)[number];
  reasons: string[];
  proposed: CatalogEntry;
  current: { title: string; status: string; episodes: number; system_status: string } | null;
  created_at: string;
  decided_at: string | null;
}

/** Fields an approval may change in the proposed entry (the rest is the source's). */
export type ReviewEdits = Partial<Pick<CatalogEntry, "title" | "type" | "episodes" | "status" | "season" | "year" | "synonyms" | "genres" | "studios">>;

const iso = (ms: number | null) => (ms === null ? null : new Date(ms).toISOString());

export const runView = (r: SyncRunRow): SyncRunView => ({
  id: r.id, trigger: r.trigger, source: r.source, status: r.status, phase: r.phase, source_last_update: r.source_last_update,
  chunks: { done: r.next_chunk, total: r.chunks_total }, counts: JSON.parse(r.counts) as SyncCounts, error: r.error,
  started_at: iso(r.started_at)!, finished_at: iso(r.finished_at), duration_ms: r.finished_at === null ? null : r.finished_at - r.started_at,
});

interface ReviewRow {
  id: number; anime_id: number; run_id: number; status: ReviewView["status"]; reasons: string; proposed: string; created_at: number; decided_at: number | null;
  title: string | null; cur_status: string | null; episodes: number | null; system_status: string | null;
}
const REVIEW_SELECT = `SELECT r.*, a.title, a.status AS cur_status, a.episodes, a.system_status FROM review_item r LEFT JOIN anime a ON a.id = r.anime_id`;
const reviewView = (r: ReviewRow): ReviewView => ({
  id: r.id, anime_id: r.anime_id, run_id: r.run_id, status: r.status, reasons: JSON.parse(r.reasons) as string[], proposed: JSON.parse(r.proposed) as CatalogEntry,
  current: r.title === null ? null : { title: r.title, status: r.cur_status!, episodes: r.episodes!, system_status: r.system_status! },
  created_at: iso(r.created_at)!, decided_at: iso(r.decided_at),
});

/** Sync runs and the review queue, for the admin routes. */
export class SyncService {
  constructor(
    private readonly db: D1Database,
    private readonly driver: Pick<SyncObject, "start">,
    private readonly invalidate: (ids: number[]) => Promise<void>,
  ) {}

  /** Starts a run through the driver object; `started: false` means one is already running (that one is returned). */
  async start(source: string): Promise<{ run: SyncRunView; started: boolean }> {
    const { run, started } = await this.driver.start("admin", source);
    return { run: runView(run), started };
  }

  async runs(limit: number, before?: number): Promise<SyncRunView[]> {
    const { results } = await this.db.prepare("SELECT * FROM sync_run WHERE id < ?1 ORDER BY id DESC LIMIT ?2").bind(before ?? Number.MAX_SAFE_INTEGER, limit).all<SyncRunRow>();
    return results.map(runView);
  }

  async run(id: number): Promise<(SyncRunView & { events: { kind: "merge" | "split"; anime_id: number; others: number[] }[] }) | null> {
    const row = await this.db.prepare("SELECT * FROM sync_run WHERE id = ?1").bind(id).first<SyncRunRow>();
    if (!row) return null;
    const { results } = await this.db.prepare("SELECT kind, anime_id, others FROM sync_event WHERE run_id = ?1 ORDER BY id LIMIT 1000").bind(id).all<{ kind: "merge" | "split"; anime_id: number; others: string }>();
    return { ...runView(row), events: results.map((e) => ({ ...e, others: JSON.parse(e.others) as number[] })) };
  }

  async reviews(status: ReviewView["status"], limit: number, after?: number): Promise<ReviewView[]> {
    const { results } = await this.db.prepare(`${REVIEW_SELECT} WHERE r.status = ?1 AND r.id > ?2 ORDER BY r.id LIMIT ?3`).bind(status, after ?? 0, limit).all<ReviewRow>();
    return results.map(reviewView);
  }

  async review(id: number): Promise<ReviewView | null> {
    const row = await this.db.prepare(`${REVIEW_SELECT} WHERE r.id = ?1`).bind(id).first<ReviewRow>();
    return row ? reviewView(row) : null;
  }

  /**
   * Applies what the item held back — the proposed status and episodes, with `edits` — to the
   * anime as it is now (its URLs, synopsis and other fields are the current ones, not the
   * proposal's copy), and closes the item, in one transaction that aborts if the item was
   * decided meanwhile. An anime orphaned since cannot be approved (409).
   */
  async approve(id: number, edits: ReviewEdits, now: number): Promise<ReviewView> {
    const item = await this.open(id);
    const row = (await loadStoredRows(this.db, [item.anime_id])).get(item.anime_id);
    if (!row || row.systemStatus !== "ACTIVE") throw new ApiError("conflict", `Anime ${item.anime_id} is no longer in the source (orphaned); review item ${id} cannot be approved.`);
    const entry: CatalogEntry = { ...rowOf(row).entry, status: item.proposed.status, episodes: item.proposed.episodes, ...edits };
    const db = this.db;
    // First in the transaction: nothing changed since the reads above (a decision, a sync
    // chunk re-flagging the item or writing the anime) — else the whole approval aborts.
    const unchanged = db
      .prepare(
        `SELECT CASE WHEN NOT EXISTS (SELECT 1 FROM review_item WHERE id = ?1 AND status = 'open' AND run_id = ?2)
           OR NOT EXISTS (SELECT 1 FROM anime WHERE id = ?3 AND updated_at = ?4 AND system_status = 'ACTIVE') THEN json('stale: changed meanwhile') END`,
      )
      .bind(id, item.run_id, item.anime_id, row.updatedAt);
    const decide = db.prepare("UPDATE review_item SET status = 'approved', decided_at = ?2, proposed = ?3 WHERE id = ?1").bind(id, now, JSON.stringify(entry));
    try {
      await writeBatch(db, [{ id: item.anime_id, entry, hash: await contentHash(entry), isNew: false }], [], now, [decide], [unchanged]);
    } catch (err) {
      // The check aborted the batch when something changed: read the state again to tell a
      // conflict (409) from a failure of ours.
      await this.open(id); // decided meanwhile → 409 naming the decision
      const current = await this.db.prepare("SELECT r.run_id, a.updated_at, a.system_status FROM review_item r JOIN anime a ON a.id = r.anime_id WHERE r.id = ?1").bind(id).first<{ run_id: number; updated_at: number; system_status: string }>();
      if (!current || current.run_id !== item.run_id || current.updated_at !== row.updatedAt || current.system_status !== "ACTIVE") {
        throw new ApiError("conflict", `Review item ${id} or its anime changed while it was being approved; read it again.`);
      }
      throw err;
    }
    await this.invalidate([item.anime_id]);
    return (await this.review(id))!;
  }

  async reject(id: number, now: number): Promise<ReviewView> {
    await this.open(id);
    const { meta } = await this.db.prepare("UPDATE review_item SET status = 'rejected', decided_at = ?2 WHERE id = ?1 AND status = 'open'").bind(id, now).run();
    if (meta.changes === 0) await this.open(id); // decided meanwhile → 409
    return (await this.review(id))!;
  }

  private async open(id: number): Promise<ReviewView> {
    const item = await this.review(id);
    if (!item) throw notFound(`No review item has id ${id}.`);
    if (item.status !== "open") throw new ApiError("conflict", `Review item ${id} was already ${item.status}.`);
    return item;
  }
}
