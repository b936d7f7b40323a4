import { env } from "cloudflare:workers";
import { beforeAll, describe, expect, it } from "vitest";
import { call, expectProblem, getJson, importEntries, importFixture, indexSearch } from "../helpers";

/**
 * The relevance rule (src/search/relevance.ts) through the worker: every hit carries a
 * confidence, hits under the floor are dropped (nonsense → no hits, in every mode and under
 * any filter), min_confidence=0 shows the candidates, and a description finds the anime whose
 * synopsis and tags it paraphrases (the about index, migrations/0014_search_about.sql).
 */
const described = {
  sources: ["https://myanimelist.net/anime/990523"],
  title: "Relevance Test Forest Neighbour",
  type: "MOVIE",
  episodes: 1,
  status: "FINISHED",
  season: "SPRING",
  year: 1988,
  synopsis: "Two young sisters move with their father to an old house in the countryside, where they befriend a giant forest spirit who rides a bus shaped like a cat.",
  genres: ["Fantasy"],
  tags: ["countryside", "forest spirit"],
};

beforeAll(async () => {
  await importFixture();
  await importEntries(env.DB, [described], { source: "relevance.test" });
  await indexSearch();
});

const search = async (query: string) => (await getJson(`/v1/search?${query}`)).body as { data: { title: string; match: { confidence: number } }[] };

describe("relevance floor", () => {
  it.each(["hybrid", "keyword", "semantic"])("nonsense finds nothing in %s mode, with or without filters; min_confidence=0 shows the candidates", async (mode) => {
    for (const q of ["plokmijnuhb", "zzqxjvw kkrrt", "asdkjhqwe"]) {
      expect((await search(`q=${encodeURIComponent(q)}&mode=${mode}`)).data, q).toEqual([]);
      expect((await search(`q=${encodeURIComponent(q)}&mode=${mode}&type=TV`)).data, q).toEqual([]);
    }
    const all = await search(`q=plokmijnuhb&mode=${mode}&min_confidence=0`);
    if (mode !== "keyword") expect(all.data.length).toBeGreaterThan(0);
    for (const h of all.data) expect(h.match.confidence).toBeLessThan(0.35);
  });

  it("every hit carries a confidence in [0, 1], none under the floor; an exact title is 1", async () => {
    const { data } = await search("q=cowboy%20bebop&limit=50");
    expect(data[0]).toMatchObject({ title: "Cowboy Bebop", match: { confidence: 1 } });
    for (const h of data) expect(h.match.confidence).toBeGreaterThanOrEqual(0.35);
    const strict = await search("q=cowboy%20bebop&limit=50&min_confidence=0.9");
    expect(strict.data.length).toBeGreaterThan(0);
    expect(strict.data.length).toBeLessThan(data.length);
    for (const h of strict.data) expect(h.match.confidence).toBeGreaterThanOrEqual(0.9);
  });

  it("rejects a min_confidence outside 0–1", async () => {
    for (const v of ["-0.1", "1.5", "high"]) await expectProblem(await call(`/v1/search?q=bebop&min_confidence=${v}`), 400, "validation_failed");
  });

  it("POST /v1/query says nothing matched when nothing did", async () => {
    const res = await call("/v1/query", { method: "POST", headers: { "content-type": "application/json" }, body: JSON.stringify({ query: "plokmijnuhb zzqxjvw" }) });
    const body = (await res.json()) as { data: unknown[]; interpretation: { notes: string[] } };
    expect(body.data).toEqual([]);
    expect(body.interpretation.notes.join(" ")).toMatch(/nothing matched/);
  });
});

describe("descriptions", () => {
  it.each(["hybrid", "keyword"])("a paraphrase of the synopsis finds the anime first (%s), by words no name holds", async (mode) => {
    const { data } = await search(`q=${encodeURIComponent("two sisters move to the countryside and meet a giant forest spirit riding a cat bus")}&mode=${mode}`);
    expect(data[0].title).toBe(described.title);
    expect(data[0].match.confidence).toBeGreaterThanOrEqual(0.35);
  });
});
