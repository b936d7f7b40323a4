import { beforeAll, describe, expect, it } from "vitest";
import { call, getJson, importFixture, indexSearch } from "../helpers";
import { importQueryExtras } from "./query-extras";

/**
 * POST /v1/query through the Worker, for the phrases of issue 14: tags and themes, "newer/older
 * than <title>", rankings, open year ranges and lengths, and "nothing matched", read by the
 * local parser (query-workers-ai.test.ts: the same through a stand-in Workers AI).
 */
beforeAll(async () => {
  await importFixture();
  await importQueryExtras();
  await indexSearch();
});

interface Answer {
  interpretation: {
    text: string;
    filters: Record<string, any>;
    sort: string | null;
    strategy: string;
    notes: string[];
    similar_to_anime: { id: number; title: string } | null;
    newer_than: string | null;
    newer_than_anime: { id: number; title: string; year: number | null } | null;
    older_than_anime: { id: number; title: string; year: number | null } | null;
  };
  data: { id: number; title: string; score: number | null; episodes: number | null; genres: string[]; tags: string[]; season: { year: number | null } }[];
}

async function ask(query: string, limit = 50): Promise<Answer> {
  const res = await call("/v1/query", { method: "POST", headers: { "Content-Type": "application/json" }, body: JSON.stringify({ query, limit }) });
  expect(res.status).toBe(200);
  return (await res.json()) as Answer;
}

const titles = (a: Answer) => a.data.map((d) => d.title);
const nonIncreasing = (xs: number[]) => xs.every((x, i) => i === 0 || xs[i - 1] >= x);
const scores = (a: Answer) => a.data.map((d) => d.score ?? -1);

describe("tags and themes", () => {
  it('"90s mecha" is the genre Mecha in the 90s: the mecha of 1995, not Kodomo no Omocha', async () => {
    const a = await ask("90s mecha");
    expect(a.interpretation).toMatchObject({ strategy: "browse", text: "", filters: { genres: ["Mecha"], year_from: 1990, year_to: 1999 } });
    expect(a.interpretation.notes).toEqual(['"90s" → years 1990–1999', '"mecha" → genre Mecha']);
    expect(titles(a)).toEqual(["Test Mecha Nineties"]);
  });

  it('"giant robots" is Mecha (an alias), so both the mecha- and the giant-robots-tagged anime', async () => {
    const a = await ask("giant robots");
    expect(a.interpretation.filters).toEqual({ genres: ["Mecha"] });
    expect(titles(a).sort()).toEqual(["Test Mecha Nineties", "Test Mecha Oughts"]);
  });

  it('"time travel" is the catalog\'s tag; "sports" the genre', async () => {
    const travel = await ask("time travel");
    expect(travel.interpretation.filters).toEqual({ tags: ["time travel"] });
    expect(travel.interpretation.notes).toEqual(['"time travel" → tag time travel']);
    expect(titles(travel)).toEqual(["Test Time Travel"]);

    const sports = await ask("sports");
    expect(sports.interpretation.filters).toEqual({ genres: ["Sports"] });
    expect(sports.data.length).toBeGreaterThan(5);
    for (const d of sports.data) expect(d.genres).toContain("Sports");
  });

  it("a tag inside a title stays text and is searched", async () => {
    const a = await ask("demon hunters");
    expect(a.interpretation).toMatchObject({ strategy: "search", text: "demon hunters", filters: {} });
    expect(a.data[0].title).toBe("Test Demon Hunters");
    // Alone, the same word is the tag.
    expect((await ask("demon")).interpretation.filters).toEqual({ tags: ["demon"] });
  });
});

describe("newer / older than a title", () => {
  it('"like cowboy bebop but newer" → neighbours of Cowboy Bebop from 1999 on, never "the last three years"', async () => {
    const a = await ask("like cowboy bebop but newer");
    expect(a.interpretation.strategy).toBe("similar");
    expect(a.interpretation.similar_to_anime).toEqual({ id: 1, title: "Cowboy Bebop" });
    expect(a.interpretation.newer_than_anime).toEqual({ id: 1, title: "Cowboy Bebop", year: 1998 });
    expect(a.interpretation.filters).toEqual({ year_from: 1999 });
    expect(a.interpretation.notes).toEqual(['"like cowboy bebop" → similar to "cowboy bebop"', '"but newer" → newer than "cowboy bebop"', "newer than Cowboy Bebop (1998) → years 1999 onwards"]);
    expect(a.data.length).toBeGreaterThan(0);
    for (const d of a.data) expect(d.season.year).toBeGreaterThanOrEqual(1999);
  });

  it('"like cowboy bebop, older" → neighbours up to 1997', async () => {
    const a = await ask("like cowboy bebop, older");
    expect(a.interpretation).toMatchObject({ strategy: "similar", filters: { year_to: 1997 }, older_than_anime: { id: 1, year: 1998 } });
    expect(a.data.length).toBeGreaterThan(0);
    for (const d of a.data) expect(d.season.year).toBeLessThanOrEqual(1997);
  });

  it('"newer than cowboy bebop" / "older than cowboy bebop" browse the years after / before 1998', async () => {
    const newer = await ask("newer than cowboy bebop");
    expect(newer.interpretation).toMatchObject({ strategy: "browse", filters: { year_from: 1999 }, similar_to_anime: null });
    expect(newer.data.length).toBeGreaterThan(0);
    for (const d of newer.data) expect(d.season.year).toBeGreaterThan(1998);

    const older = await ask("sci-fi older than cowboy bebop");
    expect(older.interpretation).toMatchObject({ strategy: "browse", filters: { genres: ["Sci-Fi"], year_to: 1997 } });
    expect(older.data.length).toBeGreaterThan(0);
    for (const d of older.data) expect(d.season.year).toBeLessThan(1998);
  });

  it("a title that cannot be found is said so, and no year is invented", async () => {
    const a = await ask("mecha newer than qqqqq wwwww");
    expect(a.interpretation.newer_than).toBe("qqqqq wwwww");
    expect(a.interpretation.newer_than_anime).toBeNull();
    expect(a.interpretation.filters).toEqual({ genres: ["Mecha"] });
    expect(a.interpretation.notes).toContain('"qqqqq wwwww" was not found: no "newer than" year applied');
    expect(titles(a).sort()).toEqual(["Test Mecha Nineties", "Test Mecha Oughts"]);
  });
});

describe("best, highly rated, popular", () => {
  it('"best sci-fi" browses by score, with no score threshold', async () => {
    const a = await ask("best sci-fi", 30);
    expect(a.interpretation).toMatchObject({ strategy: "browse", sort: "score", filters: { genres: ["Sci-Fi"] } });
    expect(a.interpretation.filters.min_score).toBeUndefined();
    const { body } = await getJson("/v1/anime?genres=Sci-Fi&sort=score&limit=30&fields=id");
    expect(a.data.map((d) => d.id)).toEqual(body.data.map((d: { id: number }) => d.id));
  });

  it('"sci-fi with high scores" is a threshold and an order', async () => {
    const a = await ask("sci-fi with high scores");
    expect(a.interpretation).toMatchObject({ sort: "score", filters: { genres: ["Sci-Fi"], min_score: 8 } });
    expect(a.data.length).toBeGreaterThan(3);
    for (const d of a.data) expect(d.score).toBeGreaterThanOrEqual(8);
    expect(nonIncreasing(scores(a))).toBe(true);
  });

  it('"popular sci-fi" browses by popularity: the Gundam on ten sites before better-scored ones on one', async () => {
    const a = await ask("popular sci-fi", 20);
    expect(a.interpretation).toMatchObject({ strategy: "browse", sort: "popularity" });
    const { body } = await getJson("/v1/anime?genres=Sci-Fi&sort=popularity&limit=20&fields=id");
    expect(a.data.map((d) => d.id)).toEqual(body.data.map((d: { id: number }) => d.id));
    expect(a.data[0].title).toBe("Kidou Senshi Gundam Everywhere");
  });

  it("with words left to search, the sort re-orders the anime the search found", async () => {
    const plain = await ask("gundam");
    expect(plain.interpretation).toMatchObject({ strategy: "search", sort: null });
    // Relevance order is not score order here, so a re-order shows.
    expect(nonIncreasing(scores(plain))).toBe(false);

    const best = await ask("best gundam");
    expect(best.interpretation).toMatchObject({ strategy: "search", text: "gundam", sort: "score" });
    expect(best.data.map((d) => d.id).sort()).toEqual(plain.data.map((d) => d.id).sort());
    expect(nonIncreasing(scores(best))).toBe(true);

    const popular = await ask("popular gundam");
    expect(popular.interpretation.sort).toBe("popularity");
    expect(popular.data.map((d) => d.id).sort()).toEqual(plain.data.map((d) => d.id).sort());
    expect(popular.data[0].title).toBe("Kidou Senshi Gundam Everywhere");
    expect(best.data.at(-1)?.score).toBeLessThanOrEqual(6.1);
  });
});

describe("open year ranges and lengths", () => {
  it.each([
    ["sci-fi after 2000", { year_from: 2001 }, (y: number) => y > 2000],
    ["sci-fi since 2004", { year_from: 2004 }, (y: number) => y >= 2004],
    ["sci-fi from 2004 onwards", { year_from: 2004 }, (y: number) => y >= 2004],
    ["sci-fi before 1985", { year_to: 1984 }, (y: number) => y < 1985],
    ["pre-1985 sci-fi", { year_to: 1984 }, (y: number) => y < 1985],
  ])("%s", async (query, years, within) => {
    const a = await ask(query);
    expect(a.interpretation).toMatchObject({ strategy: "browse", filters: { genres: ["Sci-Fi"], ...years } });
    expect(a.data.length).toBeGreaterThan(0);
    for (const d of a.data) expect(within(d.season.year!)).toBe(true);
  });

  it('"short" is at most 13 episodes, "long" at least 50', async () => {
    const short = await ask("short sci-fi");
    expect(short.interpretation.filters).toEqual({ genres: ["Sci-Fi"], episodes_max: 13 });
    expect(short.data.length).toBeGreaterThan(0);
    for (const d of short.data) expect(d.episodes).toBeLessThanOrEqual(13);

    const long = await ask("long sci-fi");
    expect(long.interpretation.filters).toEqual({ genres: ["Sci-Fi"], episodes_min: 50 });
    expect(long.data.length).toBeGreaterThan(0);
    for (const d of long.data) expect(d.episodes).toBeGreaterThanOrEqual(50);
  });
});

describe("nothing matched", () => {
  it.each([
    ["recent mecha", "nothing matched: no anime has all of these filters"],
    ["sports from before 1950", "nothing matched: no anime has all of these filters"],
    ["like cowboy bebop but newer than 2090", "nothing matched: no anime like Cowboy Bebop passes these filters"],
  ])("%s → no data, and the notes say so", async (query, note) => {
    const a = await ask(query);
    expect(a.data).toEqual([]);
    expect(a.interpretation.notes.at(-1)).toBe(note);
  });

  it("a search that finds nothing relevant (the relevance floor) says so", async () => {
    const whole = await ask("xyzzyplugh");
    expect(whole.data).toEqual([]);
    expect(whole.interpretation.notes).toEqual(['nothing matched: no anime is relevant enough to "xyzzyplugh"']);
    const within = await ask("mecha about xyzzyplugh");
    expect(within.interpretation).toMatchObject({ strategy: "search", text: "xyzzyplugh" });
    expect(within.data).toEqual([]);
    expect(within.interpretation.notes.at(-1)).toBe('nothing matched: no anime is relevant enough to "xyzzyplugh" within these filters');
  });

  it("an answer with results says nothing of the kind", async () => {
    const a = await ask("sports");
    expect(a.data.length).toBeGreaterThan(0);
    expect(a.interpretation.notes.join(" ")).not.toContain("nothing matched");
  });
});
