import { DurableObject } from "cloudflare:workers";
import type { VectorMatch, VectorQuery, VectorRecord } from "./interface";
import { VectorStore } from "./vector-store";

/**
 * The local vector index: one Durable Object with SQLite storage doing exact cosine search
 * over a VectorStore (int8 vectors, columnar metadata) that it loads from SQLite when it
 * starts. Rows keep the format they always had (int8 blob, scale, metadata JSON), so an
 * existing index loads as it is. Single-threaded by construction: the DO serialises calls,
 * so no locking is needed.
 */
export class VectorIndexObject extends DurableObject<Env> {
  private readonly store = new VectorStore();

  constructor(ctx: DurableObjectState, env: Env) {
    super(ctx, env);
    ctx.blockConcurrencyWhile(async () => {
      this.sql.exec("CREATE TABLE IF NOT EXISTS vectors (id INTEGER PRIMARY KEY, scale REAL NOT NULL, vec BLOB NOT NULL, meta TEXT NOT NULL)");
      const { n } = this.sql.exec<{ n: number }>("SELECT count(*) AS n FROM vectors").one();
      // One row's metadata object at a time: parsed, turned into columns, dropped.
      for (const row of this.sql.exec<{ id: number; scale: number; vec: ArrayBuffer; meta: string }>("SELECT id, scale, vec, meta FROM vectors")) {
        if (this.store.count === 0) this.store.reserve(n, row.vec.byteLength);
        this.store.put({ id: row.id, q: new Int8Array(row.vec), scale: row.scale, metadata: JSON.parse(row.meta) });
      }
      this.store.fit();
    });
  }

  private get sql() {
    return this.ctx.storage.sql;
  }

  /** Memory changes only after the SQLite transaction committed, so the two never disagree. */
  upsert(records: VectorRecord[]): number {
    const prepared = this.store.prepare(records);
    this.ctx.storage.transactionSync(() => {
      for (const r of prepared) this.sql.exec("INSERT OR REPLACE INTO vectors (id, scale, vec, meta) VALUES (?, ?, ?, ?)", r.id, r.scale, r.q.buffer, JSON.stringify(r.metadata));
    });
    for (const r of prepared) this.store.put(r);
    return this.store.count;
  }

  delete(ids: number[]): number {
    this.ctx.storage.transactionSync(() => {
      for (const id of ids) this.sql.exec("DELETE FROM vectors WHERE id = ?", id);
    });
    for (const id of ids) this.store.remove(id);
    return this.store.count;
  }

  query(q: VectorQuery): VectorMatch[] {
    return this.store.query(q.vector, q.topK, q.filter);
  }

  /** Neighbours of the stored vector of `id` (itself excluded); null when it holds none. */
  queryById(id: number, q: Omit<VectorQuery, "vector">): VectorMatch[] | null {
    return this.store.queryById(id, q.topK, q.filter);
  }

  count(): number {
    return this.store.count;
  }

  /** Empties the index (a model change needs vectors of another size). */
  clear(): void {
    this.sql.exec("DELETE FROM vectors");
    this.store.clear();
  }
}
