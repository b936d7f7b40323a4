import type { ImageIngestor, IngestReport } from "./ingestor";

export interface DeadLetter {
  id: number;
  anime_id: number;
  url: string;
  error: string | null;
  attempts: number;
  last_attempt_at: string | null;
  next_retry_at: string | null;
}

const iso = (ms: number | null) => (ms === null ? null : new Date(ms).toISOString());

/** Image ingestion as the admin routes see it: stats, dead letters, a batch now. */
export class ImageService {
  constructor(
    private readonly db: D1Database,
    private readonly ingestor: () => ImageIngestor,
  ) {}

  ingest(limit: number): Promise<IngestReport> {
    return this.ingestor().runBatch(limit);
  }

  async stats(): Promise<{ by_status: Record<"stored" | "failed" | "dead", number>; objects: number; bytes: number; pending: number }> {
    const db = this.db;
    const [byStatus, objects, pending] = await db.batch<any>([
      db.prepare("SELECT status, count(*) AS n FROM image_source GROUP BY status"),
      // Objects, not URLs: URLs with the same bytes share one object.
      db.prepare("SELECT count(*) AS objects, coalesce(sum(bytes), 0) AS bytes FROM (SELECT r2_key, max(bytes) AS bytes FROM image_source WHERE status = 'stored' GROUP BY r2_key)"),
      db.prepare(
        `SELECT count(*) AS n FROM (SELECT picture AS url FROM anime WHERE system_status = 'ACTIVE' AND picture IS NOT NULL
           UNION SELECT thumbnail FROM anime WHERE system_status = 'ACTIVE' AND thumbnail IS NOT NULL) WHERE url NOT IN (SELECT url FROM image_source)`,
      ),
    ]);
    return {
      by_status: Object.fromEntries(["stored", "failed", "dead"].map((s) => [s, byStatus.results.find((r: any) => r.status === s)?.n ?? 0])) as Record<"stored" | "failed" | "dead", number>,
      objects: objects.results[0].objects,
      bytes: objects.results[0].bytes,
      pending: pending.results[0].n,
    };
  }

  async deadLetters(limit: number, after = 0): Promise<DeadLetter[]> {
    const { results } = await this.db.prepare("SELECT id, anime_id, url, last_error, attempts, last_attempt_at, next_retry_at FROM image_source WHERE status = 'dead' AND id > ?1 ORDER BY id LIMIT ?2")
      .bind(after, limit)
      .all<{ id: number; anime_id: number; url: string; last_error: string | null; attempts: number; last_attempt_at: number | null; next_retry_at: number | null }>();
    return results.map((r) => ({ id: r.id, anime_id: r.anime_id, url: r.url, error: r.last_error, attempts: r.attempts, last_attempt_at: iso(r.last_attempt_at), next_retry_at: iso(r.next_retry_at) }));
  }

  /** Makes a dead letter due now and runs it; null when no dead letter has that id. */
  async retry(id: number, now: number): Promise<{ status: "stored" | "failed" | "dead"; dead_letter: DeadLetter | null } | null> {
    const { meta } = await this.db.prepare("UPDATE image_source SET next_retry_at = ?2 WHERE id = ?1 AND status = 'dead'").bind(id, now).run();
    if (meta.changes === 0) return null;
    await this.ingestor().runOne(id);
    const row = await this.db.prepare("SELECT status FROM image_source WHERE id = ?1").bind(id).first<{ status: "stored" | "failed" | "dead" }>();
    return { status: row!.status, dead_letter: row!.status === "dead" ? ((await this.deadLetters(1, id - 1))[0] ?? null) : null };
  }
}
