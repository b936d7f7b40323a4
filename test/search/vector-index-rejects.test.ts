import { afterEach, beforeEach, describe, expect, it } from "vitest";
import { env } from "cloudflare:workers";
import { REJECTED_RETRY_MS, SearchIndexer } from "../../src/search/indexer";
import { LocalEmbedder } from "../../src/search/embedder/local";
import { LocalVectorIndex } from "../../src/search/vector-index/local";
import type { NeighbourQuery, VectorIndex, VectorQuery, VectorRecord } from "../../src/search/vector-index/interface";
import { fixtureEntries, importEntries, importFixture, sqlCount } from "../helpers";

/**
 * The real local index (Durable Object) behind a gate that refuses what a hosted index would:
 * any upsert holding a `refused` id (as Vectorize refuses a batch holding one vector with
 * metadata over its limit), or every upsert while `down`.
 */
class GatedIndex implements VectorIndex {
  readonly backend = "local";
  readonly maxTopK: number;
  refused = new Set<number>();
  down = false;
  /** Goes down after this many upsert calls (an outage that starts mid-run). */
  downAfter = Infinity;
  unreadable = false;
  upserts = 0;

  constructor(readonly inner: LocalVectorIndex) {
    this.maxTopK = inner.maxTopK;
  }

  async upsert(records: VectorRecord[]): Promise<void> {
    if (++this.upserts > this.downAfter) this.down = true;
    if (this.down) throw new Error("index unavailable");
    const bad = records.find((r) => this.refused.has(r.id));
    if (bad) throw new Error(`metadata of vector ${bad.id} is over the limit`);
    await this.inner.upsert(records);
  }
  delete(ids: number[]) {
    return this.inner.delete(ids);
  }
  query(q: VectorQuery) {
    return this.inner.query(q);
  }
  queryById(id: number, q: NeighbourQuery) {
    return this.inner.queryById(id, q);
  }
  async count() {
    if (this.unreadable) throw new Error("index unreachable");
    return this.inner.count();
  }
}

/** The local embedder in batches of 50, so that one indexing run makes several upserts. */
const embedder = Object.assign(new LocalEmbedder(), { maxBatch: 50 });

let gate: GatedIndex;
let indexer: SearchIndexer;
/** What the indexer reported (it warns through the logger the composition root gives it). */
let warned: Record<string, unknown>[];
const idOf = async (title: string) => (await env.DB.prepare("SELECT id FROM anime WHERE title = ?").bind(title).first<{ id: number }>())!.id;

beforeEach(async () => {
  await importFixture();
  await env.DB.prepare("DELETE FROM search_vector_state").run();
  gate = new GatedIndex(new LocalVectorIndex(env.VECTOR_INDEX, `rejects-${Date.now()}-${Math.random()}`));
  warned = [];
  indexer = new SearchIndexer(env.DB, embedder, gate, Date.now, async () => {}, (event, fields) => void warned.push({ event, ...fields }));
});

afterEach(async () => {
  // Other files index into the app's own index: leave no state that claims vectors it lacks.
  await env.DB.prepare("DELETE FROM search_vector_state").run();
});

describe("indexing when the vector index refuses a record", () => {
  it("writes the rest, reports the refused one, and does not retry it until the entry changes", async () => {
    const n = fixtureEntries.length;
    const bad = await idOf("Cowboy Bebop");
    gate.refused.add(bad);

    expect(await indexer.indexBatch(5000)).toMatchObject({ vectors: n - 1, failed: 1 });
    expect(await gate.inner.count()).toBe(n - 1);
    expect(await gate.inner.queryById(bad, { topK: 1 })).toBeNull();
    expect(await indexer.pending()).toEqual({ text: 0, vectors: 0 });
    expect(await indexer.vectorsRejected()).toBe(1);
    expect(warned).toEqual([{ event: "search.vector_rejected", anime_id: bad, model: embedder.model, message: `metadata of vector ${bad} is over the limit` }]);

    // The next runs leave it alone: no embedding, no upsert.
    gate.upserts = 0;
    expect(await indexer.indexBatch(5000)).toEqual({ text: 0, vectors: 0, failed: 0 });
    expect(gate.upserts).toBe(0);

    // A day later it is tried again though nothing changed (a refusal may have been a passing fault).
    const later = new SearchIndexer(env.DB, embedder, gate, () => Date.now() + REJECTED_RETRY_MS + 1000, async () => {}, (event, fields) => void warned.push({ event, ...fields }));
    expect(await later.pending()).toEqual({ text: 0, vectors: 1 });
    expect(await later.indexBatch(5000)).toMatchObject({ vectors: 0, failed: 1 }); // still refused: marked again
    expect(await indexer.pending()).toEqual({ text: 0, vectors: 0 });

    // Once the entry changes it is tried again (and now taken).
    gate.refused.clear();
    const bebop = fixtureEntries.find((e) => e.title === "Cowboy Bebop")!;
    await importEntries(env.DB, [{ ...bebop, title: "Cowboy Bebop Retried" }], { source: "edit" });
    expect(await indexer.pending()).toEqual({ text: 0, vectors: 1 });
    expect(await indexer.indexBatch(5000)).toEqual({ text: 0, vectors: 1, failed: 0 });
    expect(await gate.inner.count()).toBe(n);
    expect(await indexer.vectorsRejected()).toBe(0);
    await importEntries(env.DB, [bebop], { source: "restore" });
  });

  it("isolates several refused records spread over the batches", async () => {
    const ids = (await env.DB.prepare("SELECT id FROM anime ORDER BY id").all<{ id: number }>()).results.map((r) => r.id);
    const refused = [ids[0], ids[1], ids[77], ids[ids.length - 1]];
    for (const id of refused) gate.refused.add(id);
    expect(await indexer.indexBatch(5000)).toMatchObject({ vectors: ids.length - 4, failed: 4 });
    expect(await sqlCount("SELECT count(*) AS n FROM search_vector_state WHERE model = ?", `rejected:${embedder.model}`)).toBe(4);
    for (const id of refused) expect(await gate.inner.queryById(id, { topK: 1 })).toBeNull();
    expect(await gate.inner.count()).toBe(ids.length - 4);
  });

  it("an index that takes no writes fails the run and marks nothing: the batch is retried whole", async () => {
    const n = fixtureEntries.length;
    gate.down = true;
    await expect(indexer.indexBatch(5000)).rejects.toThrow(/unavailable/);
    expect(await indexer.pending()).toMatchObject({ vectors: n });
    expect(await indexer.vectorsRejected()).toBe(0);

    // Unreadable as well: one upsert, no bisecting through the outage.
    gate.unreadable = true;
    gate.upserts = 0;
    await expect(indexer.indexBatch(5000)).rejects.toThrow(/unreachable/);
    expect(gate.upserts).toBe(1);

    gate.down = gate.unreadable = false;
    expect(await indexer.indexBatch(5000)).toMatchObject({ vectors: n, failed: 0 });
    expect(warned).toEqual([]);
  });

  it("an outage that starts while a batch is bisected marks nothing", async () => {
    const ids = (await env.DB.prepare("SELECT id FROM anime ORDER BY id").all<{ id: number }>()).results.map((r) => r.id);
    // Batch 1 is ids[0…49]: the whole batch fails (ids[40] refused), its first half goes in, then the index is down.
    gate.refused.add(ids[40]);
    gate.downAfter = 2;
    await expect(indexer.indexBatch(5000)).rejects.toThrow(/unavailable/);
    expect(await indexer.vectorsRejected()).toBe(0);
    expect(warned).toEqual([]);
  });

  it("a lone refused record with nothing written in the run is not marked (it could be an outage)", async () => {
    await indexer.indexBatch(5000);
    const bad = await idOf("Cowboy Bebop");
    const bebop = fixtureEntries.find((e) => e.title === "Cowboy Bebop")!;
    await importEntries(env.DB, [{ ...bebop, title: "Cowboy Bebop Alone" }], { source: "edit" });
    gate.refused.add(bad);
    await expect(indexer.indexBatch(5000)).rejects.toThrow(/over the limit/);
    expect(await indexer.pending()).toMatchObject({ vectors: 1 });
    expect(await indexer.vectorsRejected()).toBe(0);
    await importEntries(env.DB, [bebop], { source: "restore" });
  });
});
