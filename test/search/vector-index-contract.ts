import { describe, expect, it } from "vitest";
import type { VectorIndex, VectorMetadata, VectorRecord } from "../../src/search/vector-index/interface";

/**
 * The VectorIndex contract, for any adapter. `make` returns a fresh, empty index. Vectors
 * are small and hand-made so every expected ranking can be worked out on paper.
 */
export function describeVectorIndexContract(name: string, make: () => Promise<VectorIndex>) {
  const meta = (over: Partial<VectorMetadata> = {}): VectorMetadata => ({
    type: "TV", status: "FINISHED", season: "SPRING", year: 2000, score: 7, episodes: 12,
    genres: ["action"], studios: ["sunrise"], system_status: "ACTIVE", updated_at: 1_000, ...over,
  });
  const unit = (...xs: number[]) => {
    const n = Math.hypot(...xs);
    return xs.map((x) => x / n);
  };
  const rec = (id: number, values: number[], over?: Partial<VectorMetadata>): VectorRecord => ({ id, values: unit(...values), metadata: meta(over) });

  describe(`VectorIndex contract: ${name}`, () => {
    it("ranks by cosine similarity, best first, at most topK", async () => {
      const index = await make();
      await index.upsert([rec(1, [1, 0, 0, 0]), rec(2, [0.9, 0.1, 0, 0]), rec(3, [0, 1, 0, 0]), rec(4, [-1, 0, 0, 0])]);
      const got = await index.query({ vector: unit(1, 0, 0, 0), topK: 3 });
      expect(got.map((m) => m.id)).toEqual([1, 2, 3]);
      expect(got[0].score).toBeCloseTo(1, 2);
      expect(got[1].score).toBeCloseTo(0.9 / Math.hypot(0.9, 0.1), 2);
      expect(got[2].score).toBeCloseTo(0, 2);
      expect(await index.count()).toBe(4);
    });

    it("upsert replaces a record with the same id (vector and metadata)", async () => {
      const index = await make();
      await index.upsert([rec(1, [1, 0, 0, 0]), rec(2, [0, 1, 0, 0])]);
      await index.upsert([rec(1, [0, 1, 0, 0], { type: "MOVIE" })]);
      expect(await index.count()).toBe(2);
      const got = await index.query({ vector: unit(0, 1, 0, 0), topK: 2, filter: { type: ["MOVIE"] } });
      expect(got.map((m) => m.id)).toEqual([1]);
      expect(got[0].score).toBeCloseTo(1, 2);
    });

    it("delete removes records; deleting an unknown id is a no-op", async () => {
      const index = await make();
      await index.upsert([rec(1, [1, 0, 0, 0]), rec(2, [1, 1, 0, 0]), rec(3, [0, 1, 0, 0])]);
      await index.delete([1, 99]);
      expect(await index.count()).toBe(2);
      expect((await index.query({ vector: unit(1, 0, 0, 0), topK: 10 })).map((m) => m.id)).toEqual([2, 3]);
    });

    it("filters inside the search: the page is full even when the nearest are filtered out", async () => {
      const index = await make();
      const near = Array.from({ length: 20 }, (_, i) => rec(i + 1, [1, 0.01 * i, 0, 0], { type: "MOVIE" }));
      const far = Array.from({ length: 5 }, (_, i) => rec(100 + i, [0, 1, 0.01 * i, 0], { type: "TV" }));
      await index.upsert([...near, ...far]);
      const got = await index.query({ vector: unit(1, 0, 0, 0), topK: 5, filter: { type: ["TV"] } });
      expect(got.map((m) => m.id).sort()).toEqual([100, 101, 102, 103, 104]);
    });

    it.each([
      [{ type: ["MOVIE"] }, [2]],
      [{ type_exclude: ["TV"] }, [2, 4]],
      [{ status: ["ONGOING"] }, [3]],
      [{ season: ["FALL"] }, [4]],
      [{ year_from: 2005 }, [2, 3]],
      [{ year_to: 1999 }, [4]],
      [{ min_score: 8 }, [2]],
      [{ episodes_min: 20, episodes_max: 30 }, [3]],
      [{ genres: ["Action", "Drama"] }, [3]],
      [{ genres_exclude: ["Drama"] }, [1, 2]],
      [{ genres: ["Mecha"] }, []],
      [{ tags: ["action", "DRAMA"] }, [3]],
      [{ tags_exclude: ["drama"] }, [1, 2]],
      [{ genres: ["Action"], tags_exclude: ["drama"] }, [1, 2]],
      [{ studios: ["BONES", "madhouse"] }, [2, 4]],
      [{ updated_since: "1970-01-01T00:00:02Z" }, [4]],
      [{ include_orphaned: true }, [1, 2, 3, 4, 5]],
      [{}, [1, 2, 3, 4]],
    ] as const)("filter %j → %j", async (filter, expected) => {
      const index = await make();
      await index.upsert([
        rec(1, [1, 0, 0, 0]),
        rec(2, [1, 0.1, 0, 0], { type: "MOVIE", year: 2010, score: 8.5, studios: ["bones"] }),
        rec(3, [1, 0.2, 0, 0], { status: "ONGOING", year: 2005, score: null, episodes: 24, genres: ["action", "drama"] }),
        rec(4, [1, 0.3, 0, 0], { type: "OVA", season: "FALL", year: 1995, genres: ["drama"], studios: ["madhouse"], updated_at: 5_000 }),
        rec(5, [1, 0.4, 0, 0], { system_status: "ORPHANED" }),
      ]);
      const got = await index.query({ vector: unit(1, 0, 0, 0), topK: 10, filter: { include_orphaned: false, ...filter } as never });
      expect(got.map((m) => m.id).sort()).toEqual([...expected]);
    });

    it("an empty index answers with no matches", async () => {
      const index = await make();
      expect(await index.query({ vector: unit(1, 0, 0, 0), topK: 5 })).toEqual([]);
      expect(await index.count()).toBe(0);
      expect(await index.queryById!(1, { topK: 5 })).toBeNull();
    });

    it("queryById ranks by the stored vector, never returns the anime itself, and filters", async () => {
      const index = await make();
      await index.upsert([
        rec(1, [1, 0, 0, 0]),
        rec(2, [0.9, 0.1, 0, 0]),
        rec(3, [0.5, 0.5, 0, 0], { type: "MOVIE" }),
        rec(4, [0, 1, 0, 0]),
        rec(5, [1, 0.05, 0, 0], { system_status: "ORPHANED" }),
      ]);
      const got = (await index.queryById!(1, { topK: 3 }))!;
      expect(got.map((m) => m.id)).toEqual([2, 3, 4]);
      expect(got[0].score).toBeCloseTo(0.9 / Math.hypot(0.9, 0.1), 2);
      expect((await index.queryById!(1, { topK: 1 }))!.map((m) => m.id)).toEqual([2]);
      expect((await index.queryById!(1, { topK: 10, filter: { type: ["MOVIE"] } }))!.map((m) => m.id)).toEqual([3]);
      expect((await index.queryById!(1, { topK: 10, filter: { include_orphaned: true } }))!.map((m) => m.id)).toEqual([5, 2, 3, 4]);
      // The anime's own metadata does not matter: an orphan still has neighbours.
      expect((await index.queryById!(5, { topK: 1 }))!.map((m) => m.id)).toEqual([1]);
    });

    it("queryById answers null for an id it does not hold, also after a delete", async () => {
      const index = await make();
      await index.upsert([rec(1, [1, 0, 0, 0]), rec(2, [0, 1, 0, 0])]);
      expect(await index.queryById!(3, { topK: 5 })).toBeNull();
      await index.delete([1]);
      expect(await index.queryById!(1, { topK: 5 })).toBeNull();
      expect(await index.queryById!(2, { topK: 5 })).toEqual([]);
    });
  });
}
