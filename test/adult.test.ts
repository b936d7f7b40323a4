import { beforeAll, describe, expect, it } from "vitest";
import { env } from "cloudflare:workers";
import { call, getJson, importEntries, indexSearch, resetCatalog } from "./helpers";
import { entry, onSites } from "./sync/fixtures";

/**
 * Adult content (catalog/adult.ts): anime tagged "hentai" are left out of lists, search,
 * similar and random unless include_adult=true, and served alone with adult: true. The
 * adult entries score best and share tags and words with the others, so every list would
 * show them first without the rule. Each is listed on 8 sites, as /v1/top requires.
 */
const score = (x: number) => ({ score: { arithmeticGeometricMean: x, arithmeticMean: x, median: x } });
const ADULT = ["Teacher Secret Lesson", "Teacher Night Class"];
const ENTRIES = [
  entry(9101, { sources: onSites(9101, 8), title: ADULT[0], tags: ["hentai", "school", "romance"], ...score(9.5) }),
  entry(9102, { sources: onSites(9102, 8), title: ADULT[1], tags: ["Hentai", "school", "romance"], ...score(9.4) }),
  entry(9103, { sources: onSites(9103, 8), title: "Teacher Onizuka Test", tags: ["school", "romance", "comedy"], ...score(8) }),
  // ecchi is fan service, not adult.
  entry(9104, { sources: onSites(9104, 8), title: "Teacher Assassination Test", tags: ["ecchi", "school", "romance"], ...score(7.5) }),
  entry(9105, { sources: onSites(9105, 8), title: "Space Cowboy Test", tags: ["sci-fi"], ...score(7) }),
];

const ids = new Map<string, number>();
const titles = (data: { title: string }[]) => data.map((a) => a.title);
const expectNoAdult = (data: { title: string }[]) => expect(titles(data).filter((t) => ADULT.includes(t))).toEqual([]);
const expectAdult = (data: { title: string }[]) => expect(titles(data)).toEqual(expect.arrayContaining(ADULT));

beforeAll(async () => {
  await resetCatalog();
  await importEntries(env.DB, ENTRIES, { source: "adult.test" });
  const { results } = await env.DB.prepare("SELECT id, title FROM anime").all<{ id: number; title: string }>();
  for (const r of results) ids.set(r.title, r.id);
  await indexSearch(true);
});

describe("adult flag", () => {
  it("GET /v1/anime/{id} serves an adult anime, flagged", async () => {
    const adult = await getJson(`/v1/anime/${ids.get(ADULT[1])}`);
    expect(adult.status).toBe(200);
    expect(adult.body.adult).toBe(true);
    const ecchi = await getJson(`/v1/anime/${ids.get("Teacher Assassination Test")}`);
    expect(ecchi.body.adult).toBe(false);
  });

  it("lookup serves an adult anime, flagged", async () => {
    const { status, body } = await getJson("/v1/anime/lookup?site=myanimelist&id=9101");
    expect(status).toBe(200);
    expect(body).toMatchObject({ title: ADULT[0], adult: true });
  });
});

describe("lists leave adult anime out unless include_adult=true", () => {
  it("browse", async () => {
    const hidden = await getJson("/v1/anime?limit=100");
    expect(hidden.body.data).toHaveLength(ENTRIES.length - ADULT.length);
    expectNoAdult(hidden.body.data);
    expect((await getJson("/v1/anime?genres=hentai")).body.data).toEqual([]);
    const shown = await getJson("/v1/anime?limit=100&include_adult=true");
    expect(shown.body.data).toHaveLength(ENTRIES.length);
    expect(shown.body.data.filter((a: { adult: boolean }) => a.adult).map((a: { title: string }) => a.title).sort()).toEqual([...ADULT].sort());
  });

  it("seasons", async () => {
    expectNoAdult((await getJson("/v1/seasons/2001/spring?limit=100")).body.data);
    expectAdult((await getJson("/v1/seasons/2001/spring?limit=100&include_adult=true")).body.data);
  });

  it("curated top and popular", async () => {
    for (const path of ["/v1/top?limit=100", "/v1/popular?limit=100"]) {
      const { status, body } = await getJson(path);
      expect(status).toBe(200);
      expect(body.data.length).toBe(ENTRIES.length - ADULT.length);
      expectNoAdult(body.data);
    }
  });

  it("random", async () => {
    expect((await call("/v1/random?genres=hentai")).status).toBe(404);
    const adult = await getJson("/v1/random?genres=hentai&include_adult=true");
    expect(adult.status).toBe(200);
    expect(adult.body.adult).toBe(true);
    for (let i = 0; i < 10; i++) expect((await getJson("/v1/random?genres=school")).body.adult).toBe(false);
  });

  it("similar", async () => {
    const id = ids.get("Teacher Onizuka Test");
    const hidden = await getJson(`/v1/anime/${id}/similar?limit=50`);
    expect(hidden.status).toBe(200);
    expect(hidden.body.data.length).toBeGreaterThan(0);
    expectNoAdult(hidden.body.data);
    expectAdult((await getJson(`/v1/anime/${id}/similar?limit=50&include_adult=true`)).body.data);
  });
});

describe("search leaves adult anime out unless include_adult=true", () => {
  it.each(["keyword", "hybrid", "semantic"])("GET /v1/search?q=teacher&mode=%s", async (mode) => {
    // Every candidate (min_confidence=0): this checks the adult rule, not relevance.
    const hidden = await getJson(`/v1/search?q=teacher&mode=${mode}&limit=50&min_confidence=0`);
    expect(hidden.status).toBe(200);
    expect(hidden.body.degraded).toEqual([]);
    expect(titles(hidden.body.data)).toContain("Teacher Onizuka Test");
    expectNoAdult(hidden.body.data);
    const shown = await getJson(`/v1/search?q=teacher&mode=${mode}&limit=50&include_adult=true&min_confidence=0`);
    expectAdult(shown.body.data);
  });

  it("POST /v1/query, unless the body sets include_adult", async () => {
    const post = (body: unknown) => call("/v1/query", { method: "POST", headers: { "Content-Type": "application/json" }, body: JSON.stringify(body) });
    const hidden = (await (await post({ query: "teacher", limit: 50 })).json()) as { data: { title: string }[] };
    expect(titles(hidden.data)).toContain("Teacher Onizuka Test");
    expectNoAdult(hidden.data);
    // Naming the tag does not let adult anime in: only the request's include_adult does.
    expectNoAdult(((await (await post({ query: "hentai teacher", limit: 50 })).json()) as { data: { title: string }[] }).data);
    const shown = (await (await post({ query: "teacher", limit: 50, include_adult: true })).json()) as { data: { title: string }[] };
    expectAdult(shown.data);
  });
});
