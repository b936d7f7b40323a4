import { parseEntry, type CatalogEntry, type FillableField } from "../entry";
import { contentHash } from "./content-hash";
import { mergeEnrichment, mergeRelease } from "./merge";
import { loadStoredRows, storedEntry } from "./stored-entry";
import type { AnimeRow } from "../serialize";
import { batchStatements, type PlannedWrite } from "./write-batch";
import { preparedOnce } from "./prepared-once";

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
  /** `lastUpdate` of the release imported, when the reader knew it (GET /v1/about). */
  release_date?: string | null;
}

export interface ImportOptions {
  /** Label stored in import_run (a file name, a release date). */
  source: string;
  /** Entries per atomic batch, at most. */
  batchSize?: number;
  /**
   * Told which anime a run changed, after their batches committed (every ≥ 5 s during a long
   * run, and at its end, even a failed one): the cache invalidation. Required so that no
   * writer can forget it.
   */
  invalidate: (ids: number[]) => Promise<void>;
  /** The release's `lastUpdate`, asked when the run ends (a reader learns it from the file's first line). */
  releaseDate?: () => string | null;
  /** Called after each batch, for progress output. */
  onProgress?: (report: ImportReport) => void;
  /** Clock, for tests. */
  now?: () => number;
}

const MAX_INVALID_SAMPLES = 10;
/** During a long run, the cache hears of committed batches at least this often. */
const INVALIDATE_EVERY_MS = 5000;
/**
 * Entries per batch, at most. Large batches: each transaction costs ~50 ms besides its rows
 * in local D1 (its commit, a new keyword-index segment); 40k entries took 22 s in batches of
 * 250, 16 s in batches of 1,000 (scripts/bench-import.ts).
 */
export const DEFAULT_BATCH_SIZE = 1000;
/** Bytes of entries (as JSON) per batch, at most; write-batch.ts splits a table's rows over statements to keep each bound value small. */
const MAX_BATCH_BYTES = 2_000_000;

export interface Pending {
  index: number;
  entry: CatalogEntry;
  /** Fields the entry did not carry. The merge needs no list: an absent field's neutral value never wins over a stored one (merge.ts). */
  missing?: FillableField[];
  /** Carries images of the enrichment pipeline: the anime is marked enriched (ParsedEntry.enriched). */
  enriched?: boolean;
  /** An entry of the enrichment pipeline (any, with images or not): merged into a matched anime by mergeEnrichment; absent: a release entry. */
  fromEnrichment?: boolean;
}

/**
 * Which anime each URL and id belongs to within one run. An id is claimed by at most one
 * entry per run, and a URL by the first entry that lists it: a release that splits an anime
 * gives the second half a new id, and a URL listed twice cannot flip between two anime on
 * every run.
 */
export interface RunClaims {
  urls: Map<string, number>;
  ids: Set<number>;
  /**
   * Set when the run began on an empty catalog (npm start's first import): everything the
   * catalog holds is then what the run claimed, so a batch is planned without reading it, and
   * `nextId` is the next id to give out.
   */
  fromEmpty?: { nextId: number };
}

/**
 * Imports raw entries (offline-database or enriched shape) into the catalog.
 *
 * Contract: each entry is validated on its own (invalid ones are counted, never written);
 * an entry is matched to the existing anime holding most of its source URLs and keeps that
 * anime's id; over a matched anime, a release entry replaces the release's fields and an
 * enriched entry only adds (merge.ts); an unchanged entry (same content hash) costs no write, so importing the same
 * file twice reports 0 inserted and 0 updated; each batch is one D1 transaction. Entries
 * absent from the input are left alone: orphaning them is the sync's job, which knows it
 * holds a full release. Single writer: runs must not overlap (new ids come from max(id), or
 * from the run's own count on a catalog that was empty).
 *
 * One batch is written at a time; the next one is read and validated meanwhile, and, on a
 * catalog that was empty, also planned and bound (planning then reads nothing).
 */
export async function importEntries(db: D1Database, entries: AsyncIterable<unknown> | Iterable<unknown>, opts: ImportOptions): Promise<ImportReport> {
  const started = Date.now();
  const now = opts.now ?? Date.now;
  const batchSize = opts.batchSize ?? DEFAULT_BATCH_SIZE;
  const report: ImportReport = {
    source: opts.source, total: 0, inserted: 0, updated: 0, unchanged: 0, invalid: 0, invalidSamples: [], batches: 0, durationMs: 0,
  };
  const run = await db.prepare("INSERT INTO import_run (source, started_at) VALUES (?1, ?2) RETURNING id").bind(opts.source, started).first<{ id: number }>();
  const empty = await db.prepare("SELECT NOT EXISTS (SELECT 1 FROM anime) AND NOT EXISTS (SELECT 1 FROM anime_source) AS empty").first<{ empty: number }>();
  const claims: RunClaims = { urls: new Map(), ids: new Set(), ...(empty!.empty ? { fromEmpty: { nextId: 1 } } : {}) };
  const batchDb = preparedOnce(db);

  let pending: Pending[] = [];
  let pendingBytes = 0;
  let changed = new Set<number>();
  let lastInvalidation = Date.now();
  const invalidate = async () => {
    if (changed.size === 0) return;
    const ids = [...changed];
    changed = new Set();
    lastInvalidation = Date.now();
    try {
      await opts.invalidate(ids);
    } catch (err) {
      for (const id of ids) changed.add(id); // kept for the next attempt (the run's end)
      throw err;
    }
  };
  /** The batch being written: one at a time, each batch's transaction issued once the previous one committed. */
  let writing: Promise<void> = Promise.resolve();
  const flush = async () => {
    if (pending.length === 0) return;
    const batch = pending;
    pending = [];
    pendingBytes = 0;
    // Planning reads what the previous batch wrote, unless the catalog holds only this run's claims.
    if (!claims.fromEmpty) await writing;
    const at = now();
    const plan = await planBatch(batchDb, batch, claims, report);
    report.unchanged += plan.unchanged;
    const statements = await batchStatements(batchDb, plan.writes, plan.touched, at);
    await writing;
    writing = (statements.length > 0 ? batchDb.batch(statements) : Promise.resolve()).then(async () => {
      for (const w of plan.writes) w.isNew ? report.inserted++ : report.updated++;
      // The anime the batch changed: written, or losing a URL.
      if (plan.writes.length > 0) for (const id of [...plan.writes.map((w) => w.id), ...plan.touched]) changed.add(id);
      if (Date.now() - lastInvalidation >= INVALIDATE_EVERY_MS) await invalidate();
      report.batches++;
      report.durationMs = Date.now() - started;
      opts.onProgress?.(report);
    });
    writing.catch(() => undefined); // handled: the next `await writing` throws it
  };

  let succeeded = false;
  try {
    for await (const raw of entries) {
      const index = report.total++;
      const parsed = parseEntry(raw);
      if (!parsed.ok) {
        report.invalid++;
        if (report.invalidSamples.length < MAX_INVALID_SAMPLES) report.invalidSamples.push({ index, title: parsed.title, reason: parsed.reason });
        continue;
      }
      pending.push({ index, entry: parsed.entry, missing: parsed.missing, enriched: parsed.enriched, fromEnrichment: !parsed.offline });
      pendingBytes += JSON.stringify(parsed.entry).length;
      if (pending.length >= batchSize || pendingBytes >= MAX_BATCH_BYTES) await flush();
    }
    await flush();
    await writing;
    // Fresh planner statistics: without them SQLite walks a sort index and filters row by
    // row, even when a selective filter (a genre, a year) has an index of its own.
    if (report.inserted + report.updated > 0) await db.prepare("PRAGMA optimize").run();
    succeeded = true;
  } finally {
    // A failed run may leave a batch in flight: it settles first, so that a commit is invalidated.
    await writing.catch(() => undefined);
    // Even a failed run invalidates what its committed batches changed; a failing
    // invalidation must not leave the run unfinished, so it is rethrown after the record.
    const invalidation = await invalidate().then(() => null, (err: unknown) => err);
    report.durationMs = Date.now() - started;
    if (opts.releaseDate) report.release_date = opts.releaseDate();
    await db.prepare("UPDATE import_run SET finished_at = ?1, report = ?2 WHERE id = ?3").bind(Date.now(), JSON.stringify(report), run!.id).run();
    if (invalidation && succeeded) throw invalidation; // a run's own error comes first
  }
  return report;
}

interface ExistingSource {
  url: string;
  anime_id: number;
  content_hash: string;
  system_status: string;
}

/** The id an entry resolves to: the unclaimed anime holding most of its URLs (ties: oldest), or none. */
function resolveId(urls: string[], owner: (url: string) => number | undefined, claimed: Set<number>): number | undefined {
  const votes = new Map<number, number>();
  for (const u of urls) {
    const id = owner(u);
    if (id !== undefined && !claimed.has(id)) votes.set(id, (votes.get(id) ?? 0) + 1);
  }
  let best: number | undefined;
  for (const [id, n] of votes) if (best === undefined || n > votes.get(best)! || (n === votes.get(best)! && id < best)) best = id;
  return best;
}

/** Who holds the batch's URLs now, and the first free id: one round trip for both reads. */
async function readOwners(db: D1Database, batch: Pending[]): Promise<{ existing: ExistingSource[]; nextId: number }> {
  const urls = [...new Set(batch.flatMap((p) => p.entry.sources))];
  const [{ results: existing }, { results: max }] = (await db.batch([
    db
      .prepare(
        `SELECT s.url, s.anime_id, a.content_hash, a.system_status FROM anime_source s JOIN anime a ON a.id = s.anime_id
         WHERE s.url IN (SELECT value FROM json_each(?1))`,
      )
      .bind(JSON.stringify(urls)),
    db.prepare("SELECT coalesce(max(id), 0) AS max FROM anime"),
  ])) as [D1Result<ExistingSource>, D1Result<{ max: number }>];
  return { existing, nextId: max[0].max + 1 };
}

/** A merge or split the source made, seen while resolving entries to anime. */
export interface IdentityEvent {
  kind: "merge" | "split";
  animeId: number;
  others: number[];
}

/** What one batch of entries comes to: the writes, and everything a sync needs besides. */
export interface BatchPlan {
  writes: PlannedWrite[];
  /** Other anime that may lose a URL to these writes (their source list is refreshed). */
  touched: number[];
  /** Every anime an entry of the batch resolved to, written or not, with the entry's URLs. */
  seen: { id: number; sources: string[] }[];
  /** Stored rows of the matched anime that are planned for a write. */
  stored: Map<number, AnimeRow>;
  events: IdentityEvent[];
  unchanged: number;
}

/**
 * Resolves a batch to anime ids and decides what must be written (nothing is written).
 * `claims` holds the URLs and ids earlier entries of the run took; it is updated.
 */
export async function planBatch(db: D1Database, batch: Pending[], claims: RunClaims, report: ImportReport): Promise<BatchPlan> {
  const { existing, nextId: firstId } = claims.fromEmpty ? { existing: [], nextId: claims.fromEmpty.nextId } : await readOwners(db, batch);
  const byUrl = new Map(existing.map((r) => [r.url, r]));
  let nextId = firstId;

  const resolved = [];
  const events: IdentityEvent[] = [];
  for (const { index, entry, enriched, fromEnrichment } of batch) {
    // A URL already claimed this run by another entry stays with that entry.
    const sources = entry.sources.filter((u) => !claims.urls.has(u));
    if (sources.length === 0) {
      // Every URL of this entry belongs to an earlier entry of the run: nothing of its own.
      report.invalid++;
      if (report.invalidSamples.length < MAX_INVALID_SAMPLES) report.invalidSamples.push({ index, title: entry.title, reason: "sources: all listed by earlier entries" });
      continue;
    }
    const matched = resolveId(sources, (u) => byUrl.get(u)?.anime_id, claims.ids);
    const id = matched ?? nextId++;
    const owners = [...new Set(sources.map((u) => byUrl.get(u)?.anime_id).filter((o): o is number => o !== undefined))];
    if (matched !== undefined && owners.length > 1) events.push({ kind: "merge", animeId: id, others: owners.filter((o) => o !== id).sort((a, b) => a - b) });
    if (matched === undefined && owners.length > 0) events.push({ kind: "split", animeId: id, others: owners.sort((a, b) => a - b) });
    claims.ids.add(id);
    for (const u of sources) claims.urls.set(u, id);
    resolved.push({ entry: { ...entry, sources }, id, isNew: matched === undefined, enriched: enriched ?? false, fromEnrichment: fromEnrichment ?? false });
  }
  if (claims.fromEmpty) claims.fromEmpty.nextId = nextId;

  const stored = await loadStoredRows(db, resolved.filter((r) => !r.isNew).map((r) => r.id));
  const writes: PlannedWrite[] = [];
  const touched = new Set<number>();
  let unchanged = 0;
  const entries = resolved.map((r) => {
    const row = stored.get(r.id);
    return row ? merged(r, row, claims) : r.entry;
  });
  // The hash covers the merged result: the search indexer re-embeds exactly what changed.
  // Hashed concurrently: one digest at a time waits a round trip of the event loop each.
  const hashes = await Promise.all(entries.map(contentHash));
  for (const [i, r] of resolved.entries()) {
    const entry = entries[i];
    const hash = hashes[i];
    // Ownership is checked on the entry's own URLs (byUrl holds only those): URLs the merge
    // kept from the stored anime are its own already.
    for (const u of r.entry.sources) {
      const owner = byUrl.get(u)?.anime_id;
      if (owner !== undefined && owner !== r.id) touched.add(owner);
    }
    const current = r.entry.sources.map((u) => byUrl.get(u)).find((s) => s?.anime_id === r.id);
    const allMapped = r.entry.sources.every((u) => byUrl.get(u)?.anime_id === r.id);
    if (!r.isNew && current && current.content_hash === hash && current.system_status === "ACTIVE" && allMapped) {
      unchanged++;
      continue;
    }
    writes.push({ id: r.id, entry, hash, isNew: r.isNew, enriched: r.enriched });
  }
  return { writes, touched: [...touched], seen: resolved.map((r) => ({ id: r.id, sources: r.entry.sources })), stored, events, unchanged };
}

/**
 * What a resolved entry writes over its stored anime. An enriched entry only adds to it
 * (keeping the URLs that no other entry of the run took); a release entry replaces the
 * release's fields and keeps ours (see merge.ts).
 */
function merged(r: { id: number; entry: CatalogEntry; fromEnrichment: boolean }, row: AnimeRow, claims: RunClaims): CatalogEntry {
  const base = storedEntry(row);
  if (!r.fromEnrichment) return mergeRelease(base, row.enriched, r.entry);
  return mergeEnrichment({ ...base, sources: base.sources.filter((u) => (claims.urls.get(u) ?? r.id) === r.id) }, r.entry);
}
