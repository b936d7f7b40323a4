import { parseEntry } from "../catalog/entry";
import { planBatch, type ImportReport, type Pending, type RunClaims } from "../catalog/import/importer";
import { writeBatch, type PlannedWrite } from "../catalog/import/write-batch";
import { contentHash } from "../catalog/import/content-hash";
import { parseSourceUrl } from "../catalog/sources";
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
 * - a status change, or more episodes than we hold → a review item for those two fields
 *   (not when ours were unknown: UNKNOWN status, 0 episodes — filling them in is written),
 *   which stay ours until approved (the rest of the entry, URLs included, is written);
 * - an orphan that reappears → active again (written, never held for review);
 * - identity by source URLs: the entry keeps the id of the anime holding most of its URLs;
 *   a merge (URLs of several anime) and a split (URLs of an anime an earlier entry of this
 *   run took) are recorded in sync_event.
 * Entries that vanished are orphaned by the engine's finalize phase; an entry that failed
 * validation still counts as listed (its anime is kept, not orphaned for a bad line).
 *
 * Returns the ids of the anime the committed chunk changed: the engine invalidates the cache
 * for them once per step, not per chunk.
 */
export async function applyChunk(o: SyncOptions, run: SyncRunRow, raw: unknown[]): Promise<number[]> {
  const now = o.now();
  const counts = JSON.parse(run.counts) as SyncCounts;
  const report: ImportReport = { source: run.source, total: 0, inserted: 0, updated: 0, unchanged: 0, invalid: 0, invalidSamples: [], batches: 0, durationMs: 0 };
  const pending: Pending[] = [];
  /** URLs of entries that failed validation: their anime are still listed, so never orphaned for it. */
  const listedInvalid: string[] = [];
  raw.forEach((value, index) => {
    if (isMalformedLine(value)) return void listedInvalid.push(...value.urls); // counted when staged
    const parsed = parseEntry(value);
    // A release holds offline-database entries only: another shape is invalid here.
    if (parsed.ok && parsed.offline) pending.push({ index, entry: parsed.entry, missing: parsed.missing, enriched: false });
    else {
      report.invalid++;
      listedInvalid.push(...urlsOf(value));
    }
  });

  const plan = await planBatch(o.db, pending, await claimsOf(o.db, run.id, pending), report);
  const writes: PlannedWrite[] = [];
  const reviews: { id: number; reasons: string[]; proposed: unknown }[] = [];
  let resurrected = 0;
  let updated = 0;
  for (const w of plan.writes) {
    const stored = plan.stored.get(w.id);
    if (!w.isNew && stored?.systemStatus === "ORPHANED") resurrected++;
    const reasons: string[] = [];
    // Filling in what we did not know (UNKNOWN status, 0 = unknown episodes) is no change to
    // review: most gap-filled entries of the sample start that way.
    if (stored && stored.systemStatus === "ACTIVE") {
      if (stored.status !== w.entry.status && stored.status !== "UNKNOWN") reasons.push(`status: ${stored.status} → ${w.entry.status}`);
      if (w.entry.episodes > stored.episodes && stored.episodes > 0) reasons.push(`episodes: ${stored.episodes} → ${w.entry.episodes}`);
    }
    if (reasons.length === 0) {
      writes.push(w);
      if (!w.isNew && stored?.systemStatus !== "ORPHANED") updated++;
      continue;
    }
    // Held for review: status and episodes stay ours; everything else (URLs, a merge, the
    // other fields) is written now, so identity never depends on a person.
    reviews.push({ id: w.id, reasons, proposed: w.entry });
    const entry = { ...w.entry, status: stored!.status, episodes: stored!.episodes };
    const hash = await contentHash(entry);
    if (hash !== stored!.contentHash || w.entry.sources.join() !== stored!.sources.join()) {
      writes.push({ ...w, entry, hash });
      updated++;
    }
  }

  counts.added += writes.filter((w) => w.isNew).length;
  counts.updated += updated;
  counts.resurrected += resurrected;
  counts.skipped += plan.unchanged;
  counts.flagged += reviews.length;
  counts.invalid += report.invalid;
  counts.merged += plan.events.filter((e) => e.kind === "merge").length;
  counts.split += plan.events.filter((e) => e.kind === "split").length;

  const db = o.db;
  const flagged = new Set(reviews.map((r) => r.id));
  const alongside = [
    // The cursor first, guarded: a chunk applied already (a lost response, a run failed by
    // lock expiry) aborts the whole transaction instead of landing twice.
    db
      .prepare("UPDATE sync_run SET next_chunk = next_chunk + 1, counts = ?2, heartbeat_at = ?3 WHERE id = ?1 AND next_chunk = ?4 AND status = 'running'")
      .bind(run.id, JSON.stringify(counts), now, run.next_chunk),
    abortUnlessChanged(db),
    db.prepare("UPDATE anime SET sync_run = ?1 WHERE id IN (SELECT value FROM json_each(?2))").bind(run.id, JSON.stringify(plan.seen.map((s) => s.id))),
    db.prepare("UPDATE anime_source SET sync_run = ?1 WHERE url IN (SELECT value FROM json_each(?2))").bind(run.id, JSON.stringify(plan.seen.flatMap((s) => s.sources))),
    db
      .prepare("UPDATE anime SET sync_run = -?1 WHERE (sync_run IS NULL OR sync_run <> ?1) AND id IN (SELECT anime_id FROM anime_source WHERE url IN (SELECT value FROM json_each(?2)))")
      .bind(run.id, JSON.stringify(listedInvalid)),
    db
      .prepare(
        // A change a person rejected is not asked about again (the same reasons).
        `INSERT INTO review_item (anime_id, run_id, status, reasons, proposed, created_at)
         SELECT j.value ->> '$.id', ?1, 'open', j.value ->> '$.reasons', j.value ->> '$.proposed', ?2 FROM json_each(?3) AS j
         WHERE NOT EXISTS (SELECT 1 FROM review_item r WHERE r.anime_id = j.value ->> '$.id' AND r.status = 'rejected' AND r.reasons = j.value ->> '$.reasons')
         ON CONFLICT (anime_id) WHERE status = 'open' DO UPDATE SET run_id = excluded.run_id, reasons = excluded.reasons, proposed = excluded.proposed`,
      )
      .bind(run.id, now, JSON.stringify(reviews.map((r) => ({ id: r.id, reasons: JSON.stringify(r.reasons), proposed: JSON.stringify(r.proposed) })))),
    // An open item whose anime the source now agrees with us on is moot.
    db
      .prepare("UPDATE review_item SET status = 'superseded', decided_at = ?1 WHERE status = 'open' AND anime_id IN (SELECT value FROM json_each(?2))")
      .bind(now, JSON.stringify(plan.seen.map((s) => s.id).filter((id) => !flagged.has(id)))),
    db
      .prepare(
        `INSERT OR IGNORE INTO sync_event (run_id, kind, anime_id, others)
         SELECT ?1, j.value ->> '$.kind', j.value ->> '$.animeId', j.value ->> '$.others' FROM json_each(?2) AS j`,
      )
      .bind(run.id, JSON.stringify(plan.events.map((e) => ({ ...e, others: JSON.stringify(e.others) })))),
  ];
  await writeBatch(db, writes, plan.touched, now, alongside);
  return [...writes.map((w) => w.id), ...(writes.length ? plan.touched : [])];
}

/**
 * A statement that fails — rolling back the whole D1 batch — when the statement before it
 * changed no row: D1 has no conditional transactions, but an error aborts the batch.
 */
export const abortUnlessChanged = (db: D1Database) => db.prepare("SELECT CASE WHEN changes() = 0 THEN json('stale: the guarded row did not change') END");

/** A line of the release that was not JSON, staged for the source URLs that could be read from it. */
export interface MalformedLine {
  __malformed: true;
  urls: string[];
}
const isMalformedLine = (v: unknown): v is MalformedLine => typeof v === "object" && v !== null && (v as MalformedLine).__malformed === true;

/** Source-like URLs in the text of a line that is not JSON (its anime stays listed). */
export function urlsInText(text: string): string[] {
  return [...new Set([...text.matchAll(/https?:\/\/[^"\s,\]]+/g)].map((m) => parseSourceUrl(m[0])?.url).filter((u): u is string => u !== undefined))];
}

/** The canonical source URLs an entry lists, whatever else is wrong with it. */
function urlsOf(value: unknown): string[] {
  const sources = (value as { sources?: unknown } | null)?.sources;
  if (!Array.isArray(sources)) return [];
  return sources.flatMap((u) => (typeof u === "string" ? [parseSourceUrl(u)?.url ?? u] : []));
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
