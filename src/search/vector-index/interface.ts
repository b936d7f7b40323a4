import type { Filters } from "../../catalog/filters";

/**
 * Facts stored beside each vector so that search filters run inside the index (a
 * post-filter would starve the page). Names and keys are lower-cased like the catalog's
 * membership keys; `updated_at` is epoch milliseconds.
 */
export interface VectorMetadata {
  type: string;
  status: string;
  season: string;
  year: number | null;
  score: number | null;
  episodes: number;
  genres: string[];
  studios: string[];
  system_status: "ACTIVE" | "ORPHANED";
  updated_at: number;
}

/** One anime's vector; `id` is the Kensho anime id. */
export interface VectorRecord {
  id: number;
  values: number[];
  metadata: VectorMetadata;
}

/** A neighbour: cosine similarity in [-1, 1], higher is closer. */
export interface VectorMatch {
  id: number;
  score: number;
}

/** How many neighbours, among which anime. */
export interface NeighbourQuery {
  /** 1 … maxTopK. */
  topK: number;
  /**
   * The catalog's filters (same names and meaning as GET /v1/anime). Orphaned entries are
   * excluded unless `include_orphaned` is true.
   */
  filter?: Filters;
}

export interface VectorQuery extends NeighbourQuery {
  vector: number[];
}

/**
 * A vector index of anime. Adapters: local (Durable Object, exact search), Vectorize, Qdrant.
 * Contract: upsert replaces a record with the same id; delete of an unknown id is a no-op;
 * query returns at most topK matches, best first, each satisfying the filter. Hosted indexes
 * apply writes asynchronously (seconds on Vectorize), and Vectorize applies genre and studio
 * filters after fetching its 50 nearest, so it may return fewer than topK under those
 * filters (docs/vector-backends.md). Enum metadata keeps the catalog's upper case. Failures throw
 * (the search degrades to keyword results; it never turns them into a 500).
 */
export interface VectorIndex {
  readonly backend: "local" | "vectorize" | "qdrant";
  /** Largest topK one query may ask for. */
  readonly maxTopK: number;
  upsert(records: VectorRecord[]): Promise<void>;
  delete(ids: number[]): Promise<void>;
  query(q: VectorQuery): Promise<VectorMatch[]>;
  /**
   * The neighbours of the vector the index holds for anime `id` (no embedding needed): at most
   * topK, best first, each satisfying the filter, never `id` itself. Null when the index holds
   * no vector for `id` (not indexed yet; on Vectorize, possibly written seconds ago). Every
   * adapter has it; optional only so that stand-ins of an index in unit tests need not.
   */
  queryById(id: number, q: NeighbourQuery): Promise<VectorMatch[] | null>;
  /** Number of vectors held (for health and progress). */
  count(): Promise<number>;
  /**
   * Creates what the backend needs before the first upsert of `dimensions`-sized vectors
   * (Qdrant: the collection and payload indexes). Idempotent. Absent when nothing is needed.
   */
  prepare?(dimensions: number): Promise<void>;
  /** Drops every vector, for a rebuild with another model. Absent on hosted indexes (recreate them instead). */
  clear?(): Promise<void>;
}
