import { describe, expect, it } from "vitest";
import { rarestByList, rarestListedCount, rarestTrigrams, uncommonTrigrams } from "./trigram-plan";

// "the" and "shi" head the common list (thousands of names); "qzx" and "yoj" are not on it.
describe("trigram planning", () => {
  it("counts only the trigrams off the common list", () => {
    expect(uncommonTrigrams(["the", "qzx", "shi", "yoj"])).toEqual(["qzx", "yoj"]);
  });

  it("pins a substring by unlisted trigrams first, then the rarest listed ones", () => {
    expect(rarestByList(["the", "qzx", "shi"], 2)).toEqual(["qzx", "shi"]);
    expect(rarestByList(["the", "shi"], 1)).toEqual(["shi"]);
  });

  it("takes the typo query's rarest trigrams by count, never one no name holds, within the budget past the minimum", () => {
    const counted = [{ term: "yoj", doc: 320 }, { term: "qzx", doc: 12 }];
    const grams = ["shi", "hin", "yoj", "qzx", "oky", "zzq"]; // "zzq" is in no name: not counted
    expect(rarestTrigrams(counted, grams, { min: 2, max: 8, budget: 100_000 })).toEqual(["qzx", "yoj", "oky", "hin", "shi"]);
    expect(rarestTrigrams(counted, grams, { min: 2, max: 3, budget: 100_000 })).toEqual(["qzx", "yoj", "oky"]);
    // Past two trigrams (332 names), "oky" (1,152 by the list) would bring them over a 1,000 budget.
    expect(rarestTrigrams(counted, grams, { min: 2, max: 8, budget: 1000 })).toEqual(["qzx", "yoj"]);
  });
});

describe("rarestListedCount", () => {
  it("is the count of the rarest listed trigram, 0 when one is off the list", () => {
    expect(rarestListedCount(["the", "shi"])).toBe(17746);
    expect(rarestListedCount(["the", "qzx"])).toBe(0);
  });
});
