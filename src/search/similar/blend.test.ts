import { describe, expect, it } from "vitest";
import { blendScore, rankSimilar, type SimilarSignals } from "./blend";

const ctx = { vectorAvailable: true, vectorFloor: 0.5 };
const sig = (s: Partial<SimilarSignals>): SimilarSignals => ({ vector: null, tags: 0, related: false, prior: 0, ...s });
const ranked = (cands: [number, SimilarSignals][], c = ctx) =>
  rankSimilar(cands.map(([id, signals]) => ({ id, signals, score: blendScore(signals, c) }))).map((x) => x.id);

describe("blendScore", () => {
  it("is (0.5 × vector + 0.5 × tags + 0.3 × related) × (0.85 + 0.15 × prior)", () => {
    expect(blendScore(sig({ vector: 0.8, tags: 0.4, related: true, prior: 1 }), ctx)).toBeCloseTo(0.5 * 0.8 + 0.5 * 0.4 + 0.3, 10);
    expect(blendScore(sig({ vector: 0.8, tags: 0.4, prior: 0 }), ctx)).toBeCloseTo((0.4 + 0.2) * 0.85, 10);
  });

  it("counts the weakest vector score for a candidate the vector leg did not return", () => {
    expect(blendScore(sig({ tags: 0.4 }), ctx)).toBeCloseTo((0.5 * 0.5 + 0.2) * 0.85, 10);
  });

  it("uses the tag score alone without a vector leg", () => {
    expect(blendScore(sig({ tags: 0.4, prior: 1 }), { vectorAvailable: false, vectorFloor: 0 })).toBeCloseTo(0.4, 10);
  });

  it("counts a relation fully for a vector neighbour or a tag score ≥ 0.2, proportionally below", () => {
    const bonus = (s: Partial<SimilarSignals>) => blendScore(sig({ ...s, related: true, prior: 1 }), ctx) - blendScore(sig({ ...s, prior: 1 }), ctx);
    expect(bonus({ vector: 0.6 })).toBeCloseTo(0.3, 10);
    expect(bonus({ tags: 0.25 })).toBeCloseTo(0.3, 10);
    expect(bonus({ tags: 0.05 })).toBeCloseTo(0.075, 10);
    expect(bonus({})).toBe(0);
  });

  it("lets popularity reorder near-ties only", () => {
    const popular = blendScore(sig({ vector: 0.6, tags: 0.3, prior: 0.9 }), ctx);
    expect(blendScore(sig({ vector: 0.6, tags: 0.29, prior: 0 }), ctx)).toBeLessThan(popular);
    expect(blendScore(sig({ vector: 0.6, tags: 0.5, prior: 0 }), ctx)).toBeGreaterThan(popular);
  });
});

describe("rankSimilar", () => {
  it("puts every candidate with vector or tag evidence before any without", () => {
    const bare = sig({ related: true, prior: 1 });
    const weak = sig({ vector: 0.5 });
    expect(blendScore(bare, ctx)).toBeGreaterThan(blendScore(weak, ctx));
    expect(ranked([[1, bare], [2, weak], [3, sig({ tags: 0.01 })]])).toEqual([3, 2, 1]);
  });

  it("orders by score, then id", () => {
    expect(ranked([[5, sig({ tags: 0.3 })], [2, sig({ tags: 0.3 })], [9, sig({ tags: 0.6 })]])).toEqual([9, 2, 5]);
  });
});
