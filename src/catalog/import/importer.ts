import { parseEntry, type CatalogEntry } from "../entry";
import { contentHash } from "./content-hash";
import { writeBatch, type PlannedWrite } from "./write-batch";

/** Counts of one import run. `invalidSamples` holds the first reasons, not all of them. */
export interface ImportReport {
  source: string;
  total: number;
  inserted: number;
  updated: number;
  unchanged: number;
  invalid: number;
  invalidSamples: { index: number; title?: string; reason: string }[];
  batches: number;
  durationMs: number;
}

export interface ImportOptions {
  /** Label stored in import_run (a file name, a release date). */
  source: string;
  /** Entries per atomic batch. */
  batchSize?: number;
  /** Called after each batch, for progress output. */
  onProgress?: (report: ImportReport) => void;
  /** Clock, for tests. */
  now?: () => number;
}

const MAX_INVALID_SAMPLES = 10;
export const DEFAULT_BATCH_SIZE = 250;

/**
 * Imports raw entries (offline-database or enriched shape) into the catalog.
 *
 * Contract: each entry is validated on its own (invalid ones are counted, never written);
 * an entry is matched to an existing anime through any of its source URLs and keeps that
 * anime's id; an entry whose content hash is unchanged costs no write, so importing the
 * same file twice reports 0 inserted and 0 updated; each batch is one D1 transaction.
 * Single writer: runs must not overlap (ids of new anime are allocated from max(id)).
 */
export async function importEntries(db: D1Database, entries: AsyncIterable<unknown> | Iterable<unknown>, opts: ImportOptions): Promise<ImportReport> {
  const started = Date.now();
  const now = opts.now ?? Date.now;
  const batchSize = opts.batchSize ?? DEFAULT_BATCH_SIZE;
  const report: ImportReport = {
    source: opts.source, total: 0, inserted: 0, updated: 0, unchanged: 0, invalid: 0, invalidSamples: [], batches: 0, durationMs: 0,
  };
  const run = await db.prepare("INSERT INTO import_run (source, started_at) VALUES (?1, ?2) RETURNING id").bind(opts.source, started).first<{ id: number }>();

  let pending: CatalogEntry[] = [];
  const flush = async () => {
    if (pending.length === 0) return;
    await importBatch(db, pending, report, now());
    pending = [];
    report.batches++;
    report.durationMs = Date.now() - started;
    opts.onProgress?.(report);
  };

  for await (const raw of entries) {
    const index = report.total++;
    const parsed = parseEntry(raw);
    if (!parsed.ok) {
      report.invalid++;
      if (report.invalidSamples.length < MAX_INVALID_SAMPLES) report.invalidSamples.push({ index, title: parsed.title, reason: parsed.reason });
      continue;
    }
    pending.push(parsed.entry);
    if (pending.length >= batchSize) await flush();
  }
  await flush();
  // Fresh planner statistics: without them SQLite walks a sort index and filters row by
  // row, even when a selective filter (a genre, a year) has an index of its own.
  if (report.inserted + report.updated > 0) await db.prepare("PRAGMA optimize").run();
  report.durationMs = Date.now() - started;
  await db.prepare("UPDATE import_run SET finished_at = ?1, report = ?2 WHERE id = ?3").bind(Date.now(), JSON.stringify(report), run!.id).run();
  return report;
}

interface ExistingSource {
  url: string;
  anime_id: number;
  content_hash: string;
  system_status: string;
}

async function importBatch(db: D1Database, entries: CatalogEntry[], report: ImportReport, now: number): Promise<void> {
  const urls = [...new Set(entries.flatMap((e) => e.sources))];
  const [{ results: existing }, maxRow] = await Promise.all([
    db
      .prepare(
        `SELECT s.url, s.anime_id, a.content_hash, a.system_status FROM anime_source s JOIN anime a ON a.id = s.anime_id
         WHERE s.url IN (SELECT value FROM json_each(?1))`,
      )
      .bind(JSON.stringify(urls))
      .all<ExistingSource>(),
    db.prepare("SELECT coalesce(max(id), 0) AS max FROM anime").first<{ max: number }>(),
  ]);
  const byUrl = new Map(existing.map((r) => [r.url, r]));
  let nextId = maxRow!.max + 1;

  // Within a batch an id assigned to an earlier entry also claims its URLs.
  const claimed = new Map<string, number>();
  const writes: PlannedWrite[] = [];
  const touched = new Set<number>();
  for (const entry of entries) {
    const hash = await contentHash(entry);
    const matches = entry.sources.map((u) => claimed.get(u) ?? byUrl.get(u)?.anime_id).filter((id): id is number => id !== undefined);
    const isNew = matches.length === 0;
    const id = isNew ? nextId++ : Math.min(...matches);
    for (const m of matches) if (m !== id) touched.add(m);
    for (const u of entry.sources) claimed.set(u, id);

    const current = entry.sources.map((u) => byUrl.get(u)).find((r) => r?.anime_id === id);
    const allMapped = entry.sources.every((u) => byUrl.get(u)?.anime_id === id);
    if (!isNew && current && current.content_hash === hash && current.system_status === "ACTIVE" && allMapped) {
      report.unchanged++;
      continue;
    }
    writes.push({ id, entry, hash, isNew });
  }
  await writeBatch(db, writes, [...touched], now);
  for (const w of writes) w.isNew ? report.inserted++ : report.updated++;
}
