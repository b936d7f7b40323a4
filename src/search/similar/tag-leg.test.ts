import { describe, expect, it } from "vitest";
import { idf, tagSimilarity, tagVector, type TagStats } from "./tag-leg";

const stats: TagStats = {
  total: 40_000,
  df: new Map([["japanese production", 12_000], ["action", 10_000], ["comedy", 13_000], ["time machine", 26], ["solo", 1]]),
};

describe("tag weights", () => {
  it("weigh a tag by ln(N / df); a tag one anime has, or an uncounted one, weighs 0", () => {
    expect(idf(stats, "time machine")).toBeCloseTo(Math.log(40_000 / 26), 10);
    expect(idf(stats, "japanese production")).toBeCloseTo(Math.log(40_000 / 12_000), 10);
    expect(idf(stats, "solo")).toBe(0);
    expect(idf(stats, "never seen")).toBe(0);
  });

  it("a shared rare tag scores above three shared common ones", () => {
    const self = tagVector(["Time Machine", "japanese production", "action", "comedy", "solo"], stats);
    const rare = tagSimilarity(self, tagVector(["time machine", "solo"], stats));
    const common = tagSimilarity(self, tagVector(["japanese production", "action", "comedy"], stats));
    expect(rare.score).toBeGreaterThan(common.score);
    expect(rare.shared).toEqual(["time machine"]);
    expect(common.shared).toEqual(["action", "japanese production", "comedy"]);
  });

  it("is a cosine: 1 for the same tags, 0 for none shared", () => {
    const a = tagVector(["time machine", "action"], stats);
    expect(tagSimilarity(a, tagVector(["action", "time machine"], stats)).score).toBeCloseTo(1, 10);
    expect(tagSimilarity(a, tagVector(["comedy"], stats))).toEqual({ score: 0, shared: [] });
  });
});
