import { parseEntry } from "../catalog/entry";
import { planBatch, type ImportReport, type Pending, type RunClaims } from "../catalog/import/importer";
import { writeBatch, type PlannedWrite } from "../catalog/import/write-batch";
import type { SyncCounts } from "./schema";
import type { SyncOptions, SyncRunRow } from "./engine";

/**
 * Applies one staged chunk of a run: one D1 transaction holding the chunk's writes, its
 * review items, its merge/split records, the "seen in this run" marks and the cursor's
 * advance — so the chunk's effects land exactly once, however often it is retried.
 *
 * Rules (README "Sync"):
 * - new entry → inserted (the search indexer embeds it: its content hash is new);
 * - existing entry → the fields the offline database owns are updated; our own (synopsis)
 *   are kept;
 * - a status change, or more episodes than we hold → a review item instead of the write;
 * - an orphan that reappears → active again (written, never held for review);
 * - identity by source URLs: the entry keeps the id of the anime holding most of its URLs;
 *   a merge (URLs of several anime) and a split (URLs of an anime an earlier entry of this
 *   run took) are recorded in sync_event.
 * Entries that vanished are orphaned by the engine's finalize phase.
 */
export async function applyChunk(o: SyncOptions, run: SyncRunRow, raw: unknown[]): Promise<void> {
  const now = o.now();
  const counts = JSON.parse(run.counts) as SyncCounts;
  const report: ImportReport = { source: run.source, total: 0, inserted: 0, updated: 0, unchanged: 0, invalid: 0, invalidSamples: [], batches: 0, durationMs: 0 };
  const pending: Pending[] = [];
  raw.forEach((value, index) => {
    const parsed = parseEntry(value);
    if (parsed.ok) pending.push({ index, entry: parsed.entry, missing: parsed.missing });
    else report.invalid++;
  });

  const plan = await planBatch(o.db, pending, await claimsOf(o.db, run.id, pending), report);
  const writes: PlannedWrite[] = [];
  const reviews: { id: number; reasons: string[]; proposed: unknown }[] = [];
  let resurrected = 0;
  for (const w of plan.writes) {
    const stored = plan.stored.get(w.id);
    if (!w.isNew && stored?.systemStatus === "ORPHANED") resurrected++;
    const reasons: string[] = [];
    if (stored && stored.systemStatus === "ACTIVE") {
      if (stored.status !== w.entry.status) reasons.push(`status: ${stored.status} → ${w.entry.status}`);
      if (w.entry.episodes > stored.episodes) reasons.push(`episodes: ${stored.episodes} → ${w.entry.episodes}`);
    }
    if (reasons.length > 0) reviews.push({ id: w.id, reasons, proposed: w.entry });
    else writes.push(w);
  }

  counts.added += writes.filter((w) => w.isNew).length;
  counts.updated += writes.filter((w) => !w.isNew).length - resurrected;
  counts.resurrected += resurrected;
  counts.skipped += plan.unchanged;
  counts.flagged += reviews.length;
  counts.invalid += report.invalid;
  counts.merged += plan.events.filter((e) => e.kind === "merge").length;
  counts.split += plan.events.filter((e) => e.kind === "split").length;

  const db = o.db;
  const alongside = [
    db.prepare("UPDATE anime SET sync_run = ?1 WHERE id IN (SELECT value FROM json_each(?2))").bind(run.id, JSON.stringify(plan.seen.map((s) => s.id))),
    db.prepare("UPDATE anime_source SET sync_run = ?1 WHERE url IN (SELECT value FROM json_each(?2))").bind(run.id, JSON.stringify(plan.seen.flatMap((s) => s.sources))),
    db
      .prepare(
        `INSERT INTO review_item (anime_id, run_id, status, reasons, proposed, created_at)
         SELECT j.value ->> '$.id', ?1, 'open', j.value ->> '$.reasons', j.value ->> '$.proposed', ?2 FROM json_each(?3) AS j WHERE true
         ON CONFLICT (anime_id) WHERE status = 'open' DO UPDATE SET run_id = excluded.run_id, reasons = excluded.reasons, proposed = excluded.proposed`,
      )
      .bind(run.id, now, JSON.stringify(reviews.map((r) => ({ id: r.id, reasons: JSON.stringify(r.reasons), proposed: JSON.stringify(r.proposed) })))),
    db
      .prepare(
        `INSERT OR IGNORE INTO sync_event (run_id, kind, anime_id, others)
         SELECT ?1, j.value ->> '$.kind', j.value ->> '$.animeId', j.value ->> '$.others' FROM json_each(?2) AS j`,
      )
      .bind(run.id, JSON.stringify(plan.events.map((e) => ({ ...e, others: JSON.stringify(e.others) })))),
    db
      .prepare("UPDATE sync_run SET next_chunk = next_chunk + 1, counts = ?2, heartbeat_at = ?3 WHERE id = ?1 AND next_chunk = ?4")
      .bind(run.id, JSON.stringify(counts), now, run.next_chunk),
  ];
  await writeBatch(db, writes, plan.touched, now, alongside);
  const changed = [...writes.map((w) => w.id), ...(writes.length ? plan.touched : [])];
  if (changed.length > 0) await o.invalidate(changed);
}

/** What earlier chunks of the run claimed among this chunk's URLs: the identity rules span the whole release. */
async function claimsOf(db: D1Database, run: number, pending: Pending[]): Promise<RunClaims> {
  const urls = [...new Set(pending.flatMap((p) => p.entry.sources))];
  const { results } = await db
    .prepare(
      `SELECT s.url, s.anime_id, s.sync_run AS url_run, a.sync_run AS anime_run FROM anime_source s JOIN anime a ON a.id = s.anime_id
       WHERE s.url IN (SELECT value FROM json_each(?1)) AND (s.sync_run = ?2 OR a.sync_run = ?2)`,
    )
    .bind(JSON.stringify(urls), run)
    .all<{ url: string; anime_id: number; url_run: number | null; anime_run: number | null }>();
  const claims: RunClaims = { urls: new Map(), ids: new Set() };
  for (const r of results) {
    if (r.url_run === run) claims.urls.set(r.url, r.anime_id);
    if (r.anime_run === run) claims.ids.add(r.anime_id);
  }
  return claims;
}
