import { asc, count, eq, isNull, lt, ne, or } from "drizzle-orm";
import { drizzle, type DrizzleD1Database } from "drizzle-orm/d1";
import { anime } from "../catalog/schema";
import { animeSearchText, searchVectorState } from "./schema";
import { NORMALISER_VERSION, searchTextOf, UPSERT_SEARCH_TEXT } from "./keyword/search-text";
import { documentText, vectorMetadata } from "./document";
import type { Embedder } from "./embedder/interface";
import type { VectorIndex } from "./vector-index/interface";

export interface IndexCounts {
  text: number;
  vectors: number;
}

const UPSERT_STATE = `
INSERT INTO search_vector_state (anime_id, model, content_hash, system_status, indexed_at)
SELECT j.value ->> '$.id', ?2, j.value ->> '$.hash', j.value ->> '$.status', ?3 FROM json_each(?1) AS j WHERE true
ON CONFLICT (anime_id) DO UPDATE SET model = excluded.model, content_hash = excluded.content_hash,
  system_status = excluded.system_status, indexed_at = excluded.indexed_at`;

/**
 * Brings the search indexes up to date with the catalog, a bounded batch at a time (so a
 * Worker invocation stays within its CPU limit; callers loop until `remaining` is zero).
 *
 * Contract: keyword rows are rebuilt where missing or written by an older normaliser;
 * vectors are (re)embedded exactly for the anime whose content hash, system status or
 * embedding model differs from what the vector index holds (search_vector_state), so an
 * unchanged entry is never embedded twice. Vectors are written before their state row: an
 * interrupted batch is redone, never lost (upserts are idempotent).
 */
export class SearchIndexer {
  private readonly orm: DrizzleD1Database;

  constructor(
    private readonly db: D1Database,
    private readonly embedder: Embedder,
    private readonly index: VectorIndex | null,
    private readonly now: () => number = Date.now,
    /** Told after vectors were written: cached search results are from before them. */
    private readonly onIndexed: () => Promise<unknown> = async () => {},
  ) {
    this.orm = drizzle(db);
  }

  private staleText() {
    return or(isNull(animeSearchText.animeId), lt(animeSearchText.version, NORMALISER_VERSION));
  }

  private staleVector() {
    return or(
      isNull(searchVectorState.animeId),
      ne(searchVectorState.contentHash, anime.contentHash),
      ne(searchVectorState.systemStatus, anime.systemStatus),
      ne(searchVectorState.model, this.embedder.model),
    );
  }

  get backend(): string {
    return this.index?.backend ?? "off";
  }

  get model(): string {
    return this.embedder.model;
  }

  /** Vectors the index holds, or null when there is no index or it cannot say. */
  async vectorsHeld(): Promise<number | null> {
    return this.index ? this.index.count().catch(() => null) : null;
  }

  /** How much is left to index. Vectors count as 0 when there is no vector index. */
  async pending(): Promise<IndexCounts> {
    const [text] = await this.orm.select({ n: count() }).from(anime).leftJoin(animeSearchText, eq(animeSearchText.animeId, anime.id)).where(this.staleText());
    if (!this.index) return { text: text.n, vectors: 0 };
    const [vectors] = await this.orm.select({ n: count() }).from(anime).leftJoin(searchVectorState, eq(searchVectorState.animeId, anime.id)).where(this.staleVector());
    return { text: text.n, vectors: vectors.n };
  }

  /**
   * Indexes up to `limit` anime of each kind; returns how many were done. Vectors of another
   * embedding model cannot share an index: if the local index holds some, it is emptied first.
   */
  async indexBatch(limit: number): Promise<IndexCounts> {
    if (this.index?.clear) {
      const other = await this.orm.select({ id: searchVectorState.animeId }).from(searchVectorState).where(ne(searchVectorState.model, this.embedder.model)).limit(1).get();
      if (other) {
        await this.index.clear();
        await this.orm.delete(searchVectorState);
      }
    }
    const done = { text: await this.indexText(limit), vectors: await this.indexVectors(limit) };
    if (done.text + done.vectors > 0) await this.onIndexed();
    return done;
  }

  /** Forgets what was indexed, so the next batches rebuild everything (npm run reindex). */
  async reset(): Promise<void> {
    // The local index can be emptied (a new model may have another vector size); hosted
    // indexes are recreated with their own tooling (docs/vector-backends.md).
    await this.index?.clear?.();
    await this.orm.batch([this.orm.delete(searchVectorState), this.orm.update(animeSearchText).set({ version: 0 })]);
  }

  private async indexText(limit: number): Promise<number> {
    const rows = await this.orm
      .select({ id: anime.id, title: anime.title, synonyms: anime.synonyms })
      .from(anime)
      .leftJoin(animeSearchText, eq(animeSearchText.animeId, anime.id))
      .where(this.staleText())
      .orderBy(asc(anime.id))
      .limit(limit)
      .all();
    for (let i = 0; i < rows.length; i += 250) {
      const chunk = rows.slice(i, i + 250).map((r) => searchTextOf(r.id, r.title, r.synonyms));
      await this.db.prepare(UPSERT_SEARCH_TEXT).bind(JSON.stringify(chunk)).run();
    }
    return rows.length;
  }

  private async indexVectors(limit: number): Promise<number> {
    if (!this.index) return 0;
    const rows = await this.orm
      .select({ anime })
      .from(anime)
      .leftJoin(searchVectorState, eq(searchVectorState.animeId, anime.id))
      .where(this.staleVector())
      .orderBy(asc(anime.id))
      .limit(limit)
      .all();
    if (rows.length) await this.index.prepare?.(this.embedder.dimensions);
    for (let i = 0; i < rows.length; i += this.embedder.maxBatch) {
      const batch = rows.slice(i, i + this.embedder.maxBatch).map((r) => r.anime);
      const vectors = await this.embedder.embed(batch.map(documentText));
      await this.index.upsert(batch.map((r, j) => ({ id: r.id, values: vectors[j], metadata: vectorMetadata(r) })));
      const state = batch.map((r) => ({ id: r.id, hash: r.contentHash, status: r.systemStatus }));
      await this.db.prepare(UPSERT_STATE).bind(JSON.stringify(state), this.embedder.model, this.now()).run();
    }
    return rows.length;
  }
}
