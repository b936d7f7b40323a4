import { describe, expect, it } from "vitest";
import { env } from "cloudflare:workers";
import { evictDurableObject, runInDurableObject } from "cloudflare:test";
import { LocalVectorIndex } from "../../src/search/vector-index/local";
import type { VectorMetadata } from "../../src/search/vector-index/interface";
import { describeVectorIndexContract } from "./vector-index-contract";

let n = 0;
/** A fresh Durable Object per test: each name is its own SQLite-backed index. */
const fresh = async () => new LocalVectorIndex(env.VECTOR_INDEX, `contract-${Date.now()}-${n++}`);

describeVectorIndexContract("local (Durable Object, SQLite, exact)", fresh);

describe("local index specifics", () => {
  it("keeps its vectors in SQLite: a new stub on the same object sees them", async () => {
    const name = `persist-${Date.now()}`;
    await new LocalVectorIndex(env.VECTOR_INDEX, name).upsert([{ id: 7, values: [0.6, 0.8], metadata: { type: "TV", status: "FINISHED", season: "SPRING", year: 2000, score: 7, episodes: 1, genres: [], studios: [], system_status: "ACTIVE", updated_at: 0 } }]);
    const again = new LocalVectorIndex(env.VECTOR_INDEX, name);
    expect(await again.count()).toBe(1);
    const [hit] = await again.query({ vector: [0.6, 0.8], topK: 1 });
    expect(hit.id).toBe(7);
    expect(hit.score).toBeCloseTo(1, 2);
  });

  it("after an eviction, reloads vectors and metadata from SQLite: same answers, filters included", async () => {
    const name = `reload-${Date.now()}`;
    const m = (over: Partial<VectorMetadata>): VectorMetadata => ({
      type: "TV", status: "FINISHED", season: "SPRING", year: 2000, score: 7, episodes: 12, genres: ["action"], studios: ["sunrise"], system_status: "ACTIVE", updated_at: 0, ...over,
    });
    const index = new LocalVectorIndex(env.VECTOR_INDEX, name);
    await index.upsert([
      { id: 1, values: [1, 0, 0], metadata: m({}) },
      { id: 2, values: [0.9, 0.1, 0], metadata: m({ genres: ["action", "drama"], year: null }) },
      { id: 3, values: [0.7, 0.3, 0], metadata: m({ type: "MOVIE", studios: ["bones"], score: null }) },
      { id: 4, values: [0, 1, 0], metadata: m({ system_status: "ORPHANED" }) },
    ]);
    await index.upsert([{ id: 1, values: [1, 0.05, 0], metadata: m({ genres: ["comedy"] }) }]);
    await index.delete([4]);
    const ask = () =>
      Promise.all([
        index.query({ vector: [1, 0, 0], topK: 10 }),
        index.query({ vector: [1, 0, 0], topK: 10, filter: { tags: ["Drama"] } }),
        index.query({ vector: [1, 0, 0], topK: 10, filter: { tags_exclude: ["comedy"], studios: ["BONES", "sunrise"] } }),
        index.query({ vector: [1, 0, 0], topK: 10, filter: { year_from: 1990, min_score: 5 } }),
        index.queryById(1, { topK: 10 }),
        index.count(),
      ]);
    const before = await ask();
    await evictDurableObject(env.VECTOR_INDEX.get(env.VECTOR_INDEX.idFromName(name)));
    expect(await ask()).toEqual(before);
    expect(before.slice(1, 4).map((ms) => (ms as { id: number }[]).map((x) => x.id))).toEqual([[2], [2, 3], [1]]);
  });

  it("loads rows written in the stored format (int8 blob, scale, metadata JSON) by earlier versions", async () => {
    const name = `legacy-${Date.now()}`;
    const stub = env.VECTOR_INDEX.get(env.VECTOR_INDEX.idFromName(name));
    const meta = { type: "TV", status: "FINISHED", season: "FALL", year: 1998, score: 8.7, episodes: 26, genres: ["action", "sci-fi"], studios: ["sunrise"], system_status: "ACTIVE", updated_at: 5 };
    await runInDurableObject(stub, (_instance, state) => {
      state.storage.sql.exec("INSERT INTO vectors (id, scale, vec, meta) VALUES (?, ?, ?, ?)", 7, 1 / 127, new Int8Array([127, 0]).buffer, JSON.stringify(meta));
      state.storage.sql.exec("INSERT INTO vectors (id, scale, vec, meta) VALUES (?, ?, ?, ?)", 8, 1 / 127, new Int8Array([0, 127]).buffer, JSON.stringify({ ...meta, genres: ["drama"], year: null }));
    });
    await evictDurableObject(stub);
    const index = new LocalVectorIndex(env.VECTOR_INDEX, name);
    expect(await index.count()).toBe(2);
    const hits = await index.query({ vector: [1, 0], topK: 5, filter: { genres: ["Sci-Fi"], season: ["FALL"], year_from: 1990 } });
    expect(hits.map((h) => h.id)).toEqual([7]);
    expect(hits[0].score).toBeCloseTo(1, 2);
    expect((await index.queryById(7, { topK: 5 }))!.map((h) => h.id)).toEqual([8]);
  });

  it("refuses vectors of another size until cleared", async () => {
    const index = await fresh();
    const m = { type: "TV", status: "FINISHED", season: "SPRING", year: 2000, score: 7, episodes: 1, genres: [], studios: [], system_status: "ACTIVE" as const, updated_at: 0 };
    await index.upsert([{ id: 1, values: [1, 0, 0], metadata: m }]);
    await expect(index.upsert([{ id: 2, values: [1, 0], metadata: m }])).rejects.toThrow(/3-dimension/);
    await index.clear();
    await index.upsert([{ id: 2, values: [1, 0], metadata: m }]);
    expect(await index.count()).toBe(1);
  });

  it("after clear, takes larger vectors than before (arrays are reallocated)", async () => {
    const index = await fresh();
    const m = { type: "TV", status: "FINISHED", season: "SPRING", year: 2000, score: 7, episodes: 1, genres: [], studios: [], system_status: "ACTIVE" as const, updated_at: 0 };
    const vec = (dims: number, i: number) => Array.from({ length: dims }, (_, k) => (k === i % dims ? 1 : 0.01));
    await index.upsert(Array.from({ length: 300 }, (_, i) => ({ id: i + 1, values: vec(4, i), metadata: m })));
    await index.clear();
    await index.upsert(Array.from({ length: 300 }, (_, i) => ({ id: i + 1, values: vec(16, i), metadata: m })));
    expect(await index.count()).toBe(300);
    const [hit] = await index.query({ vector: vec(16, 5), topK: 1 });
    expect(hit.score).toBeCloseTo(1, 1);
  });

  it("a batch of mixed sizes is refused whole, leaving the index as it was", async () => {
    const index = await fresh();
    const m = { type: "TV", status: "FINISHED", season: "SPRING", year: 2000, score: 7, episodes: 1, genres: [], studios: [], system_status: "ACTIVE" as const, updated_at: 0 };
    await expect(index.upsert([{ id: 1, values: [1, 0], metadata: m }, { id: 2, values: [1, 0, 0], metadata: m }])).rejects.toThrow(/dimension/);
    expect(await index.count()).toBe(0);
    expect(await index.query({ vector: [1, 0], topK: 5 })).toEqual([]);
  });

  it("clamps topK to 1…maxTopK", async () => {
    const index = await fresh();
    const m = { type: "TV", status: "FINISHED", season: "SPRING", year: 2000, score: 7, episodes: 1, genres: [], studios: [], system_status: "ACTIVE" as const, updated_at: 0 };
    await index.upsert([1, 2, 3].map((id) => ({ id, values: [1, id / 10], metadata: m })));
    expect(await index.query({ vector: [1, 0], topK: 0 })).toHaveLength(1);
    expect(await index.query({ vector: [1, 0], topK: 10_000 })).toHaveLength(3);
  });
});
