import type { VectorIndex } from "./interface";

/**
 * Stands in for a vector index that is configured but cannot be built (VECTOR_BACKEND=qdrant
 * without QDRANT_URL, =vectorize without the binding). Every call fails with the reason, so
 * search degrades to keyword results and says why in the log — the rest of the API, which
 * never needed the index, keeps working. Also the local index in production for embeddings
 * too wide for one isolate's memory (src/search/backends.ts).
 */
export class UnavailableVectorIndex implements VectorIndex {
  readonly maxTopK = 1;

  constructor(
    readonly backend: VectorIndex["backend"],
    /** Why the index cannot be built (logged by degraded searches, shown by /health/ready). */
    readonly reason: string,
  ) {}

  private fail(): Promise<never> {
    return Promise.reject(new Error(this.reason));
  }

  upsert() {
    return this.fail();
  }
  delete() {
    return this.fail();
  }
  query() {
    return this.fail();
  }
  queryById() {
    return this.fail();
  }
  count() {
    return this.fail();
  }
}
