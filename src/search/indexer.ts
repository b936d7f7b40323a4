import { messageOf } from "../logging/logger";
import { and, asc, count, eq, isNull, lt, ne, notInArray, or } from "drizzle-orm";
import { drizzle, type DrizzleD1Database } from "drizzle-orm/d1";
import { anime } from "../catalog/schema";
import { animeSearchText, searchVectorState } from "./schema";
import { NORMALISER_VERSION, searchTextOf, UPSERT_SEARCH_TEXT } from "./keyword/search-text";
import { documentText, vectorMetadata } from "./document";
import type { Embedder } from "./embedder/interface";
import type { VectorIndex, VectorRecord } from "./vector-index/interface";

export interface IndexCounts {
  text: number;
  vectors: number;
}

export interface IndexedCounts extends IndexCounts {
  /** Vectors the index refused (logged as search.vector_rejected; retried once the entry or the model changes). */
  failed: number;
}

const UPSERT_STATE = `
INSERT INTO search_vector_state (anime_id, model, content_hash, system_status, indexed_at)
SELECT j.value ->> '$.id', j.value ->> '$.model', j.value ->> '$.hash', j.value ->> '$.status', ?2 FROM json_each(?1) AS j WHERE true
ON CONFLICT (anime_id) DO UPDATE SET model = excluded.model, content_hash = excluded.content_hash,
  system_status = excluded.system_status, indexed_at = excluded.indexed_at`;

/**
 * search_vector_state.model of an entry whose vector the index refused: with the content hash
 * and status it had, so the entry counts as done (not retried every run) until it changes,
 * the model changes, a reset, or REJECTED_RETRY_MS have passed (an index that refused a
 * healthy record in a passing fault takes it then). No migration: the marker is a model name
 * no model has.
 */
export const rejectedMarker = (model: string) => `rejected:${model}`;
/** A refused record is tried again after this long even if nothing changed. */
export const REJECTED_RETRY_MS = 24 * 3600 * 1000;

/**
 * Brings the search indexes up to date with the catalog, a bounded batch at a time (so a
 * Worker invocation stays within its CPU limit; callers loop until `remaining` is zero).
 *
 * Contract: keyword rows are rebuilt where missing or written by an older normaliser;
 * vectors are (re)embedded exactly for the anime whose content hash, system status or
 * embedding model differs from what the vector index holds (search_vector_state), so an
 * unchanged entry is never embedded twice. Vectors are written before their state row: an
 * interrupted batch is redone, never lost (upserts are idempotent). A record the index refuses
 * (say, metadata over a hosted index's limit) is isolated by bisecting its batch, reported and
 * marked (rejectedMarker) instead of failing the batch on every run.
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
    /** Where refused records are reported (the job's or request's logger). */
    private readonly warn: (event: string, fields: Record<string, unknown>) => void = () => {},
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
      notInArray(searchVectorState.model, this.models()),
      and(eq(searchVectorState.model, rejectedMarker(this.embedder.model)), lt(searchVectorState.indexedAt, this.now() - REJECTED_RETRY_MS)),
    );
  }

  /** State rows of the current model: written, or refused by the index. */
  private models(): string[] {
    return [this.embedder.model, rejectedMarker(this.embedder.model)];
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

  /** Entries whose vector the index refused under the current model, left alone until they change (see rejectedMarker). */
  async vectorsRejected(): Promise<number> {
    const [row] = await this.orm.select({ n: count() }).from(searchVectorState).where(eq(searchVectorState.model, rejectedMarker(this.embedder.model)));
    return row.n;
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
   * embedding model cannot share an index: if the local index holds some, it is emptied first;
   * a local index found empty under state rows is rebuilt.
   */
  async indexBatch(limit: number): Promise<IndexedCounts> {
    if (this.index?.clear) {
      const other = await this.orm.select({ id: searchVectorState.animeId }).from(searchVectorState).where(notInArray(searchVectorState.model, this.models())).limit(1).get();
      if (other) {
        await this.index.clear();
        await this.orm.delete(searchVectorState);
      } else if ((await this.index.count()) === 0) {
        // The local index counts exactly: empty while state rows say it holds vectors, its
        // Durable Object's storage was lost (or renamed: another Worker name locally). Forget
        // the rows so this and the next batches rebuild it. (Hosted indexes count late: never.)
        await this.orm.delete(searchVectorState).where(eq(searchVectorState.model, this.embedder.model));
      }
    }
    const text = await this.indexText(limit);
    const { vectors, failed } = await this.indexVectors(limit);
    if (text + vectors + failed > 0) await this.onIndexed();
    return { text, vectors, failed };
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

  private async indexVectors(limit: number): Promise<{ vectors: number; failed: number }> {
    const done = { vectors: 0, failed: 0 };
    if (!this.index) return done;
    const rows = await this.orm
      .select({ anime, stateModel: searchVectorState.model })
      .from(anime)
      .leftJoin(searchVectorState, eq(searchVectorState.animeId, anime.id))
      .where(this.staleVector())
      .orderBy(asc(anime.id))
      .limit(limit)
      .all();
    if (rows.length) await this.index.prepare?.(this.embedder.dimensions);
    const model = this.embedder.model;
    let known: VectorRecord | undefined;
    // Entries retried after an earlier refusal (REJECTED_RETRY_MS): refused again, they are
    // marked again even when nothing shows the index takes writes (it refused them before).
    const refusedBefore = new Set(rows.filter((r) => r.stateModel === rejectedMarker(model)).map((r) => r.anime.id));
    for (let i = 0; i < rows.length; i += this.embedder.maxBatch) {
      const batch = rows.slice(i, i + this.embedder.maxBatch).map((r) => r.anime);
      const vectors = await this.embedder.embed(batch.map(documentText));
      const { rejected, written } = await this.upsertIsolating(batch.map((r, j) => ({ id: r.id, values: vectors[j], metadata: vectorMetadata(r) })), known, refusedBefore);
      known = written;
      if (rejected.size > 0) {
        for (const [id, message] of rejected) this.warn("search.vector_rejected", { anime_id: id, model, message });
        // A vector of the entry's previous content would otherwise stay searchable; best effort.
        await this.index.delete([...rejected.keys()]).catch(() => {});
      }
      const state = batch.map((r) => ({ id: r.id, model: rejected.has(r.id) ? rejectedMarker(model) : model, hash: r.contentHash, status: r.systemStatus }));
      await this.db.prepare(UPSERT_STATE).bind(JSON.stringify(state), this.now()).run();
      done.vectors += batch.length - rejected.size;
      done.failed += rejected.size;
    }
    return done;
  }

  /**
   * Upserts `records`. When the index refuses them, the batch is bisected down to the records
   * it refuses on their own; those are returned (id → the index's message), the rest written.
   * A record counts as refused only when the index shows it takes writes: the record failed
   * twice alone, and afterwards a record it took (from this batch, or `known` from an earlier
   * one) is taken again. A record refused before (`refusedBefore`) that fails twice alone is
   * refused again without that proof. Otherwise (the index is down, or nothing shows it takes
   * writes) this throws and nothing is marked: the batch is retried whole on the next run.
   */
  private async upsertIsolating(records: VectorRecord[], known: VectorRecord | undefined, refusedBefore: Set<number>): Promise<{ rejected: Map<number, string>; written: VectorRecord | undefined }> {
    const index = this.index!;
    let first: unknown;
    try {
      await index.upsert(records);
      return { rejected: new Map(), written: records[0] ?? known };
    } catch (error) {
      first = error;
    }
    // An index that cannot even be read is down: no bisecting through an outage.
    await index.count();
    const accepted: VectorRecord[] = [];
    const suspects: VectorRecord[] = [];
    const bisect = async (part: VectorRecord[]): Promise<void> => {
      if (part.length === 1) return void suspects.push(part[0]);
      const half = Math.ceil(part.length / 2);
      for (const piece of [part.slice(0, half), part.slice(half)]) {
        try {
          await index.upsert(piece);
          accepted.push(...piece);
        } catch {
          await bisect(piece);
        }
      }
    };
    await bisect(records);
    const good = accepted[0] ?? known;
    if (!good && !suspects.every((r) => refusedBefore.has(r.id))) throw first;
    const rejected = new Map<number, string>();
    for (const record of suspects) {
      try {
        await index.upsert([record]);
      } catch (error) {
        rejected.set(record.id, messageOf(error));
      }
    }
    // Throws if the index stopped taking writes meanwhile: then the refusals were an outage's.
    if (rejected.size > 0 && good) await index.upsert([good]);
    return { rejected, written: good };
  }
}
