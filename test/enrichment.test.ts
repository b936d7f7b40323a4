import { env } from "cloudflare:workers";
import { beforeEach, describe, expect, it } from "vitest";
import { fixtureEntries, getJson, importEntries, importFixture, resetCatalog } from "./helpers";

/**
 * Issue 13, "Enrichment adds, never removes": an enriched entry merges into the anime its
 * source URL names, adding to what the release gave it and keeping the fields the release owns.
 */
const bebop = fixtureEntries.find((e) => e.title === "Cowboy Bebop")!;
/** The release's Cowboy Bebop with the other sites a full release lists for it. */
const release = {
  ...bebop,
  sources: ["https://anidb.net/anime/23", "https://anilist.co/anime/1", "https://anime-planet.com/anime/cowboy-bebop", "https://kitsu.app/anime/1", "https://myanimelist.net/anime/1"],
};
/** What the eval makes of MAL facts: the MAL URL only, one synonym, and values that differ from the release's. */
const enriched = {
  sources: ["https://myanimelist.net/anime/1"],
  title: "Cowboy Bebop: Space Cowboys",
  synonyms: ["Bebop of the Made-up Stars"],
  type: "MOVIE",
  episodes: 27,
  status: "ONGOING",
  season: "FALL",
  year: 1999,
  duration: 1500,
  synopsis: "Made-up synopsis: four strangers share a ship and a fridge with nothing in it.",
  genres: ["Space Opera", "SCI-FI"],
  tags: ["space opera"],
  images: { covers: ["https://cdn.example.org/covers/bebop-large.jpg"] },
  score: { arithmetic_geometric_mean: 7.5 },
  staff_data: { studios: [{ name: "Sunrise" }, { name: "Made-up Studio" }] },
};

beforeEach(resetCatalog);

async function animeOf(site: string, id: string) {
  const { status, body } = await getJson(`/v1/anime/lookup?site=${site}&id=${encodeURIComponent(id)}`);
  expect(status).toBe(200);
  return body;
}

describe("enrichment merges into a release anime", () => {
  it("adds sources, synonyms, genres, the synopsis and images, keeping the release's own fields", async () => {
    await importFixture();
    await importEntries(env.DB, [release], { source: "release" });
    const before = await animeOf("myanimelist", "1");
    expect(before.synonyms).toHaveLength(bebop.synonyms.length);

    expect(await importEntries(env.DB, [enriched], { source: "enriched" })).toMatchObject({ inserted: 0, updated: 1, invalid: 0 });
    const after = await animeOf("myanimelist", "1");
    expect(after.id).toBe(before.id);
    // Sources: a union; every site still finds the anime.
    expect(after.source_urls).toEqual(release.sources);
    for (const [site, id] of [["anilist", "1"], ["kitsu", "1"], ["anidb", "23"], ["animeplanet", "cowboy-bebop"]]) {
      expect((await animeOf(site, id)).id).toBe(before.id);
    }
    expect(after.external_ids).toEqual({ anidb: "23", anilist: "1", animeplanet: "cowboy-bebop", kitsu: "1", myanimelist: "1" });
    // Synonyms: the stored ones first, then the new one and the enrichment's other title.
    expect(after.synonyms).toEqual([...bebop.synonyms, "Bebop of the Made-up Stars", "Cowboy Bebop: Space Cowboys"]);
    // Genres and studios: unions, compared case-insensitively, the stored spelling kept ("sci-fi", "sunrise").
    expect(after.tags).toEqual([...bebop.tags, "space opera"]);
    expect(after.genres).toEqual(["Action", "Sci-Fi", "Space"]);
    expect(after.studios).toEqual(["sunrise", "made-up studio"]);
    expect(after.synopsis).toBe(enriched.synopsis);
    expect(after.picture).toBe("https://cdn.example.org/covers/bebop-large.jpg");
    // The release's own fields keep the release's values.
    expect(after).toMatchObject({
      title: "Cowboy Bebop", type: "TV", episodes: 26, status: "FINISHED", season: { season: "SPRING", year: 1998 }, score: 8.75, duration_seconds: 1440,
    });
    // Genre filtering sees the merged genres.
    const spaceOpera = await getJson("/v1/anime?tags=space%20opera&fields=id&limit=100");
    expect(spaceOpera.body.data).toEqual([{ id: before.id }]);

    // The same file again changes nothing.
    expect(await importEntries(env.DB, [enriched], { source: "enriched again" })).toMatchObject({ inserted: 0, updated: 0, unchanged: 1 });
    expect(await animeOf("myanimelist", "1")).toEqual(after);
  });

  it("stores the content hash of the merged result, so a re-embedding sees exactly what changed", async () => {
    await importEntries(env.DB, [release], { source: "release" });
    const hashOf = async () => (await env.DB.prepare("SELECT content_hash AS h FROM anime").first<{ h: string }>())!.h;
    const released = await hashOf();
    await importEntries(env.DB, [enriched], { source: "enriched" });
    const merged = await hashOf();
    expect(merged).not.toBe(released);
    // An enriched entry that adds nothing new (a subset of what is stored) leaves the hash alone.
    const subset = { sources: ["https://kitsu.app/anime/1"], title: "Cowboy Bebop", type: "TV", synonyms: [bebop.synonyms[1].toLowerCase()], genres: ["ACTION"] };
    expect(await importEntries(env.DB, [subset], { source: "subset" })).toMatchObject({ updated: 0, unchanged: 1 });
    expect(await hashOf()).toBe(merged);
  });

  it("keeps the synopsis and images when the release comes back, and takes the release's fields again", async () => {
    await importEntries(env.DB, [release], { source: "release" });
    await importEntries(env.DB, [enriched], { source: "enriched" });
    expect(await importEntries(env.DB, [{ ...release, episodes: 28 }], { source: "next release" })).toMatchObject({ updated: 1 });
    const after = await animeOf("anidb", "23");
    expect(after).toMatchObject({ synopsis: enriched.synopsis, picture: "https://cdn.example.org/covers/bebop-large.jpg", episodes: 28, source_urls: release.sources });
  });

  it("does not take back a URL that an earlier entry of the same run took from the anime", async () => {
    const trigun = fixtureEntries.find((e) => e.title === "Trigun")!;
    const trigunTwo = { ...trigun, sources: ["https://anilist.co/anime/6", "https://myanimelist.net/anime/6"] };
    await importEntries(env.DB, [release, trigunTwo], { source: "release" });
    const trigunId = (await animeOf("myanimelist", "6")).id;
    // One run: Trigun's entry now lists Bebop's AniDB page (it holds most of Trigun's URLs, so Trigun takes it), then Bebop is enriched.
    const taking = { ...trigunTwo, sources: [...trigunTwo.sources, "https://anidb.net/anime/23"] };
    await importEntries(env.DB, [taking, enriched], { source: "one run" });
    expect((await animeOf("anidb", "23")).id).toBe(trigunId);
    const bebopNow = await animeOf("myanimelist", "1");
    expect(bebopNow.source_urls).toEqual(release.sources.filter((u) => u !== "https://anidb.net/anime/23"));
    expect(await importEntries(env.DB, [taking, enriched], { source: "one run again" })).toMatchObject({ updated: 0, unchanged: 2 });
  });

  it("gives a new anime the enrichment's own values", async () => {
    const fresh = { ...enriched, sources: ["https://myanimelist.net/anime/999002"], title: "Made-up Fresh Anime" };
    expect(await importEntries(env.DB, [fresh], { source: "fresh" })).toMatchObject({ inserted: 1 });
    const body = await animeOf("myanimelist", "999002");
    expect(body).toMatchObject({
      title: "Made-up Fresh Anime", type: "MOVIE", episodes: 27, status: "ONGOING", season: { season: "FALL", year: 1999 }, score: 7.5,
      synonyms: ["Bebop of the Made-up Stars"], genres: ["Sci-Fi", "Space"], tags: ["space opera", "sci-fi"], synopsis: fresh.synopsis,
    });
    expect(await importEntries(env.DB, [fresh], { source: "fresh again" })).toMatchObject({ updated: 0, unchanged: 1 });
  });
});
