import { env } from "cloudflare:workers";
import { beforeAll, describe, expect, it } from "vitest";
import { KNOWN_SITES } from "../src/catalog/sources";
import { call, expectProblem, fixtureEntries, getJson, importEntries, importFixture, resetCatalog } from "./helpers";

/** Cowboy Bebop's sources as the 2026-02 release lists them (the fixture keeps only MyAnimeList's). */
const BEBOP_SOURCES = [
  "https://anidb.net/anime/23",
  "https://anilist.co/anime/1",
  "https://anime-planet.com/anime/cowboy-bebop",
  "https://animecountdown.com/37089",
  "https://animenewsnetwork.com/encyclopedia/anime.php?id=13",
  "https://anisearch.com/anime/1572",
  "https://kitsu.app/anime/1",
  "https://livechart.me/anime/3418",
  "https://myanimelist.net/anime/1",
  "https://simkl.com/anime/37089",
];

let bebopId: number;

beforeAll(async () => {
  await resetCatalog();
  await importFixture();
  const bebop = fixtureEntries.find((e) => e.sources[0] === "https://myanimelist.net/anime/1")!;
  await importEntries(env.DB, [{ ...bebop, sources: BEBOP_SOURCES }], { source: "cross-site sources" });
  bebopId = (await env.DB.prepare("SELECT anime_id AS id FROM anime_source WHERE url = ?").bind("https://myanimelist.net/anime/1").first<{ id: number }>())!.id;
});

describe("GET /v1/anime/lookup: happy", () => {
  it("resolves a site id and names the anime's own URL", async () => {
    const res = await call("/v1/anime/lookup?site=anilist&id=1");
    expect(res.status).toBe(200);
    expect(res.headers.get("content-location")).toBe(`/v1/anime/${bebopId}`);
    const body = (await res.json()) as { id: number; title: string; external_ids: Record<string, string> };
    expect(body).toMatchObject({ id: bebopId, title: "Cowboy Bebop" });
    expect(body.external_ids).toMatchObject({ anilist: "1", kitsu: "1", animeplanet: "cowboy-bebop", animenewsnetwork: "13" });
  });

  it.each([
    ["myanimelist", "1"],
    ["myanimelist", "001"],
    ["anilist", "1"],
    ["kitsu", "1"],
    ["anidb", "23"],
    ["animeplanet", "cowboy-bebop"],
    ["animeplanet", "Cowboy-Bebop"],
    ["anisearch", "1572"],
    ["livechart", "3418"],
    ["simkl", "37089"],
    ["animecountdown", "37089"],
    ["animenewsnetwork", "13"],
  ])("?site=%s&id=%s", async (site, id) => {
    const { status, body } = await getJson(`/v1/anime/lookup?site=${site}&id=${encodeURIComponent(id)}&fields=id`);
    expect(status).toBe(200);
    expect(body).toEqual({ id: bebopId });
  });

  it.each([
    "https://myanimelist.net/anime/1",
    "http://www.myanimelist.net/anime/1/",
    "https://myanimelist.net/anime/1?utm=x",
    "https://myanimelist.net/anime/1/Cowboy_Bebop",
    "https://myanimelist.net/anime/1/Cowboy_Bebop/reviews?p=2#top",
    "https://myanimelist.net/anime.php?id=1",
    "HTTPS://WWW.MYANIMELIST.NET/anime/1",
    "https://kitsu.app/anime/1",
    "https://kitsu.io/anime/1",
    "anilist.co/anime/1/cowboy-bebop/",
    "https://anilist.co/anime/1/cowboy-bebop/",
    "https://anidb.net/a23",
    "https://www.anime-planet.com/anime/cowboy-bebop",
    "https://www.anisearch.com/anime/1572,cowboy-bebop",
    "https://www.livechart.me/anime/3418",
    "https://simkl.com/anime/37089/cowboy-bebop",
    "https://animecountdown.com/37089",
    "https://animenewsnetwork.com/encyclopedia/anime.php?id=13",
    "https://www.animenewsnetwork.com/encyclopedia/anime.php?id=13",
  ])("?url=%s", async (url) => {
    const { status, body } = await getJson(`/v1/anime/lookup?url=${encodeURIComponent(url)}&fields=id`);
    expect(status).toBe(200);
    expect(body).toEqual({ id: bebopId });
  });
});

describe("GET /v1/anime/lookup: errors", () => {
  it.each([
    // Well-formed, not in the catalog.
    ["?site=myanimelist&id=424242", 404, "not_found", undefined],
    ["?site=animeplanet&id=not-in-the-catalog", 404, "not_found", undefined],
    ["?url=https%3A%2F%2Fanilist.co%2Fanime%2F424242", 404, "not_found", undefined],
    ["?url=https%3A%2F%2Fmyanimelist.net%2Fanime%2F52991%2FSousou_no_Frieren", 404, "not_found", undefined],
    // Malformed.
    ["?site=imdb&id=1", 400, "validation_failed", "site"],
    ["?site=myanimelist", 400, "validation_failed", "id"],
    ["?id=1", 400, "validation_failed", "site"],
    ["", 400, "validation_failed", "site"],
    ["?site=myanimelist&id=abc", 400, "validation_failed", "id"],
    ["?site=kitsu&id=cowboy-bebop", 400, "validation_failed", "id"],
    ["?site=anilist&id=0", 400, "validation_failed", "id"],
    ["?site=myanimelist&id=%27%20OR%201%3D1--", 400, "validation_failed", "id"],
    ["?url=not-a-url", 400, "validation_failed", "url"],
    ["?url=", 400, "validation_failed", "url"],
    ["?url=https%3A%2F%2Fwww.imdb.com%2Ftitle%2Ftt0213338%2F", 400, "validation_failed", "url"],
    ["?url=https%3A%2F%2Fkitsu.app%2Fanime%2Fcowboy-bebop", 400, "validation_failed", "url"],
    ["?url=https%3A%2F%2Fmyanimelist.net%2Fanime%2Fabc", 400, "validation_failed", "url"],
    ["?url=https%3A%2F%2Fnotify.moe%2Fanime%2F%25", 400, "validation_failed", "url"],
    ["?url=https%3A%2F%2Fmyanimelist.net%2Fanime%2F%25E0%25A4%25A", 400, "validation_failed", "url"],
    ["?url=https%3A%2F%2Fmyanimelist.net%2Fmanga%2F1", 400, "validation_failed", "url"],
    ["?url=https%3A%2F%2Fmyanimelist.net%2Fanime%2F1&site=myanimelist&id=1", 400, "validation_failed", "url"],
  ])("lookup%s → %i", async (query, status, code, param) => {
    const body = await expectProblem(await call(`/v1/anime/lookup${query}`), status, code);
    if (param) expect(body.errors.map((e: { param: string }) => e.param)).toContain(param);
  });

  it("lists the supported sites when the site is unknown", async () => {
    const bySite = await expectProblem(await call("/v1/anime/lookup?site=imdb&id=1"), 400, "validation_failed");
    const byUrl = await expectProblem(await call(`/v1/anime/lookup?url=${encodeURIComponent("https://www.imdb.com/title/tt0213338/")}`), 400, "validation_failed");
    expect(byUrl.errors).toEqual([{ param: "url", message: expect.stringMatching(/^imdb\.com is not a supported site; supported: myanimelist\.net, /) }]);
    for (const site of KNOWN_SITES) expect(bySite.errors[0].message).toContain(site);
    for (const host of ["myanimelist.net", "anilist.co", "kitsu.app", "kitsu.io", "anime-planet.com", "notify.moe", "animenewsnetwork.com"]) expect(byUrl.detail).toContain(host);
  });

  it("says what the site's ids look like", async () => {
    const body = await expectProblem(await call("/v1/anime/lookup?site=kitsu&id=cowboy-bebop"), 400, "validation_failed");
    expect(body.errors).toEqual([{ param: "id", message: "not a valid kitsu id: kitsu ids are positive whole numbers" }]);
  });
});
