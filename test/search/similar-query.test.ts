import { beforeAll, describe, expect, it } from "vitest";
import { env } from "cloudflare:workers";
import { call, expectProblem, fixtureEntries, getJson, importFixture, indexSearch, importEntries } from "../helpers";

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
