import { fetchImage, IMAGE_TYPES, ImageFetchError, type FetchImageOptions, type FetchedImage } from "./fetch-image";
import { checkImageLimits, ImageTooLarge, UnsupportedImage } from "./embed/decode";

export interface IngestOptions extends FetchImageOptions {
  db: D1Database;
  bucket: R2Bucket;
  now: () => number;
  /** Told which anime now have (or changed) a hosted image: their cached objects are stale. */
  invalidate: (animeIds: number[]) => Promise<void>;
  /** Attempts within one batch for a transient failure (timeouts, 5xx, cut-off bodies). */
  triesPerRun?: number;
  /** Failed batches after which a URL becomes a dead letter. */
  maxAttempts?: number;
  /** Waits between tries (tests make it instant). */
  sleep?: (ms: number) => Promise<void>;
  concurrency?: number;
  /** No candidate is started after this much wall time (default 60 s): a batch stays bounded. */
  budgetMs?: number;
  /** Run after every batch: the image-search index catches up (src/images/image-index.ts). */
  afterBatch?: () => Promise<unknown>;
}

export interface IngestReport {
  candidates: number;
  stored: number;
  /** Stored without a write to R2: another URL had the same bytes. */
  deduplicated: number;
  failed: number;
  dead: number;
}

interface Candidate {
  url: string;
  anime_id: number;
  attempts: number;
  /** null for a URL never tried. */
  status: "failed" | "dead" | "stored" | null;
}

const HOUR = 3_600_000;
const DEAD_RETRY_MS = 7 * 24 * HOUR;
const sha256 = async (data: Uint8Array | string) =>
  [...new Uint8Array(await crypto.subtle.digest("SHA-256", typeof data === "string" ? new TextEncoder().encode(data) : data))].map((b) => b.toString(16).padStart(2, "0")).join("");

/**
 * Re-hosts the catalog's images in R2, a batch at a time (Cron Trigger or admin; never in the
 * request path). Contract:
 * - candidates: picture/thumbnail URLs of active anime with no image_source row, then rows
 *   `failed` or `dead` whose next retry is due;
 * - a transient failure is retried within the batch with exponential backoff and jitter; a
 *   failed batch sets the next retry (1 h · 2^attempts); after `maxAttempts` failed batches,
 *   or at once for a permanent failure seen twice, the row is a dead letter (retried weekly);
 * - only from the hosts of `allowHost` (IMAGE_SOURCE_HOSTS), every redirect hop included, and
 *   only pictures within the decoding limits (withinLimits);
 * - bytes are stored once at images/<sha256>.<ext> (written only when absent, with the source
 *   URL and type as metadata), then the D1 row points at them: nothing is half-written — an
 *   object is complete before any row names it, and a row is written only after its object;
 *   a failure never overwrites a stored row (cron and admin batches may overlap);
 * - any unexpected error is recorded as that URL's failure: one URL never stops a batch.
 */
export class ImageIngestor {
  constructor(private readonly o: IngestOptions) {}

  async runBatch(limit: number): Promise<IngestReport> {
    const now = this.o.now();
    const { results: fresh } = await this.o.db
      .prepare(
        `SELECT url, min(anime_id) AS anime_id, 0 AS attempts, NULL AS status FROM (
           SELECT picture AS url, id AS anime_id FROM anime WHERE system_status = 'ACTIVE' AND picture IS NOT NULL
           UNION ALL SELECT thumbnail, id FROM anime WHERE system_status = 'ACTIVE' AND thumbnail IS NOT NULL)
         WHERE url NOT IN (SELECT url FROM image_source) GROUP BY url ORDER BY anime_id, url LIMIT ?1`,
      )
      .bind(limit)
      .all<Candidate>();
    const { results: due } = await this.o.db
      .prepare("SELECT url, anime_id, attempts, status FROM image_source WHERE status IN ('failed', 'dead') AND next_retry_at <= ?1 ORDER BY next_retry_at LIMIT ?2")
      .bind(now, Math.max(0, limit - fresh.length))
      .all<Candidate>();
    const candidates = [...fresh, ...due];
    const report: IngestReport = { candidates: candidates.length, stored: 0, deduplicated: 0, failed: 0, dead: 0 };
    const touched = new Set<number>();
    let next = 0;
    const deadline = Date.now() + (this.o.budgetMs ?? 60_000);
    const worker = async () => {
      while (next < candidates.length && Date.now() < deadline) {
        const c = candidates[next++];
        const outcome = await this.ingest(c, now);
        report[outcome]++;
        if (outcome === "stored" || outcome === "deduplicated") touched.add(c.anime_id);
      }
    };
    try {
      await Promise.all(Array.from({ length: this.o.concurrency ?? 4 }, worker));
    } finally {
      if (touched.size > 0) await this.invalidateAffected(candidates.filter((c) => touched.has(c.anime_id)).map((c) => c.url));
    }
    await this.o.afterBatch?.();
    return report;
  }

  /** Runs one known row now (an admin's retry of a dead letter). */
  async runOne(id: number): Promise<"stored" | "deduplicated" | "failed" | "dead" | null> {
    const c = await this.o.db.prepare("SELECT url, anime_id, attempts, status FROM image_source WHERE id = ?1").bind(id).first<Candidate>();
    if (!c) return null;
    const outcome = await this.ingest(c, this.o.now());
    if (outcome === "stored" || outcome === "deduplicated") await this.invalidateAffected([c.url]);
    await this.o.afterBatch?.();
    return outcome;
  }

  /** Downloads and stores one URL; records the outcome in D1. */
  private async ingest(c: Candidate, now: number): Promise<"stored" | "deduplicated" | "failed" | "dead"> {
    const urlHash = await sha256(c.url);
    let lastError: ImageFetchError | null = null;
    const tries = this.o.triesPerRun ?? 3;
    for (let attempt = 0; attempt < tries; attempt++) {
      try {
        const image = withinLimits(await fetchImage(c.url, this.o));
        const key = `images/${await sha256(image.bytes)}.${IMAGE_TYPES[image.contentType].ext}`;
        const exists = (await this.o.bucket.head(key)) !== null;
        if (!exists) await this.o.bucket.put(key, image.bytes, { httpMetadata: { contentType: image.contentType }, customMetadata: { source_url: c.url } });
        await this.record(urlHash, c, now, { status: "stored", r2Key: key, contentType: image.contentType, bytes: image.bytes.byteLength, error: null, nextRetryAt: null, attempts: c.attempts + 1 });
        return exists ? "deduplicated" : "stored";
      } catch (err) {
        // Anything unexpected (an R2 or D1 error) is this URL's failure, recorded like any
        // other: a batch never dies of one URL, and no URL escapes its row.
        lastError = err instanceof ImageFetchError ? err : new ImageFetchError(`unexpected: ${err instanceof Error ? err.message : String(err)}`, false);
        if (lastError.permanent) break;
        if (attempt + 1 < tries) await (this.o.sleep ?? wait)(250 * 2 ** attempt + Math.random() * 250);
      }
    }
    const attempts = c.attempts + 1;
    // A dead letter stays one until it succeeds (its weekly retry, or an admin's).
    const dead = c.status === "dead" || attempts >= (this.o.maxAttempts ?? 5) || (lastError!.permanent && attempts >= 2);
    await this.record(urlHash, c, now, { status: dead ? "dead" : "failed", r2Key: null, contentType: null, bytes: null, error: lastError!.message, nextRetryAt: now + (dead ? DEAD_RETRY_MS : HOUR * 2 ** (attempts - 1)), attempts });
    return dead ? "dead" : "failed";
  }

  private async record(urlHash: string, c: Candidate, now: number, r: { status: string; r2Key: string | null; contentType: string | null; bytes: number | null; error: string | null; nextRetryAt: number | null; attempts: number }): Promise<void> {
    await this.o.db
      .prepare(
        `INSERT INTO image_source (url_hash, url, anime_id, status, r2_key, content_type, bytes, attempts, last_error, last_attempt_at, next_retry_at, created_at, updated_at)
         VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?9, ?10, ?11, ?10, ?10)
         ON CONFLICT (url_hash) DO UPDATE SET status = excluded.status, r2_key = excluded.r2_key, content_type = excluded.content_type, bytes = excluded.bytes,
           attempts = excluded.attempts, last_error = excluded.last_error, last_attempt_at = excluded.last_attempt_at, next_retry_at = excluded.next_retry_at, updated_at = excluded.updated_at
         WHERE image_source.status <> 'stored' OR excluded.status = 'stored'`,
      )
      .bind(urlHash, c.url, c.anime_id, r.status, r.r2Key, r.contentType, r.bytes, r.attempts, r.error?.slice(0, 500) ?? null, now, r.nextRetryAt)
      .run();
  }

  /** Every anime showing one of `urls` (not only the first seen with it) now has our copy. */
  private async invalidateAffected(urls: string[]): Promise<void> {
    const { results } = await this.o.db
      .prepare("SELECT id FROM anime WHERE picture IN (SELECT value FROM json_each(?1)) OR thumbnail IN (SELECT value FROM json_each(?1))")
      .bind(JSON.stringify(urls))
      .all<{ id: number }>();
    await this.o.invalidate(results.map((r) => r.id));
  }
}

/**
 * The decoding limits, before anything is stored (src/images/embed/decode.ts): a JPEG or PNG
 * over IMAGE_MAX_PIXELS, or a PNG whose data inflates past its header (a decompression
 * bomb), is refused for good — it would be served from R2 and fed to the image embedder.
 */
function withinLimits(image: FetchedImage): FetchedImage {
  try {
    checkImageLimits(image.bytes, image.contentType);
  } catch (err) {
    if (err instanceof ImageTooLarge || err instanceof UnsupportedImage) throw new ImageFetchError(`refused: ${err.message}`, true);
    throw err;
  }
  return image;
}

const wait = (ms: number) => new Promise((r) => setTimeout(r, ms));
