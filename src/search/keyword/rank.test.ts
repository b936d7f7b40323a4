import { describe, expect, it } from "vitest";
import { rankKeywordCandidates, type KeywordCandidate } from "./rank";
import { compact } from "./normalize";

const cand = (id: number, names: string[], extra: Partial<KeywordCandidate> = {}): KeywordCandidate => ({ id, names: names.map(compact), words: false, contains: false, score: null, ...extra });

describe("rankKeywordCandidates", () => {
  it("puts an exact title first, then exact synonyms, then prefixes", () => {
    const out = rankKeywordCandidates("cowboybebop", [
      cand(5, ["Cowboy Bebop: Tengoku no Tobira"], { words: true, contains: true }),
      cand(1, ["Cowboy Bebop"], { words: true, contains: true }),
      cand(9, ["Space Cowboys", "Cowboy Bebop"], { words: true }),
    ]);
    expect(out.map((h) => h.id)).toEqual([1, 9, 5]);
    expect(out[0]).toMatchObject({ exact: true, prefix: true });
    expect(out[2]).toMatchObject({ exact: false, prefix: true });
  });

  it("prefers the franchise root among titles the query starts", () => {
    const out = rankKeywordCandidates("rezero", [
      cand(3, ["Re:Zero kara Hajimeru Break Time"]),
      cand(1, ["Re:Zero kara Hajimeru Isekai Seikatsu"]),
      cand(2, ["Re:Zero kara Hajimeru Isekai Seikatsu 2nd Season"]),
      cand(4, ["Re:Zero kara Hajimeru Isekai Seikatsu - Memory Snow"]),
    ]);
    expect(out[0].id).toBe(1);
  });

  it("gives no franchise-root bonus to a title the query does not start (typos)", () => {
    const out = rankKeywordCandidates("narutoshipuden", [
      cand(1, ["Naruto"]),
      cand(2, ["Naruto: Shippuuden"]),
      cand(3, ["Naruto: Shippuuden Movie 1"]),
      cand(4, ["Naruto SD: Rock Lee no Seishun Full-Power Ninden"]),
      cand(5, ["Naruto Movie 1"]),
    ]);
    expect(out[0].id).toBe(2);
  });

  it("ranks a one-typo title by trigram similarity above loosely related ones", () => {
    const out = rankKeywordCandidates("cowbybebop", [cand(2, ["Show By Rock!!"]), cand(1, ["Cowboy Bebop"]), cand(3, ["Time Bokan"])]);
    expect(out[0].id).toBe(1);
    expect(out[0].similarity).toBeGreaterThan(0.4);
    expect(out[0].exact).toBe(false);
  });

  it("is deterministic: equal scores order by id", () => {
    const out = rankKeywordCandidates("xyz", [cand(8, ["abc"]), cand(3, ["abc"])]);
    expect(out.map((h) => h.id)).toEqual([3, 8]);
  });
});
