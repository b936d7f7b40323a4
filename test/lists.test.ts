import { GENRES, tagsOfGenre } from "../src/catalog/genres";
import { beforeAll, describe, expect, it } from "vitest";
import { call, expectProblem, getJson, importFixture, resetCatalog, sqlCount } from "./helpers";

beforeAll(async () => {
  await resetCatalog();
  await importFixture();
});

describe("GET /v1/seasons/{year}/{season}", () => {
  it("lists one season, case-insensitively, with paging", async () => {
    const expected = await sqlCount("SELECT count(*) AS n FROM anime WHERE year = 1998 AND season = 'SPRING' AND system_status = 'ACTIVE'");
    const lower = await getJson("/v1/seasons/1998/spring?limit=100&fields=title,season");
    const upper = await getJson("/v1/seasons/1998/SPRING?limit=100&fields=title,season");
    expect(lower.body.data).toHaveLength(expected);
    expect(upper.body).toEqual(lower.body);
    expect(lower.body.data).toContainEqual({ title: "Cowboy Bebop", season: { season: "SPRING", year: 1998 } });
  });

  it("accepts the other browse filters", async () => {
    const { body } = await getJson("/v1/seasons/1998/spring?type=TV&genres=sci-fi&fields=type,genres");
    expect(body.data.length).toBeGreaterThan(0);
    for (const a of body.data) expect(a).toMatchObject({ type: "TV", genres: expect.arrayContaining(["Sci-Fi"]) });
    await expectProblem(await call("/v1/seasons/1998/spring?tags=no-such-tag"), 400, "validation_failed");
  });

  it.each([
    ["/v1/seasons/1998/autumn", "season"],
    ["/v1/seasons/98/spring", "year"],
    ["/v1/seasons/abc/spring", "year"],
    ["/v1/seasons/1998/spring?year_from=1990", "year_from"],
    ["/v1/seasons/1998/spring?limit=0", "limit"],
  ])("rejects %s", async (path, param) => {
    const body = await expectProblem(await call(path), 400, "validation_failed");
    expect(body.errors.map((e: { param: string }) => e.param)).toContain(param);
  });
});

describe("GET /v1/genres and /v1/studios", () => {
  it("counts genres of active anime, most used first", async () => {
    const { body } = await getJson("/v1/genres");
    // Every genre, once, in its one spelling; a genre counts each anime having any of its tags once.
    expect(body.data.map((g: { name: string }) => g.name).sort()).toEqual([...GENRES].sort());
    for (const name of ["Action", "Sci-Fi", "Comedy"] as const) {
      const tags = tagsOfGenre(name).map((t) => `'${t}'`).join(", ");
      const expected = await sqlCount(`SELECT count(*) AS n FROM anime a WHERE a.system_status = 'ACTIVE' AND EXISTS (SELECT 1 FROM anime_genre g WHERE g.anime_id = a.id AND g.genre_key IN (${tags}))`);
      expect(expected, name).toBeGreaterThan(0);
      expect(body.data.find((g: { name: string }) => g.name === name).count, name).toBe(expected);
      // The browse filter agrees with the count.
      const listed = await getJson(`/v1/anime?genres=${encodeURIComponent(name)}&include_adult=true&limit=100&fields=id`);
      expect(listed.body.data.length, name).toBe(Math.min(expected, 100));
    }
    const counts = body.data.map((g: { count: number }) => g.count);
    expect(counts).toEqual([...counts].sort((a, b) => b - a));
  });

  it("counts studios with limit and min_count", async () => {
    const { body } = await getJson("/v1/studios?limit=3&min_count=2");
    expect(body.data).toHaveLength(3);
    for (const s of body.data) expect(s.count).toBeGreaterThanOrEqual(2);
    const sunrise = (await getJson("/v1/studios?limit=1000")).body.data.find((s: { name: string }) => s.name === "sunrise");
    expect(sunrise.count).toBe(await sqlCount("SELECT count(*) AS n FROM anime_studio WHERE studio_key = 'sunrise'"));
  });

  it.each(["/v1/studios?limit=0", "/v1/studios?limit=1001", "/v1/studios?min_count=0", "/v1/genres?sort=name"])("rejects %s", async (path) => {
    await expectProblem(await call(path), 400, "validation_failed");
  });
});

describe("GET /v1/random", () => {
  it("returns an anime matching the filters, not cached", async () => {
    const seen = new Set<number>();
    for (let i = 0; i < 10; i++) {
      const { status, body, res } = await getJson("/v1/random?genres=sci-fi&type=TV&fields=id,genres,type");
      expect(status).toBe(200);
      expect(body.genres).toContain("Sci-Fi");
      expect(body.type).toBe("TV");
      expect(res.headers.get("cache-control")).toBe("no-store");
      seen.add(body.id);
    }
    expect(seen.size).toBeGreaterThan(1);
  });

  it("404s when nothing matches, 400 on bad filters", async () => {
    await expectProblem(await call("/v1/random?genres=Sports&tags=girls love&min_score=9.5"), 404, "not_found");
    await expectProblem(await call("/v1/random?genres=no-such-genre"), 400, "validation_failed");
    await expectProblem(await call("/v1/random?tags=no-such-tag"), 400, "validation_failed");
    await expectProblem(await call("/v1/random?type=NOPE"), 400, "validation_failed");
    await expectProblem(await call("/v1/random?limit=5"), 400, "validation_failed");
  });
});
