import { beforeAll, describe, expect, it } from "vitest";
import { env } from "cloudflare:workers";
import { call, expectProblem, fixtureEntries, getJson, importFixture, indexSearch, importEntries } from "../helpers";
import { Catalog } from "../../src/catalog/catalog";
import { similarTo } from "../../src/search/similar";
import { LocalEmbedder } from "../../src/search/embedder/local";
import { LocalVectorIndex } from "../../src/search/vector-index/local";
import { UnavailableVectorIndex } from "../../src/search/vector-index/unavailable";
import type { VectorIndex } from "../../src/search/vector-index/interface";

beforeAll(async () => {
  await importFixture();
  await indexSearch();
});

const post = (body: unknown, raw?: string) =>
  call("/v1/query", { method: "POST", headers: { "Content-Type": "application/json" }, body: raw ?? JSON.stringify(body) });

describe("GET /v1/anime/{id}/similar", () => {
  it("lists neighbours, never the anime itself, with blended scores", async () => {
    const { status, body } = await getJson("/v1/anime/1/similar?limit=10");
    expect(status).toBe(200);
    expect(body.of).toEqual({ id: 1, title: "Cowboy Bebop" });
    expect(body.data).toHaveLength(10);
    expect(body.data.map((d: any) => d.id)).not.toContain(1);
    const scores = body.data.map((d: any) => d.similarity.score);
    expect([...scores].sort((a, b) => b - a)).toEqual(scores);
    // The movie of the series is the nearest thing to it.
    expect(body.data.slice(0, 3).map((d: any) => d.title)).toContain("Cowboy Bebop: Tengoku no Tobira");
  });

  it("exclude_related=true drops the franchise", async () => {
    const { body } = await getJson("/v1/anime/1/similar?limit=20&exclude_related=true");
    expect(body.data).toHaveLength(20);
    for (const d of body.data) expect(d.title.toLowerCase().startsWith("cowboy bebop")).toBe(false);
  });

  it("applies filters and fields", async () => {
    const { body } = await getJson("/v1/anime/1/similar?type=MOVIE&fields=id,type");
    expect(body.data.length).toBeGreaterThan(0);
    for (const d of body.data) expect(Object.keys(d).sort()).toEqual(["id", "similarity", "type"]);
    for (const d of body.data) expect(d.type).toBe("MOVIE");
  });

  it("an anime with 97 tags (more than D1's 100 bound parameters with filters) still gets neighbours", async () => {
    const bebop = fixtureEntries.find((e) => e.title === "Cowboy Bebop")!;
    const tags = [...bebop.tags, ...Array.from({ length: 94 }, (_, i) => `tag ${i}`)];
    await importEntries(env.DB, [{ ...bebop, title: "Many Tags Test", sources: ["https://myanimelist.net/anime/990001"], synonyms: [], tags }], { source: "tags" });
    const { body: found } = await getJson("/v1/anime/lookup?site=myanimelist&id=990001&fields=id");
    const { status, body } = await getJson(`/v1/anime/${found.id}/similar?type=TV,MOVIE&genres_exclude=horror,ecchi`);
    expect(status).toBe(200);
    expect(body.data.length).toBeGreaterThan(0);
  });

  it("unknown id → 404, bad params → 400", async () => {
    await expectProblem(await call("/v1/anime/999999/similar"), 404, "not_found");
    await expectProblem(await call("/v1/anime/1/similar?limit=0"), 400, "validation_failed");
    await expectProblem(await call("/v1/anime/1/similar?exclude_related=maybe"), 400, "validation_failed");
    await expectProblem(await call("/v1/anime/abc/similar"), 400, "validation_failed");
  });
});

describe("similar: the anime's vector comes from the index", () => {
  /** The local embedder, counting the texts it is asked to embed. */
  class CountingEmbedder extends LocalEmbedder {
    texts = 0;
    override async embed(texts: string[]) {
      this.texts += texts.length;
      return super.embed(texts);
    }
  }
  // The index the app's indexing filled (searchBackends: the local index under its default name).
  const appIndex = () => new LocalVectorIndex(env.VECTOR_INDEX);
  const similar = (index: VectorIndex, id: number, embedder = new CountingEmbedder()) =>
    similarTo(new Catalog(env.DB), env.DB, { embedder, index, timeoutMs: 10_000 }, id, { limit: 10, excludeRelated: false, filters: {} }).then((r) => ({ ...r!, embedded: embedder.texts }));

  it("asks the index for the neighbours of the stored vector, embedding nothing", async () => {
    const byId = await similar(appIndex(), 1);
    expect(byId.embedded).toBe(0);
    expect(byId.degraded).toEqual([]);
    expect(byId.hits.map((h) => h.anime.id)).not.toContain(1);
    expect(byId.hits.filter((h) => h.similarity.vector_score !== null).length).toBeGreaterThan(5);
    // The same neighbours as embedding the document again (the same index, its queryById not knowing the anime).
    const index = appIndex();
    const withoutQueryById: VectorIndex = {
      backend: index.backend, maxTopK: index.maxTopK, upsert: (r) => index.upsert(r), delete: (ids) => index.delete(ids), query: (q) => index.query(q), count: () => index.count(), queryById: async () => null,
    };
    const embedded = await similar(withoutQueryById, 1);
    expect(embedded.embedded).toBe(1);
    const shared = byId.hits.filter((h) => embedded.hits.some((e) => e.anime.id === h.anime.id));
    expect(shared.length).toBeGreaterThanOrEqual(9);
  });

  it("embeds the anime's document only when the index does not hold the anime", async () => {
    const bebop = fixtureEntries.find((e) => e.title === "Cowboy Bebop")!;
    await importEntries(env.DB, [{ ...bebop, title: "Cowboy Bebop Unindexed", sources: ["https://myanimelist.net/anime/990002"], synonyms: [] }], { source: "unindexed" });
    const { body: found } = await getJson("/v1/anime/lookup?site=myanimelist&id=990002&fields=id");
    expect(await appIndex().queryById(found.id, { topK: 1 })).toBeNull();
    const result = await similar(appIndex(), found.id);
    expect(result.embedded).toBe(1);
    expect(result.degraded).toEqual([]);
    expect(result.hits.map((h) => h.anime.id)).not.toContain(found.id);
    expect(result.hits.slice(0, 3).map((h) => h.anime.title)).toContain("Cowboy Bebop");
  });

  it("an index that fails degrades to genre neighbours, without embedding", async () => {
    const result = await similar(new UnavailableVectorIndex("local", "index down"), 1);
    expect(result.embedded).toBe(0);
    expect(result.degraded).toEqual(["vector"]);
    expect(result.hits.length).toBeGreaterThan(0);
    for (const h of result.hits) expect(h.similarity.vector_score).toBeNull();
  });
});

describe("POST /v1/query", () => {
  it('"movies like cowboy bebop" → neighbours of Cowboy Bebop, movies only', async () => {
    const res = await post({ query: "movies like cowboy bebop", limit: 5 });
    expect(res.status).toBe(200);
    const body = (await res.json()) as any;
    expect(body.interpretation.strategy).toBe("similar");
    expect(body.interpretation.similar_to_anime).toEqual({ id: 1, title: "Cowboy Bebop" });
    expect(body.interpretation.filters.type).toEqual(["MOVIE"]);
    expect(body.data.length).toBeGreaterThan(0);
    for (const d of body.data) expect(d.type).toBe("MOVIE");
  });

  it("filters alone → browse, every result within them", async () => {
    const res = await post({ query: "action anime from the 90s rated above 8" });
    const body = (await res.json()) as any;
    expect(body.interpretation.strategy).toBe("browse");
    expect(body.interpretation.filters).toMatchObject({ year_from: 1990, year_to: 1999, min_score: 8 });
    expect(body.data.length).toBeGreaterThan(0);
    for (const d of body.data) {
      expect(d.season.year).toBeGreaterThanOrEqual(1990);
      expect(d.season.year).toBeLessThanOrEqual(1999);
      expect(d.score).toBeGreaterThanOrEqual(8);
      expect(d.genres.map((g: string) => g.toLowerCase())).toContain("action");
    }
  });

  it("leftover words are searched, with the filters inside the search", async () => {
    const res = await post({ query: "bebop without romance" });
    const body = (await res.json()) as any;
    expect(body.interpretation.strategy).toBe("search");
    expect(body.interpretation.text).toBe("bebop");
    expect(body.data[0].title).toBe("Cowboy Bebop");
    for (const d of body.data) expect(d.genres.map((g: string) => g.toLowerCase())).not.toContain("romance");
  });

  it("a query in which nothing is recognised is searched whole, not answered with the whole catalog", async () => {
    const res = await post({ query: "Cowboy Bebop" });
    const body = (await res.json()) as any;
    expect(body.interpretation.strategy).toBe("search");
    expect(body.data[0].title).toBe("Cowboy Bebop");
  });

  it.each<[unknown, string]>([
    [{}, "missing query"],
    [{ query: "" }, "empty"],
    [{ query: "   " }, "blank"],
    [{ query: "x".repeat(501) }, "too long"],
    [{ query: "naruto", extra: 1 }, "unknown field"],
    [{ query: "naruto", limit: 0 }, "limit 0"],
    [{ query: 42 }, "not a string"],
  ])("%j (%s) → 400", async (body) => {
    await expectProblem(await post(body), 400, "validation_failed");
  });

  it("malformed JSON → 400", async () => {
    await expectProblem(await post(null, "{not json"), 400, "validation_failed");
  });
});
