import { beforeAll, describe, expect, it } from "vitest";
import { env } from "cloudflare:workers";
import { fixtureEntries, getJson, importEntries, importFixture, indexSearch } from "../helpers";

/**
 * GET /v1/anime/{id}/similar on entries made for each rule, beside the fixture catalog. They
 * are imported after the search index was built unless a test indexes them, so the vector leg
 * (the local index, queried through the app) does not know them: what ranks them is the tag
 * leg, relations and the prior, each checked in its own test.
 */
const base = fixtureEntries.find((e) => e.title === "Cowboy Bebop")!;
const mal = (n: number) => `https://myanimelist.net/anime/${n}`;
const score = (x: number) => ({ arithmeticGeometricMean: x, arithmeticMean: x, median: x });

function entry(n: number, title: string, tags: string[], extra: Record<string, unknown> = {}) {
  return { ...base, sources: [mal(n)], title, synonyms: [], tags, relatedAnime: [], studios: [], producers: [], ...extra };
}

async function idOf(n: number): Promise<number> {
  const { body } = await getJson(`/v1/anime/lookup?site=myanimelist&id=${n}&fields=id`);
  return body.id;
}

const similar = async (id: number, query = "") => {
  const { status, body } = await getJson(`/v1/anime/${id}/similar?limit=50&fields=id,title,type${query}`);
  expect(status).toBe(200);
  return body.data as { id: number; title: string; type: string; similarity: Record<string, any> }[];
};
const rank = (hits: { title: string }[], title: string) => hits.findIndex((h) => h.title === title);

beforeAll(async () => {
  await importFixture();
  await indexSearch();
});

describe("similar: tags weighted by rarity", () => {
  beforeAll(async () => {
    await importEntries(
      env.DB,
      [
        entry(992001, "Chronoflux Laboratory", ["zq time machine", "zq butterfly effect", "action", "comedy", "drama", "sci-fi"]),
        // Shares one rare tag.
        entry(992002, "Quiet Garden Days", ["zq time machine", "slice of life"]),
        // Shares four common tags: more tags in common, and the larger plain overlap.
        entry(992003, "Loud Brawlers Club", ["action", "comedy", "drama", "sci-fi"]),
      ],
      { source: "similar-tags" },
    );
  });

  it("an anime sharing a rare tag outranks one sharing only common tags", async () => {
    const hits = await similar(await idOf(992001));
    const rare = hits[rank(hits, "Quiet Garden Days")];
    const common = hits[rank(hits, "Loud Brawlers Club")];
    expect(rare).toBeDefined();
    expect(common).toBeDefined();
    // The old measure (plain overlap) prefers the common-tag twin; the ranking must not.
    expect(common.similarity.genre_overlap).toBeGreaterThan(rare.similarity.genre_overlap);
    expect(rank(hits, "Quiet Garden Days")).toBeLessThan(rank(hits, "Loud Brawlers Club"));
    expect(rare.similarity.tag_score).toBeGreaterThan(common.similarity.tag_score);
    expect(rare.similarity.shared_tags[0]).toBe("zq time machine");
    expect(common.similarity.shared_tags).toEqual(expect.arrayContaining(["action", "comedy", "drama", "sci-fi"]));
    for (const h of hits) expect(Object.keys(h.similarity).sort()).toEqual(["genre_overlap", "prior", "related", "score", "shared_tags", "tag_score", "vector_score"]);
  });
});

describe("similar: relations", () => {
  beforeAll(async () => {
    await importEntries(
      env.DB,
      [
        entry(992101, "Harbor Lights Saga", ["zq harbor", "zq lighthouse", "zq fog", "zq gulls", "drama", "romance"], { relatedAnime: [mal(992102), mal(992104)] }),
        // Linked from the anime, sharing less than the unlinked twin below.
        entry(992102, "Beacon Keepers", ["zq harbor", "zq lighthouse", "drama", "comedy", "action"]),
        entry(992103, "Foghorn Tales", ["zq harbor", "zq lighthouse", "zq fog", "drama", "romance"]),
        // Links the anime (the other direction).
        entry(992105, "Tidewater Epilogue", ["zq harbor", "zq fog", "drama"], { relatedAnime: [mal(992101)] }),
        // Linked, a movie; filtered out under type=TV.
        entry(992104, "Harbor Night Film", ["zq harbor", "zq gulls", "zq fog", "romance"], { type: "MOVIE" }),
      ],
      { source: "similar-relations" },
    );
  });

  it("exclude_related=false: the franchise (linked either way) ranks first and says so", async () => {
    const hits = await similar(await idOf(992101));
    const linked = ["Beacon Keepers", "Tidewater Epilogue", "Harbor Night Film"];
    for (const t of linked) expect(hits[rank(hits, t)]?.similarity.related).toBe(true);
    expect(hits[rank(hits, "Foghorn Tales")].similarity.related).toBe(false);
    // Foghorn Tales shares more with the anime than Beacon Keepers does; the relation outweighs that.
    expect(hits[rank(hits, "Foghorn Tales")].similarity.tag_score).toBeGreaterThan(hits[rank(hits, "Beacon Keepers")].similarity.tag_score);
    for (const t of linked) expect(rank(hits, t)).toBeLessThan(rank(hits, "Foghorn Tales"));
  });

  it("exclude_related=true drops the linked entries in both directions, keeps the alike", async () => {
    const titles = (await similar(await idOf(992101), "&exclude_related=true")).map((h) => h.title);
    expect(titles).toContain("Foghorn Tales");
    for (const t of ["Beacon Keepers", "Tidewater Epilogue", "Harbor Night Film"]) expect(titles).not.toContain(t);
  });

  it("filters apply to the related entries too", async () => {
    const tv = await similar(await idOf(992101), "&type=TV");
    expect(tv.map((h) => h.title)).toContain("Beacon Keepers");
    expect(tv.map((h) => h.title)).not.toContain("Harbor Night Film");
    for (const h of tv) expect(h.type).toBe("TV");
    const movies = await similar(await idOf(992101), "&type=MOVIE");
    expect(movies[0]?.title).toBe("Harbor Night Film");
    for (const h of movies) expect(h.type).toBe("MOVIE");
  });
});

describe("similar: evidence", () => {
  beforeAll(async () => {
    const season = { season: "SPRING", year: 2091 };
    await importEntries(
      env.DB,
      [
        entry(992201, "Evidence Anchor Saga", ["zq anchor"], { animeSeason: season, relatedAnime: [mal(992203)] }),
        // Alike only by its vector (no shared tag), unscored: the weakest prior.
        entry(992202, "Evidence Anchor Chronicle", ["zq chronicle"], { animeSeason: season, score: undefined }),
      ],
      { source: "similar-evidence" },
    );
    await indexSearch();
    // Linked, rated, listed on three sites, but no tags and not in the vector index: no evidence.
    await importEntries(
      env.DB,
      [entry(992203, "Untagged Companion", [], { animeSeason: season, score: score(9.9), sources: [mal(992203), "https://anilist.co/anime/992203", "https://kitsu.app/anime/992203"] })],
      { source: "similar-evidence-late" },
    );
  });

  it("an entry without vector or tag evidence never ranks above one with it, whatever its relation and popularity", async () => {
    const hits = await similar(await idOf(992201), "&year_from=2091");
    const alike = hits[rank(hits, "Evidence Anchor Chronicle")];
    const bare = hits[rank(hits, "Untagged Companion")];
    expect(alike.similarity.vector_score).toBeGreaterThan(0);
    expect(alike.similarity.tag_score).toBe(0);
    expect(bare.similarity).toMatchObject({ vector_score: null, tag_score: 0, related: true });
    // Scored alone, the popular related entry would come first (it counts the weakest vector
    // score, and its prior is higher); the evidence rule puts it after.
    expect(bare.similarity.prior).toBeGreaterThan(alike.similarity.prior);
    expect(bare.similarity.score).toBeGreaterThan(alike.similarity.score);
    expect(rank(hits, "Evidence Anchor Chronicle")).toBeLessThan(rank(hits, "Untagged Companion"));
  });
});
