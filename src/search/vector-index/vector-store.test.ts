import { describe, expect, it } from "vitest";
import type { VectorMetadata } from "./interface";
import { seededRandom as seeded } from "../query/testkit";
import { VectorStore, quantise } from "./vector-store";

const META: VectorMetadata = { type: "TV", status: "FINISHED", season: "SPRING", year: 2000, score: 7, episodes: 12, genres: [], studios: [], system_status: "ACTIVE", updated_at: 0 };

/** Unit vectors with most dimensions zero, like the local embedder's. */
function sparseUnit(r: () => number, dims: number, nonZero: number): number[] {
  const v = new Array<number>(dims).fill(0);
  for (let i = 0; i < nonZero; i++) v[Math.floor(r() * dims)] = r() * 2 - 1;
  const norm = Math.hypot(...v) || 1;
  return v.map((x) => x / norm);
}

describe("VectorStore scan (dimension-major, integer sums)", () => {
  it("ranks exactly like a plain dot product over the stored int8 vectors, through growth, replacement and removal", () => {
    const r = seeded(7);
    const dims = 64;
    const store = new VectorStore();
    // Reference: what each id holds, quantised the way the store holds it.
    const held = new Map<number, { q: Int8Array; scale: number }>();
    const add = (id: number) => {
      const values = sparseUnit(r, dims, 12);
      for (const rec of store.prepare([{ id, values, metadata: META }])) store.put(rec);
      held.set(id, quantise(values));
    };
    // 3,000 puts from an empty store: the arrays grow several times (1,024 → 1,536 → …).
    for (let id = 1; id <= 3000; id++) add(id);
    for (let id = 1; id <= 3000; id += 7) add(id); // replaced in place
    for (let id = 2; id <= 3000; id += 5) (store.remove(id), held.delete(id)); // last slot moves into the gap
    for (let id = 3001; id <= 3100; id++) add(id);
    expect(store.count).toBe(held.size);

    for (let t = 0; t < 20; t++) {
      const query = sparseUnit(r, dims, t % 2 ? 5 : 40);
      const expected = [...held]
        .map(([id, { q, scale }]) => ({ id, score: q.reduce((sum, x, j) => sum + x * query[j], 0) * scale }))
        .sort((a, b) => b.score - a.score || a.id - b.id)
        .slice(0, 25);
      const got = store.query(query, 25);
      expect(got.map((m) => m.id)).toEqual(expected.map((m) => m.id));
      got.forEach((m, i) => expect(m.score).toBeCloseTo(expected[i].score, 4));
    }
  });

  it("answers the neighbours of a stored vector from its dimensions after other vectors moved", () => {
    const store = new VectorStore();
    const put = (id: number, values: number[]) => store.prepare([{ id, values, metadata: META }]).forEach((rec) => store.put(rec));
    put(1, [1, 0, 0]);
    put(2, [0, 1, 0]);
    put(3, [0, 0.6, 0.8]);
    put(4, [0.8, 0.6, 0]);
    store.remove(1); // 4 moves into slot 0
    expect(store.queryById(4, 2)!.map((m) => m.id)).toEqual([2, 3]);
    expect(store.queryById(3, 1)![0]).toMatchObject({ id: 2 });
    expect(store.queryById(3, 1)![0].score).toBeCloseTo(0.6, 2);
  });

  it("scores a zero query 0 for every vector instead of failing", () => {
    const store = new VectorStore();
    store.prepare([{ id: 1, values: [1, 0], metadata: META }]).forEach((rec) => store.put(rec));
    expect(store.query([0, 0], 5)).toEqual([{ id: 1, score: 0 }]);
  });
});
