import { messageOf, type Logger } from "../logging/logger";
import { openSource, SourceUnavailable, type SourceDeps } from "./source";
import { NotARelease, readRelease, TruncatedRelease } from "./release-stream";
import { applyChunk, urlsInText, type MalformedLine } from "./apply-chunk";
import type { SyncCounts } from "./schema";

export const LOCK_TTL_MS = 15 * 60_000;
export const DEFAULT_CHUNK_SIZE = 250;
const MAX_CHUNK_BYTES = 400_000;
/** No real entry comes near this (the largest are a few KB); a bigger one is malformed. */
const MAX_ENTRY_BYTES = 100_000;
const utf8 = new TextEncoder();

export interface SyncOptions extends SourceDeps {
  db: D1Database;
  /**
   * The cache invalidation: told once per step which anime its committed chunks and its
   * orphan pass changed (also when the step fails after committing some). A rejection is
   * logged, never fails the step.
   */
  invalidate: (ids: number[]) => Promise<void>;
  now: () => number;
  /** Where the engine reports what it survives (a failed invalidation); the composition root passes the job's logger. */
  log?: Logger;
  chunkSize?: number;
  /**
   * A release listing fewer than (1 − this) × the active catalog fails instead of orphaning
   * the rest: a source cut at a line boundary looks complete, and would hide most anime.
   */
  maxOrphanShare: number;
  /** Called after chunk k committed; a test throws here to interrupt a run. */
  afterChunk?: (k: number) => void;
}

export interface SyncRunRow {
  id: number;
  trigger: string;
  source: string;
  status: "running" | "succeeded" | "skipped" | "failed";
  phase: "fetch" | "apply" | "finalize" | "done";
  source_last_update: string | null;
  source_etag: string | null;
  chunks_total: number | null;
  next_chunk: number;
  counts: string;
  error: string | null;
  started_at: number;
  heartbeat_at: number;
  finished_at: number | null;
}

export const ZERO_COUNTS: SyncCounts = { read: 0, added: 0, updated: 0, skipped: 0, flagged: 0, invalid: 0, orphaned: 0, resurrected: 0, merged: 0, split: 0 };
const chunkKey = (run: number, k: number) => `sync/runs/${run}/chunk-${String(k).padStart(5, "0")}.json`;

/**
 * A sync of the catalog with one anime-offline-database release, in resumable steps:
 *  fetch    — read the source once, stage it in R2 as chunks of raw entries (nothing written
 *             to the catalog: an unreachable, truncated or implausibly small source fails here);
 *  apply    — one chunk per D1 transaction, the cursor advancing in the same transaction
 *             (src/sync/apply-chunk.ts has the rules);
 *  finalize — orphan every active anime the release did not list, close the run.
 * `step` does as much as fits in a time budget and says whether more is left; any caller
 * (the sync Durable Object's alarm, a test) can call it again after a failure and it goes on
 * from the last committed chunk. One run at a time: `begin` refuses while another run's
 * heartbeat is younger than LOCK_TTL_MS, and fails a run whose lock expired.
 */
export class SyncEngine {
  constructor(private readonly o: SyncOptions) {}

  async begin(trigger: string, source: string): Promise<{ run: SyncRunRow; started: boolean }> {
    const now = this.o.now();
    await this.o.db
      .prepare("UPDATE sync_run SET status = 'failed', phase = 'done', error = 'lock expired: the run stopped sending heartbeats', finished_at = ?1 WHERE status = 'running' AND heartbeat_at < ?2")
      .bind(now, now - LOCK_TTL_MS)
      .run();
    for (let attempt = 0; ; attempt++) {
      const result = await this.tryBegin(trigger, source, now);
      if (result || attempt >= 2) return result ?? Promise.reject(new Error("sync: the lock kept changing hands"));
    }
  }

  /** One attempt: a new run, or the running one; null when the running one finished in between. */
  private async tryBegin(trigger: string, source: string, now: number): Promise<{ run: SyncRunRow; started: boolean } | null> {
    const created = await this.o.db
      .prepare(
        `INSERT INTO sync_run (trigger, source, status, phase, counts, started_at, heartbeat_at)
         SELECT ?1, ?2, 'running', 'fetch', ?3, ?4, ?4 WHERE NOT EXISTS (SELECT 1 FROM sync_run WHERE status = 'running') RETURNING *`,
      )
      .bind(trigger, source, JSON.stringify(ZERO_COUNTS), now)
      .first<SyncRunRow>();
    if (created) return { run: created, started: true };
    const running = await this.o.db.prepare("SELECT * FROM sync_run WHERE status = 'running'").first<SyncRunRow>();
    return running ? { run: running, started: false } : null;
  }

  async get(id: number): Promise<SyncRunRow | null> {
    return this.o.db.prepare("SELECT * FROM sync_run WHERE id = ?1").bind(id).first<SyncRunRow>();
  }

  /**
   * Runs `id` on for about `budgetMs`; true while more steps are needed. The cache is
   * invalidated once, at the end of the step, for everything its committed chunks changed —
   * KV takes one write of the catalog generation per second, a step may commit dozens of
   * chunks — and also when the step fails after committing some.
   */
  async step(id: number, budgetMs: number): Promise<boolean> {
    const until = Date.now() + budgetMs;
    const changed = new Set<number>();
    try {
      for (;;) {
        const run = await this.get(id);
        if (!run || run.status !== "running") return false;
        if (run.phase === "fetch") await this.stage(run);
        else if (run.phase === "apply") {
          if (run.next_chunk >= (run.chunks_total ?? 0)) await this.setPhase(id, "finalize");
          else {
            for (const a of await applyChunk(this.o, run, await this.chunk(run))) changed.add(a);
            this.o.afterChunk?.(run.next_chunk);
          }
        } else if (run.phase === "finalize") {
          await this.finalize(run, changed);
          return false;
        } else return false;
        if (Date.now() >= until) return true;
      }
    } finally {
      if (changed.size > 0) await this.invalidate(id, [...changed]);
    }
  }

  /**
   * Committed whatever happens here: a failed invalidation is logged, not thrown (over the
   * step's own error, or failing a step whose chunks committed). The invalidator retries its
   * KV writes itself; entity copies expire with their TTL.
   */
  private async invalidate(run: number, ids: number[]): Promise<void> {
    await this.o.invalidate(ids).catch((err: unknown) => this.o.log?.warn("sync.invalidate_failed", { sync_run: run, message: messageOf(err) }));
  }

  /** Ends a run that cannot go on (the driver gave up retrying); the catalog keeps what committed. */
  async fail(id: number, error: string): Promise<void> {
    await this.o.db.prepare("UPDATE sync_run SET status = 'failed', phase = 'done', error = ?2, finished_at = ?3 WHERE id = ?1 AND status = 'running'").bind(id, error.slice(0, 500), this.o.now()).run();
    const run = await this.get(id);
    if (run) await this.discard(id, run.chunks_total ?? run.next_chunk);
  }

  private async setPhase(id: number, phase: SyncRunRow["phase"]): Promise<void> {
    await this.o.db.prepare("UPDATE sync_run SET phase = ?2, heartbeat_at = ?3 WHERE id = ?1").bind(id, phase, this.o.now()).run();
  }

  private async chunk(run: SyncRunRow): Promise<unknown[]> {
    const obj = await this.o.bucket.get(chunkKey(run.id, run.next_chunk));
    if (!obj) throw new Error(`staged chunk ${run.next_chunk} of run ${run.id} is missing`);
    return obj.json<unknown[]>();
  }

  /** The fetch phase: change detection, then the release staged in R2 chunks. */
  private async stage(run: SyncRunRow): Promise<void> {
    // The release's lastUpdate names it wherever it was read from; an ETag only for one source.
    const last = await this.o.db
      .prepare("SELECT source, source_last_update, source_etag FROM sync_run WHERE status = 'succeeded' ORDER BY id DESC LIMIT 1")
      .first<{ source: string; source_last_update: string | null; source_etag: string | null }>();
    const counts = { ...ZERO_COUNTS };
    let lastUpdate: string | null = null;
    let chunks = 0;
    await this.discardPrefix(run.id); // a retried stage, or a reused run id, starts clean
    try {
      const opened = await openSource(run.source, last?.source === run.source ? last.source_etag : null, this.o);
      if (opened.kind === "not_modified") return await this.finish(run.id, "skipped", counts, { etag: opened.etag, lastUpdate: last?.source_last_update ?? null, error: "unchanged: the source's ETag matches the last successful run" });
      let unchanged = false;
      let batch: unknown[] = [];
      let batchBytes = 0;
      let listed = 0;
      const flush = async () => {
        if (batch.length === 0) return;
        await this.o.bucket.put(chunkKey(run.id, chunks++), JSON.stringify(batch));
        batch = [];
        batchBytes = 0;
      };
      for await (const item of readRelease(opened.body, opened, (u) => {
        lastUpdate = u;
        unchanged = u !== null && u === last?.source_last_update;
      })) {
        if (unchanged) break;
        counts.read++;
        const json = item.kind === "entry" ? JSON.stringify(item.value) : "";
        const bytes = utf8.encode(json).byteLength;
        if (item.kind === "malformed" || bytes > MAX_ENTRY_BYTES) {
          counts.invalid++;
          // Its anime stays listed if its URLs can be read: a cut line must not orphan it.
          const urls = urlsInText(item.kind === "malformed" ? item.text : json);
          if (urls.length === 0) continue;
          batch.push({ __malformed: true, urls } satisfies MalformedLine);
          listed++;
          continue;
        }
        if (Array.isArray((item.value as { sources?: unknown } | null)?.sources)) listed++;
        // A chunk travels to D1 as JSON parameters (a value is capped at ~1 MB): flush first
        // when this entry would take the chunk past MAX_CHUNK_BYTES.
        if (batchBytes + bytes > MAX_CHUNK_BYTES) await flush();
        batch.push(item.value);
        batchBytes += bytes;
        if (batch.length >= (this.o.chunkSize ?? DEFAULT_CHUNK_SIZE)) await flush();
      }
      if (unchanged) {
        await opened.body.cancel().catch(() => undefined);
        await this.discard(run.id, chunks);
        return await this.finish(run.id, "skipped", counts, { etag: opened.etag, lastUpdate, error: `unchanged: the source's lastUpdate (${lastUpdate}) matches the last successful run` });
      }
      await flush();
      const { active } = (await this.o.db.prepare("SELECT count(*) AS active FROM anime WHERE system_status = 'ACTIVE'").first<{ active: number }>())!;
      if (listed === 0 || listed < (1 - this.o.maxOrphanShare) * active) {
        throw new SourceUnavailable(`the release lists ${listed} entries with source URLs against ${active} active anime: more than ${Math.round(this.o.maxOrphanShare * 100)} % would be orphaned (SYNC_MAX_ORPHAN_SHARE)`);
      }
      await this.o.db
        .prepare("UPDATE sync_run SET phase = 'apply', chunks_total = ?2, next_chunk = 0, counts = ?3, source_last_update = ?4, source_etag = ?5, heartbeat_at = ?6 WHERE id = ?1")
        .bind(run.id, chunks, JSON.stringify(counts), lastUpdate, opened.etag, this.o.now())
        .run();
    } catch (err) {
      if (!(err instanceof SourceUnavailable || err instanceof TruncatedRelease || err instanceof NotARelease)) throw err;
      await this.discard(run.id, chunks);
      await this.finish(run.id, "failed", counts, { etag: null, lastUpdate, error: err.message });
    }
  }

  /**
   * The finalize phase: everything active the release did not list is orphaned, in the same
   * transaction that closes the run (so a retry can neither orphan twice nor lose the count).
   * The orphaned ids go into `changed` as soon as they commit (the step invalidates them).
   */
  private async finalize(run: SyncRunRow, changed: Set<number>): Promise<void> {
    const now = this.o.now();
    const [orphaned] = await this.o.db.batch<{ id: number }>([
      this.o.db
        .prepare("UPDATE anime SET system_status = 'ORPHANED', orphaned_at = ?2, updated_at = ?2 WHERE system_status = 'ACTIVE' AND (sync_run IS NULL OR (sync_run <> ?1 AND sync_run <> -?1)) RETURNING id")
        .bind(run.id, now),
      // Open review items of anime no longer in the source are moot.
      this.o.db
        .prepare("UPDATE review_item SET status = 'superseded', decided_at = ?1 WHERE status = 'open' AND anime_id IN (SELECT id FROM anime WHERE system_status = 'ORPHANED')")
        .bind(now),
      this.o.db
        // Orphaned by this run: here, and earlier by a merge that took an anime's last URL.
        .prepare(
          `UPDATE sync_run SET status = 'succeeded', phase = 'done', finished_at = ?2,
             counts = json_set(counts, '$.orphaned', (SELECT count(*) FROM anime WHERE system_status = 'ORPHANED' AND orphaned_at >= sync_run.started_at))
           WHERE id = ?1`,
        )
        .bind(run.id, now),
    ]);
    for (const r of orphaned.results) changed.add(r.id);
    await this.discard(run.id, run.chunks_total ?? 0);
  }

  private async finish(id: number, status: "succeeded" | "skipped" | "failed", counts: SyncCounts, r: { etag: string | null; lastUpdate: string | null; error: string | null }): Promise<void> {
    await this.o.db
      .prepare("UPDATE sync_run SET status = ?2, phase = 'done', counts = ?3, source_etag = ?4, source_last_update = ?5, error = ?6, finished_at = ?7 WHERE id = ?1")
      .bind(id, status, JSON.stringify(counts), r.etag, r.lastUpdate, r.error, this.o.now())
      .run();
  }

  private async discardPrefix(run: number): Promise<void> {
    for (;;) {
      const page = await this.o.bucket.list({ prefix: `sync/runs/${run}/` });
      if (page.objects.length === 0) return;
      await this.o.bucket.delete(page.objects.map((o) => o.key));
    }
  }

  private async discard(run: number, chunks: number): Promise<void> {
    const keys = Array.from({ length: chunks }, (_, k) => chunkKey(run, k));
    for (let i = 0; i < keys.length; i += 1000) await this.o.bucket.delete(keys.slice(i, i + 1000));
  }
}
