import type { Embedder } from "./interface";

export const DEFAULT_EMBEDDING_MODEL = "@cf/baai/bge-m3";
/** Output sizes of the Workers AI embedding models we support (model catalog, 2026-11). */
const DIMENSIONS: Record<string, number> = {
  "@cf/baai/bge-m3": 1024,
  "@cf/baai/bge-large-en-v1.5": 1024,
  "@cf/baai/bge-base-en-v1.5": 768,
  "@cf/baai/bge-small-en-v1.5": 384,
};
/**
 * Texts per call. The models accept arrays; 100 keeps one call's tokens (documents are
 * bounded by documentText) well inside the request limits.
 */
const BATCH = 100;

/**
 * Workers AI embeddings (production). bge-m3 is multilingual, so Japanese and English
 * queries land near romaji titles. Vectors are L2-normalised here: the models do not
 * promise unit length, and the index compares by dot product.
 */
export class WorkersAiEmbedder implements Embedder {
  readonly dimensions: number;
  readonly maxBatch = BATCH;

  constructor(
    private readonly ai: Ai,
    readonly model: string = DEFAULT_EMBEDDING_MODEL,
  ) {
    const dims = DIMENSIONS[model];
    if (!dims) throw new Error(`unsupported embedding model ${model}; known: ${Object.keys(DIMENSIONS).join(", ")}`);
    this.dimensions = dims;
  }

  async embed(texts: string[]): Promise<number[][]> {
    const out: number[][] = [];
    for (let i = 0; i < texts.length; i += BATCH) {
      const batch = texts.slice(i, i + BATCH);
      const res = (await this.ai.run(this.model as "@cf/baai/bge-m3", { text: batch, truncate_inputs: true })) as { data?: number[][] };
      if (!Array.isArray(res.data) || res.data.length !== batch.length || res.data.some((v) => v.length !== this.dimensions)) {
        throw new Error(`embedding model ${this.model} returned an unexpected shape`);
      }
      out.push(...res.data.map(unit));
    }
    return out;
  }
}

function unit(v: number[]): number[] {
  const norm = Math.sqrt(v.reduce((s, x) => s + x * x, 0)) || 1;
  return v.map((x) => x / norm);
}
