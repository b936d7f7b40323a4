import type { NeighbourQuery, VectorIndex, VectorMatch, VectorQuery, VectorRecord } from "./interface";
import type { VectorIndexObject } from "./local-object";

/** Records per RPC call: keeps one call's payload (128 numbers each locally, 1024 with bge-m3) to a few MB. */
const UPSERT_CHUNK = 500;

/**
 * The default vector index when neither Vectorize nor Qdrant is configured: every call goes
 * to one Durable Object (named by `name`) that holds all vectors and searches exactly.
 */
export class LocalVectorIndex implements VectorIndex {
  readonly backend = "local";
  readonly maxTopK = 1000;
  private readonly stub: DurableObjectStub<VectorIndexObject>;

  constructor(namespace: DurableObjectNamespace<VectorIndexObject>, name = "anime-text") {
    this.stub = namespace.get(namespace.idFromName(name));
  }

  async upsert(records: VectorRecord[]): Promise<void> {
    for (let i = 0; i < records.length; i += UPSERT_CHUNK) await this.stub.upsert(records.slice(i, i + UPSERT_CHUNK));
  }

  async delete(ids: number[]): Promise<void> {
    if (ids.length) await this.stub.delete(ids);
  }

  async query(q: VectorQuery): Promise<VectorMatch[]> {
    return this.stub.query({ ...q, topK: this.clamp(q.topK) });
  }

  /** Exact neighbours of the stored (int8) vector of `id`. */
  async queryById(id: number, q: NeighbourQuery): Promise<VectorMatch[] | null> {
    return this.stub.queryById(id, { filter: q.filter, topK: this.clamp(q.topK) });
  }

  count(): Promise<number> {
    return this.stub.count();
  }

  /** Drops every vector (before a reindex with another model). */
  async clear(): Promise<void> {
    await this.stub.clear();
  }

  private clamp(topK: number): number {
    return Math.max(1, Math.min(this.maxTopK, Math.trunc(topK)));
  }
}
