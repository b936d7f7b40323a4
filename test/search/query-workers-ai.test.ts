import { beforeAll, describe, expect, it } from "vitest";
import { env } from "cloudflare:workers";
import { createExecutionContext, waitOnExecutionContext } from "cloudflare:test";
import { createApp } from "../../src/app";
import { DEFAULT_QUERY_MODEL } from "../../src/search/query/workers-ai";
import { BASE, getJson, importFixture, indexSearch } from "../helpers";
import { importQueryExtras } from "./query-extras";

/**
 * POST /v1/query with the Workers AI parser, through the Worker: the model's answer for the
 * new fields (sort, newer_than, older_than) reaches the same strategies as the local parser's.
 * Workers AI is not simulated locally: a stand-in binding answers the query model with a
 * canned JSON reading per query (and the embedding model with unit vectors, unused here with
 * the vector leg off).
 */
beforeAll(async () => {
  await importFixture();
  await importQueryExtras();
  await indexSearch();
});

function standInAi(readings: Record<string, object>) {
  const asked: string[] = [];
  const ai = {
    run: async (model: string, input: any) => {
      if (model !== DEFAULT_QUERY_MODEL) return { data: input.text.map(() => Array.from({ length: 1024 }, (_, i) => (i === 0 ? 1 : 0))) };
      const query = input.messages.at(-1).content as string;
      asked.push(query);
      return { response: readings[query] ?? { text: query } };
    },
  } as unknown as Ai;
  return { ai, asked };
}

async function ask(ai: Ai, query: string, limit = 20) {
  const ctx = createExecutionContext();
  const init = { method: "POST", headers: { "Content-Type": "application/json" }, body: JSON.stringify({ query, limit }) };
  const res = await createApp().fetch(new Request(`${BASE}/v1/query`, init), { ...env, AI: ai, VECTOR_BACKEND: "off" }, ctx);
  await waitOnExecutionContext(ctx);
  expect(res.status).toBe(200);
  return (await res.json()) as any;
}

const READINGS = {
  "like cowboy bebop but newer": { text: "", similar_to: "cowboy bebop", newer_than: "cowboy bebop", notes: ['"but newer" → newer than "cowboy bebop"'] },
  "popular sci-fi": { text: "", genres: ["Sci-Fi"], sort: "popularity" },
  "best gundam": { text: "gundam", sort: "score" },
  "mecha older than qqqqq wwwww": { text: "", genres: ["mecha"], older_than: "qqqqq wwwww" },
};

describe("POST /v1/query with Workers AI", () => {
  const { ai, asked } = standInAi(READINGS);

  it('"like X but newer": the title the model named is dated by the route, never by the model', async () => {
    const body = await ask(ai, "like cowboy bebop but newer");
    expect(asked).toContain("like cowboy bebop but newer");
    expect(body.interpretation).toMatchObject({
      backend: "workers-ai",
      strategy: "similar",
      filters: { year_from: 1999 },
      newer_than_anime: { id: 1, title: "Cowboy Bebop", year: 1998 },
    });
    expect(body.interpretation.notes).toContain("newer than Cowboy Bebop (1998) → years 1999 onwards");
    expect(body.data.length).toBeGreaterThan(0);
    for (const d of body.data) expect(d.season.year).toBeGreaterThanOrEqual(1999);
  });

  it("sort popularity browses in popularity order", async () => {
    const body = await ask(ai, "popular sci-fi");
    expect(body.interpretation).toMatchObject({ backend: "workers-ai", strategy: "browse", sort: "popularity", filters: { genres: ["Sci-Fi"] } });
    const { body: browse } = await getJson("/v1/anime?genres=Sci-Fi&sort=popularity&limit=20&fields=id");
    expect(body.data.map((d: any) => d.id)).toEqual(browse.data.map((d: any) => d.id));
  });

  it("sort score re-orders what the search found", async () => {
    const body = await ask(ai, "best gundam");
    expect(body.interpretation).toMatchObject({ strategy: "search", text: "gundam", sort: "score" });
    const scores = body.data.map((d: any) => d.score ?? -1);
    expect(scores.length).toBeGreaterThan(3);
    expect([...scores].sort((a, b) => b - a)).toEqual(scores);
  });

  it("a title not found is said so, and no year is invented", async () => {
    const body = await ask(ai, "mecha older than qqqqq wwwww");
    expect(body.interpretation).toMatchObject({ older_than: "qqqqq wwwww", older_than_anime: null, filters: { genres: ["Mecha"] } });
    expect(body.interpretation.notes).toContain('"qqqqq wwwww" was not found: no "older than" year applied');
    expect(body.data.map((d: any) => d.title).sort()).toEqual(["Test Mecha Nineties", "Test Mecha Oughts"]);
  });
});
