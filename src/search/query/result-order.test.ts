import { describe, expect, it } from "vitest";
import { orderBy } from "./result-order";

const row = (id: number, score: number | null, sites: number, related = 0) => ({
  id,
  score,
  source_urls: Array.from({ length: sites }, (_, i) => `https://site${i}.example/anime/${id}`),
  related: Array.from({ length: related }, (_, i) => ({ id: null, title: null, type: null, year: null, url: `https://site0.example/anime/${1000 + i}` })),
});

describe("orderBy", () => {
  const rows = [row(1, 7.1, 10), row(2, null, 10), row(3, 8.9, 1), row(4, 8.9, 2), row(5, 7.1, 10, 3)];

  it("score: best first, unknown last, ties in the order they came", () => {
    expect(orderBy(rows, "score").map((r) => r.id)).toEqual([3, 4, 1, 5, 2]);
  });

  it("popularity: sites × score, then relations (popularity.ts), unrated last", () => {
    expect(orderBy(rows, "popularity").map((r) => r.id)).toEqual([5, 1, 4, 3, 2]);
  });

  it("leaves its input as it was", () => {
    orderBy(rows, "score");
    expect(rows.map((r) => r.id)).toEqual([1, 2, 3, 4, 5]);
  });
});
