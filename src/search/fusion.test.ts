import { describe, expect, it } from "vitest";
import { fuse } from "./fusion";
import { DEFAULT_MIN_CONFIDENCE, fusionWeights, isKnownItem } from "./relevance";
import { LOCAL_EMBEDDING_MODEL } from "./embedder/local";

const kw = (id: number, extra: Partial<{ exactTitle: boolean; exact: boolean; prefix: boolean; similarity: number; confidence: number }> = {}) => ({ id, score: 1, exactTitle: false, exact: false, prefix: false, similarity: 0, confidence: 0.5, ...extra });

describe("fuse (reciprocal-rank fusion)", () => {
  it("sums 1/(60 + rank) over the legs and records each leg's rank", () => {
    const out = fuse([kw(1), kw(2)], [{ id: 2, score: 0.9 }, { id: 3, score: 0.8 }]);
    expect(out.map((h) => h.id)).toEqual([2, 1, 3]);
    expect(out[0]).toMatchObject({ keyword_rank: 2, vector_rank: 1 });
    expect(out[0].score).toBeCloseTo(1 / 62 + 1 / 61, 10);
    expect(out[1]).toMatchObject({ keyword_rank: 1, vector_rank: null });
    expect(out[2]).toMatchObject({ keyword_rank: null, vector_rank: 2, vector_score: 0.8 });
  });

  it("an exact title match outranks an anime both legs put first", () => {
    const out = fuse([kw(1), kw(2, { exact: true, exactTitle: true })], [{ id: 1, score: 0.9 }]);
    expect(out[0].id).toBe(2);
    expect(out[0].boost).toBe(0.06);
  });

  it("between two exact names the keyword leg's order (its priors) stands, even when the vector leg prefers the other", () => {
    const out = fuse([kw(1, { exact: true }), kw(2, { exact: true, exactTitle: true })], [{ id: 2, score: 0.9 }], { vector: 0.3, keywordK: 5, vectorConfidence: () => 0 });
    expect(out.map((h) => h.id)).toEqual([1, 2]);
    expect(out[1].boost).toBe(0.06);
  });

  it("weights the vector leg's ranks, and a hit's confidence is the surer of its legs", () => {
    const weights = { vector: 0.5, vectorConfidence: (c: number) => c / 2 };
    const out = fuse([kw(1, { confidence: 0.9 })], [{ id: 2, score: 0.8 }, { id: 1, score: 0.4 }], weights);
    expect(out[0]).toMatchObject({ id: 1, confidence: 0.9, vector_weight: 0.5 });
    expect(out[0].score).toBeCloseTo(1 / 61 + (0.5 * 0.2) / 62, 10);
    expect(out[1]).toMatchObject({ id: 2, confidence: 0.4 });
    expect(out[1].score).toBeCloseTo((0.5 * 0.4) / 61, 10);
  });

  it("adds spelling closeness: the closer typo wins a tie of ranks", () => {
    const out = fuse([kw(1, { similarity: 0.5 }), kw(2, { similarity: 0.9 })], [{ id: 1, score: 0.9 }, { id: 2, score: 0.8 }]);
    expect(out[0].id).toBe(2);
    expect(out[0].boost).toBeCloseTo(0.0162, 6);
  });

  it("among prefix matches, spelling closeness does not override the keyword order", () => {
    const out = fuse([{ ...kw(1, { prefix: true }), similarity: 0.2 }, { ...kw(2, { prefix: true }), similarity: 0.3 }], [{ id: 2, score: 0.9 }, { id: 1, score: 0.8 }]);
    expect(out.map((h) => h.id)).toEqual([1, 2]);
  });

  it("a prefix match gets the smaller boost", () => {
    const out = fuse([kw(1, { prefix: true })], []);
    expect(out[0].boost).toBe(0.02);
  });

  it("with one leg, keeps that leg's order whatever the boosts", () => {
    const out = fuse([kw(1, { prefix: true }), kw(2, { similarity: 1 }), kw(3, { exact: true })], []);
    expect(out.map((h) => h.id)).toEqual([1, 2, 3]);
  });

  it("is deterministic on ties (by id) and handles empty legs", () => {
    expect(fuse([], [{ id: 9, score: 0.5 }, { id: 4, score: 0.5 }]).map((h) => h.id)).toEqual([9, 4]);
    expect(fuse([kw(5)], [{ id: 4, score: 1 }]).map((h) => h.id)).toEqual([4, 5]);
    expect(fuse([], [])).toEqual([]);
  });
});

describe("fusion weights per query and embedder (relevance.ts)", () => {
  it("an exact title beats any vector-only hit, for the local and a neural embedder", () => {
    for (const model of [LOCAL_EMBEDDING_MODEL, "@cf/baai/bge-m3"]) {
      const weights = fusionWeights(model, true);
      const vectorOnly = Array.from({ length: 100 }, (_, i) => ({ id: 100 + i, score: 0.99 - i / 1000 }));
      const out = fuse([kw(1, { exact: true, exactTitle: true, confidence: 1 })], vectorOnly, weights);
      expect(out[0].id, model).toBe(1);
    }
  });

  it("a known-item query counts the vector leg less than a description, and the local embedder less than a neural one", () => {
    expect(fusionWeights(LOCAL_EMBEDDING_MODEL, true).vector).toBeLessThan(fusionWeights(LOCAL_EMBEDDING_MODEL, false).vector);
    expect(fusionWeights(LOCAL_EMBEDDING_MODEL, false).vector).toBeLessThan(fusionWeights("@cf/baai/bge-m3", false).vector);
    expect(fusionWeights(LOCAL_EMBEDDING_MODEL, true).keywordK).toBeLessThan(60);
    expect(fusionWeights(LOCAL_EMBEDDING_MODEL, false).keywordK).toBeUndefined();
  });

  it("calibrates cosines: the local embedder's noise level (≤ 0.104 for random strings) is no evidence", () => {
    const { vectorConfidence } = fusionWeights(LOCAL_EMBEDDING_MODEL, false);
    expect(vectorConfidence(0.104)).toBeLessThan(DEFAULT_MIN_CONFIDENCE);
    expect(vectorConfidence(0.13)).toBeGreaterThan(DEFAULT_MIN_CONFIDENCE);
    expect(vectorConfidence(1)).toBe(1);
  });

  it("a query is known-item when a name matched surely", () => {
    expect(isKnownItem([kw(1, { exact: true, confidence: 1 })])).toBe(true);
    expect(isKnownItem([kw(1, { similarity: 0.4, confidence: 0.4 })])).toBe(false);
    expect(isKnownItem([])).toBe(false);
  });
});
