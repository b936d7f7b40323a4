import type { Filters } from "../catalog/filters";
import type { Embedder } from "./embedder/interface";
import type { VectorIndex, VectorMatch } from "./vector-index/interface";

/** Why a search answered without its vector leg: disabled by config, failed, or too slow. */
export type VectorLegFailure = "disabled" | "error" | "timeout";

export type VectorLegResult = { ok: true; matches: VectorMatch[] } | { ok: false; reason: VectorLegFailure; message?: string };

/** The embedder and index of semantic search; `index` is null when VECTOR_BACKEND=off. */
export interface VectorSearch {
  embedder: Embedder;
  index: VectorIndex | null;
  timeoutMs: number;
}

/**
 * Embeds `text` and asks the index for its neighbours under `filters`, within the time
 * budget. Never throws: a failure is a typed result, so the caller can degrade to keyword
 * results instead of failing the request.
 */
export async function vectorLeg(vs: VectorSearch, text: string, filters: Filters, topK: number): Promise<VectorLegResult> {
  const index = vs.index;
  if (!index) return { ok: false, reason: "disabled" };
  let timer: ReturnType<typeof setTimeout> | undefined;
  const timeout = new Promise<VectorLegResult>((resolve) => {
    timer = setTimeout(() => resolve({ ok: false, reason: "timeout" }), vs.timeoutMs);
  });
  const work = (async (): Promise<VectorLegResult> => {
    const [vector] = await vs.embedder.embed([text]);
    const matches = await index.query({ vector, topK: Math.min(topK, index.maxTopK), filter: filters });
    return { ok: true, matches };
  })().catch((e: unknown): VectorLegResult => ({ ok: false, reason: "error", message: e instanceof Error ? e.message : String(e) }));
  try {
    return await Promise.race([work, timeout]);
  } finally {
    clearTimeout(timer);
  }
}
