/**
 * Turns texts into vectors of one fixed size. Contract: `embed` returns one vector per text,
 * in order, each of `dimensions` numbers and L2-normalised (cosine = dot product); the same
 * text and model always give the same vector. `model` names the vector space: vectors of
 * different models are never compared, and a model change means a full reindex.
 */
export interface Embedder {
  readonly model: string;
  readonly dimensions: number;
  /** Texts per call the backend accepts; callers batch to this. */
  readonly maxBatch: number;
  embed(texts: string[]): Promise<number[][]>;
}
