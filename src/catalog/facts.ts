/** What the catalog holds now and which release it follows (GET /v1/about). */
export interface CatalogFacts {
  active: number;
  orphaned: number;
  /** `lastUpdate` of the release the catalog last followed (the last successful sync, else the last import that named one). */
  release_date: string | null;
  /** When the catalog last took a release (sync or import), ISO 8601. */
  updated_at: string | null;
}

const iso = (ms: number | null | undefined) => (ms ? new Date(ms).toISOString() : null);

/** Three small reads in one round trip. */
export async function catalogFacts(db: D1Database): Promise<CatalogFacts> {
  const [counts, sync, imported] = await db.batch<Record<string, unknown>>([
    db.prepare("SELECT sum(system_status = 'ACTIVE') AS active, sum(system_status = 'ORPHANED') AS orphaned FROM anime"),
    db.prepare("SELECT source_last_update AS release_date, finished_at FROM sync_run WHERE status = 'succeeded' ORDER BY id DESC LIMIT 1"),
    db.prepare("SELECT report ->> '$.release_date' AS release_date, finished_at FROM import_run WHERE finished_at IS NOT NULL ORDER BY id DESC LIMIT 1"),
  ]);
  const c = counts.results[0] as { active: number | null; orphaned: number | null };
  const s = sync.results[0] as { release_date: string | null; finished_at: number } | undefined;
  const i = imported.results[0] as { release_date: string | null; finished_at: number } | undefined;
  // The newer of the two writers decides what the catalog follows.
  const latest = [s, i].filter((x) => x !== undefined).sort((a, b) => b.finished_at - a.finished_at);
  return {
    active: c.active ?? 0,
    orphaned: c.orphaned ?? 0,
    release_date: latest.find((x) => x.release_date)?.release_date ?? null,
    updated_at: iso(latest[0]?.finished_at),
  };
}
