import { describe, expect, it } from "vitest";
import type { VectorMetadata, VectorRecord } from "./interface";
import { VectorizeVectorIndex, type VectorizeBinding } from "./vectorize";

/**
 * Vectorize has no local simulation (wrangler dev proxies it to the real service), so these
 * tests drive the adapter against a recording stand-in of the binding: they pin the calls the
 * adapter makes and how it reads the answers, not the service's behaviour.
 */
class RecordingBinding implements VectorizeBinding {
  readonly calls: { method: string; args: unknown[] }[] = [];
  /** The answer to query and queryById: with each match's stored metadata when asked for "all". */
  matches: VectorizeMatch[] = [];
  stored = new Map<string, VectorizeVector>();
  /** What queryById does for an id not in `stored` (the service's behaviour is not documented). */
  unknownId: "empty" | "throw" = "empty";
  info: VectorizeIndexInfo | VectorizeIndexDetails = { vectorCount: 0, dimensions: 4, processedUpToDatetime: 0, processedUpToMutation: 0 };

  async query(vector: number[], options?: VectorizeQueryOptions): Promise<VectorizeMatches> {
    this.calls.push({ method: "query", args: [vector, options] });
    return this.answer(options);
  }
  async queryById(id: string, options?: VectorizeQueryOptions): Promise<VectorizeMatches> {
    this.calls.push({ method: "queryById", args: [id, options] });
    if (!this.stored.has(id) && this.unknownId === "throw") throw new Error("vector not found");
    return this.stored.has(id) ? this.answer(options) : { matches: [], count: 0 };
  }
  private answer(options?: VectorizeQueryOptions): VectorizeMatches {
    const matches = this.matches.slice(0, options?.topK ?? 5).map((m) => (options?.returnMetadata === "all" ? { ...m, metadata: this.stored.get(m.id)?.metadata } : m));
    return { matches, count: matches.length };
  }
  async upsert(vectors: VectorizeVector[]): Promise<VectorizeAsyncMutation> {
    this.calls.push({ method: "upsert", args: [vectors] });
    return { mutationId: "m" };
  }
  async deleteByIds(ids: string[]): Promise<VectorizeAsyncMutation> {
    this.calls.push({ method: "deleteByIds", args: [ids] });
    return { mutationId: "m" };
  }
  async getByIds(ids: string[]): Promise<VectorizeVector[]> {
    this.calls.push({ method: "getByIds", args: [ids] });
    return ids.flatMap((id) => this.stored.get(id) ?? []);
  }
  async describe() {
    this.calls.push({ method: "describe", args: [] });
    return this.info;
  }
  of(method: string): unknown[][] {
    return this.calls.filter((c) => c.method === method).map((c) => c.args);
  }
}

const META: VectorMetadata = {
  type: "TV", status: "FINISHED", season: "SPRING", year: 1998, score: 8.7, episodes: 26,
  genres: ["action", "sci-fi"], studios: ["sunrise"], system_status: "ACTIVE", updated_at: 1_700_000_000_000,
};
const record = (id: number, metadata: Partial<VectorMetadata> = {}): VectorRecord => ({ id, values: [id, 0, 0, 1], metadata: { ...META, ...metadata } });
const ACTIVE_ONLY = { system_status: { $eq: "ACTIVE" } };

function setup() {
  const binding = new RecordingBinding();
  return { binding, index: new VectorizeVectorIndex(binding) };
}

describe("VectorizeVectorIndex writes", () => {
  it("upserts with string ids and the metadata, leaving out null year and score", async () => {
    const { binding, index } = setup();
    await index.upsert([record(1), record(2, { year: null, score: null })]);
    const [[vectors]] = binding.of("upsert") as [[VectorizeVector[]]];
    expect(vectors[0]).toEqual({ id: "1", values: [1, 0, 0, 1], metadata: META });
    expect(vectors[1].id).toBe("2");
    expect(vectors[1].metadata).not.toHaveProperty("year");
    expect(vectors[1].metadata).not.toHaveProperty("score");
    expect(vectors[1].metadata).toMatchObject({ genres: ["action", "sci-fi"], system_status: "ACTIVE" });
  });

  it("upserts at most 1000 vectors per call, in order", async () => {
    const { binding, index } = setup();
    await index.upsert(Array.from({ length: 2500 }, (_, i) => record(i + 1)));
    const sizes = binding.of("upsert").map(([v]) => (v as VectorizeVector[]).length);
    expect(sizes).toEqual([1000, 1000, 500]);
    expect((binding.of("upsert")[2][0] as VectorizeVector[])[0].id).toBe("2001");
  });

  it("deletes by string ids, at most 100 per call, and makes no call for nothing", async () => {
    const { binding, index } = setup();
    await index.delete([]);
    expect(binding.calls).toEqual([]);
    await index.delete(Array.from({ length: 250 }, (_, i) => i + 1));
    const batches = binding.of("deleteByIds").map(([ids]) => ids as string[]);
    expect(batches.map((b) => b.length)).toEqual([100, 100, 50]);
    expect(batches[0].slice(0, 2)).toEqual(["1", "2"]);
    expect(batches[2].at(-1)).toBe("250");
  });
});

describe("VectorizeVectorIndex.query", () => {
  it("asks for topK without metadata, active entries only, and maps ids to numbers", async () => {
    const { binding, index } = setup();
    binding.matches = [{ id: "42", score: 0.91 }, { id: "7", score: 0.5 }];
    const result = await index.query({ vector: [1, 0, 0, 0], topK: 5 });
    expect(binding.of("query")).toEqual([[[1, 0, 0, 0], { topK: 5, returnMetadata: "none", filter: ACTIVE_ONLY }]]);
    expect(result).toEqual([{ id: 42, score: 0.91 }, { id: 7, score: 0.5 }]);
    expect(binding.of("getByIds")).toEqual([]);
  });

  it.each([
    [500, 100],
    [0, 1],
    [7.9, 7],
  ])("clamps topK %s to %s", async (asked, sent) => {
    const { binding, index } = setup();
    await index.query({ vector: [1], topK: asked });
    expect((binding.of("query")[0][1] as VectorizeQueryOptions).topK).toBe(sent);
  });

  it("translates every native filter to Vectorize operators", async () => {
    const { binding, index } = setup();
    await index.query({
      vector: [1],
      topK: 10,
      filter: {
        type: ["TV", "MOVIE"], status: ["FINISHED"], season: ["SPRING", "FALL"], year_from: 1990, year_to: 1999,
        min_score: 7.5, episodes_min: 12, episodes_max: 26, updated_since: "2026-01-01T00:00:00Z",
      },
    });
    expect((binding.of("query")[0][1] as VectorizeQueryOptions).filter).toEqual({
      system_status: { $eq: "ACTIVE" },
      type: { $in: ["TV", "MOVIE"] },
      status: { $in: ["FINISHED"] },
      season: { $in: ["SPRING", "FALL"] },
      year: { $gte: 1990, $lte: 1999 },
      score: { $gte: 7.5 },
      episodes: { $gte: 12, $lte: 26 },
      updated_at: { $gte: Date.UTC(2026, 0, 1) },
    });
  });

  it("sends one-sided ranges and type_exclude as $nin; an episode range never admits the unknown count 0", async () => {
    const { binding, index } = setup();
    await index.query({ vector: [1], topK: 10, filter: { year_from: 2000, episodes_max: 1, type_exclude: ["SPECIAL"] } });
    expect((binding.of("query")[0][1] as VectorizeQueryOptions).filter).toEqual({
      system_status: { $eq: "ACTIVE" }, type: { $nin: ["SPECIAL"] }, year: { $gte: 2000 }, episodes: { $gte: 1, $lte: 1 },
    });
  });

  it("includes orphans on request, sending no filter at all when nothing else is set", async () => {
    const { binding, index } = setup();
    await index.query({ vector: [1], topK: 3, filter: { include_orphaned: true } });
    expect(binding.of("query")[0][1]).toEqual({ topK: 3, returnMetadata: "none" });
  });

  it("folds type_exclude into type, and skips the call when no type is left", async () => {
    const { binding, index } = setup();
    await index.query({ vector: [1], topK: 3, filter: { type: ["TV", "OVA"], type_exclude: ["OVA"] } });
    expect((binding.of("query")[0][1] as VectorizeQueryOptions).filter?.type).toEqual({ $in: ["TV"] });

    const empty = setup();
    expect(await empty.index.query({ vector: [1], topK: 3, filter: { type: ["OVA"], type_exclude: ["OVA"] } })).toEqual([]);
    expect(empty.binding.calls).toEqual([]);
  });

  it("throws on an id that is not an anime id", async () => {
    const { binding, index } = setup();
    binding.matches = [{ id: "doc-1", score: 1 }];
    await expect(index.query({ vector: [1], topK: 1 })).rejects.toThrow(/not an anime id/);
  });
});

describe("VectorizeVectorIndex post-filtering (genres, genres_exclude, studios)", () => {
  /** 60 candidates, best first; every third is a mecha by Sunrise, the rest dramas by Toei. */
  function candidates() {
    const s = setup();
    s.binding.matches = Array.from({ length: 60 }, (_, i) => ({ id: String(i + 1), score: 1 - i / 100 }));
    for (let id = 1; id <= 60; id++) {
      const mecha = id % 3 === 0;
      s.binding.stored.set(String(id), {
        id: String(id), values: [id, 0, 0, 1],
        metadata: { genres: mecha ? ["mecha", "action"] : ["drama"], studios: mecha ? ["sunrise"] : ["toei animation"] },
      });
    }
    return s;
  }

  it("makes one query for the 50 nearest with their metadata and the native filter, then keeps only the matches", async () => {
    const { binding, index } = candidates();
    const result = await index.query({ vector: [1], topK: 30, filter: { tags: ["Mecha", "ACTION"], year_from: 1990 } });
    expect(binding.calls.map((c) => c.method)).toEqual(["query"]);
    expect(binding.of("query")[0][1]).toEqual({
      topK: 50, returnMetadata: "all", filter: { system_status: { $eq: "ACTIVE" }, year: { $gte: 1990 } },
    });
    // Recall limit: 16 of the 50 candidates are mechas; the 4 beyond the 50th are never seen.
    expect(result.map((m) => m.id)).toEqual(Array.from({ length: 16 }, (_, i) => 3 * (i + 1)));
    expect(result[0]).toEqual({ id: 3, score: 0.98 });
  });

  it("over-fetches 50 candidates even for a small topK, and keeps topK", async () => {
    const { binding, index } = candidates();
    const result = await index.query({ vector: [1], topK: 4, filter: { studios: ["Sunrise", "Bones"] } });
    expect(result.map((m) => m.id)).toEqual([3, 6, 9, 12]);
    expect((binding.of("query")[0][1] as VectorizeQueryOptions).topK).toBe(50);
    expect(binding.of("getByIds")).toEqual([]);
  });

  it("requires every listed genre, excludes any excluded genre, and needs one listed studio", async () => {
    const { binding, index } = candidates();
    expect((await index.query({ vector: [1], topK: 100, filter: { tags: ["mecha", "drama"] } }))).toEqual([]);
    expect((await index.query({ vector: [1], topK: 3, filter: { tags_exclude: ["MECHA"] } })).map((m) => m.id)).toEqual([1, 2, 4]);
    expect((await index.query({ vector: [1], topK: 3, filter: { studios: ["Toei Animation"] } })).map((m) => m.id)).toEqual([1, 2, 4]);
    expect((await index.query({ vector: [1], topK: 3, filter: { studios: ["madhouse"] } }))).toEqual([]);
    expect(binding.calls.map((c) => c.method)).toEqual(["query", "query", "query", "query"]);
  });

  it("drops a candidate returned without metadata (deleted meanwhile)", async () => {
    const { binding, index } = candidates();
    binding.stored.delete("3");
    const result = await index.query({ vector: [1], topK: 2, filter: { tags: ["mecha"] } });
    expect(result.map((m) => m.id)).toEqual([6, 9]);
  });
});

describe("VectorizeVectorIndex.queryById", () => {
  function held() {
    const s = setup();
    s.binding.matches = [{ id: "7", score: 1 }, { id: "8", score: 0.9 }, { id: "9", score: 0.8 }, { id: "10", score: 0.7 }];
    for (const id of ["7", "8", "9", "10"]) s.binding.stored.set(id, { id, values: [1, 0, 0, 0], metadata: { genres: id === "9" ? ["drama"] : ["action"], studios: [] } });
    return s;
  }

  it("asks queryById for one more than topK with the native filter, and drops the anime itself", async () => {
    const { binding, index } = held();
    const result = await index.queryById(7, { topK: 2, filter: { type: ["TV"] } });
    expect(binding.of("queryById")).toEqual([["7", { topK: 3, returnMetadata: "none", filter: { system_status: { $eq: "ACTIVE" }, type: { $in: ["TV"] } } }]]);
    expect(result).toEqual([{ id: 8, score: 0.9 }, { id: 9, score: 0.8 }]);
    expect(binding.of("query")).toEqual([]);
    expect(binding.of("getByIds")).toEqual([]);
  });

  it("post-filters list filters on the returned metadata, in one call", async () => {
    const { binding, index } = held();
    const result = await index.queryById(7, { topK: 100, filter: { tags: ["action"] } });
    expect(result?.map((m) => m.id)).toEqual([8, 10]);
    expect(binding.of("queryById")[0][1]).toMatchObject({ topK: 50, returnMetadata: "all" });
    expect(binding.calls).toHaveLength(1);
  });

  it.each(["empty", "throw"] as const)("answers null for an id the index does not hold (service: %s)", async (behaviour) => {
    const { binding, index } = held();
    binding.unknownId = behaviour;
    expect(await index.queryById(99, { topK: 5 })).toBeNull();
    expect(binding.of("getByIds")).toEqual([[["99"]]]);
  });

  it("rethrows a failure for an id it holds, and keeps an empty answer for one it holds", async () => {
    const { binding, index } = held();
    binding.queryById = async () => {
      throw new Error("Vectorize unavailable");
    };
    await expect(index.queryById(7, { topK: 5 })).rejects.toThrow(/unavailable/);
    const other = held();
    other.binding.matches = [];
    expect(await other.index.queryById(7, { topK: 5 })).toEqual([]);
  });

  it("on a legacy binding without queryById, queries with the stored values", async () => {
    const { binding, index } = held();
    Object.defineProperty(binding, "queryById", { value: undefined });
    const result = await index.queryById(7, { topK: 1 });
    expect(binding.of("getByIds")).toEqual([[["7"]]]);
    expect(binding.of("query")).toEqual([[[1, 0, 0, 0], { topK: 2, returnMetadata: "none", filter: ACTIVE_ONLY }]]);
    expect(result).toEqual([{ id: 8, score: 0.9 }]);
  });
});

describe("VectorizeVectorIndex.count", () => {
  it("reads vectorCount from a V2 index and vectorsCount from a legacy one", async () => {
    const { binding, index } = setup();
    binding.info = { vectorCount: 24901, dimensions: 1024, processedUpToDatetime: 0, processedUpToMutation: 0 };
    expect(await index.count()).toBe(24901);
    binding.info = { id: "x", name: "kensho-anime", config: { dimensions: 1024, metric: "cosine" }, vectorsCount: 12 };
    expect(await index.count()).toBe(12);
  });
});
