import { vectorMetadata } from "../search/document";
import { loadStoredRows } from "../catalog/import/stored-entry";
import { ImageTooLarge, UnsupportedImage } from "./embed/decode";
import { embedImage, LOCAL_IMAGE_MODEL } from "./embed/local";
import type { ImageSearchBackend } from "./image-search";
import type { LocalVectorIndex } from "../search/vector-index/local";

const UNSUPPORTED = "unsupported";

/** What one pass did; `skipped` says why it did nothing. */
export interface ImageIndexReport {
  indexed: number;
  removed: number;
  skipped?: string;
}

/**
 * Keeps the image vectors in step with the catalog's stored pictures (run after every
 * ingestion batch). Only while image search reads them: with the vision backend nothing
 * does, so a pass writes nothing (the vectors would only fill the index object's memory).
 * `imageSearch`: the image search the caller's services chose (src/services.ts).
 */
export class ImageIndexer {
  constructor(
    private readonly db: D1Database,
    /** The stored images (R2). */
    private readonly bucket: R2Bucket,
    /** The `anime-image` space. */
    private readonly index: LocalVectorIndex,
    private readonly imageSearch: () => ImageSearchBackend,
    private readonly now: () => number,
  ) {}

  async catchUp(limit = 200): Promise<ImageIndexReport> {
    const search = this.imageSearch();
    if (!search.readsImageVectors) return { indexed: 0, removed: 0, skipped: `image search uses ${search.model}, which does not read the image vectors` };
    const { db, index } = this;
    await this.forgetLostVectors();
    const { results: gone } = await db
      .prepare(
        `SELECT v.anime_id FROM image_vector_state v LEFT JOIN anime a ON a.id = v.anime_id
         WHERE a.id IS NULL OR a.system_status <> 'ACTIVE' OR a.picture IS NULL
            OR (a.picture <> v.picture_url AND NOT EXISTS (SELECT 1 FROM image_source s WHERE s.url = a.picture AND s.status = 'stored'))
         LIMIT ?1`,
      )
      .bind(limit)
      .all<{ anime_id: number }>();
    if (gone.length > 0) {
      const ids = gone.map((g) => g.anime_id);
      await index.delete(ids);
      await db.prepare("DELETE FROM image_vector_state WHERE anime_id IN (SELECT value FROM json_each(?1))").bind(JSON.stringify(ids)).run();
    }
    const { results: due } = await db
      .prepare(
        `SELECT a.id, a.picture, s.r2_key, s.content_type FROM anime a JOIN image_source s ON s.url = a.picture AND s.status = 'stored'
         LEFT JOIN image_vector_state v ON v.anime_id = a.id
         WHERE a.system_status = 'ACTIVE' AND (v.anime_id IS NULL OR v.picture_url <> a.picture OR (v.model <> ?1 AND v.model <> ?2))
         ORDER BY a.id LIMIT ?3`,
      )
      .bind(LOCAL_IMAGE_MODEL, UNSUPPORTED, limit)
      .all<{ id: number; picture: string; r2_key: string; content_type: string }>();
    if (due.length === 0) return { indexed: 0, removed: gone.length };
    const rows = await loadStoredRows(db, due.map((d) => d.id));
    const vectors = new Map<string, number[] | null>();
    const now = this.now();
    const states: { id: number; url: string; model: string }[] = [];
    const records = [];
    const unsupported: number[] = [];
    for (const d of due) {
      if (!vectors.has(d.r2_key)) vectors.set(d.r2_key, await this.embedStored(d.r2_key, d.content_type));
      const values = vectors.get(d.r2_key)!;
      const row = rows.get(d.id);
      if (!row) continue;
      states.push({ id: d.id, url: d.picture, model: values ? LOCAL_IMAGE_MODEL : UNSUPPORTED });
      if (values) records.push({ id: d.id, values, metadata: vectorMetadata(row) });
      else unsupported.push(d.id);
    }
    if (records.length > 0) await index.upsert(records);
    if (unsupported.length > 0) await index.delete(unsupported);
    await db
      .prepare(
        `INSERT INTO image_vector_state (anime_id, picture_url, model, indexed_at)
         SELECT j.value ->> '$.id', j.value ->> '$.url', j.value ->> '$.model', ?2 FROM json_each(?1) AS j WHERE true
         ON CONFLICT (anime_id) DO UPDATE SET picture_url = excluded.picture_url, model = excluded.model, indexed_at = excluded.indexed_at`,
      )
      .bind(JSON.stringify(states), now)
      .run();
    return { indexed: records.length, removed: gone.length };
  }

  /**
   * The space holds nothing but state rows say it does (its Durable Object's storage was lost
   * or renamed, e.g. another Worker name locally): forget the rows, so this pass rebuilds it.
   */
  private async forgetLostVectors(): Promise<void> {
    if ((await this.index.count()) > 0) return;
    await this.db.prepare("DELETE FROM image_vector_state WHERE model = ?1").bind(LOCAL_IMAGE_MODEL).run();
  }

  /**
   * The vector of a stored image, or null when the local embedder cannot read it or it is past
   * the decoding limits (IMAGE_MAX_PIXELS, PNG data inflating past its header: refused before
   * it can take the isolate's memory, even for an object stored before those checks).
   */
  private async embedStored(key: string, type: string): Promise<number[] | null> {
    const obj = await this.bucket.get(key);
    if (!obj) return null;
    try {
      return embedImage(new Uint8Array(await obj.arrayBuffer()), type);
    } catch (err) {
      if (err instanceof UnsupportedImage || err instanceof ImageTooLarge) return null;
      throw err;
    }
  }
}
