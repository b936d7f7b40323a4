import { describe, expect, it } from "vitest";
import { env } from "cloudflare:workers";
import { getJson, importEntries } from "./helpers";
import { anilist, entry, idOf, mal } from "./sync/fixtures";

describe("related anime", () => {
  it("one item per related anime in the catalog (its per-site URLs folded), with title, type and year; unknown URLs kept; no self-reference", async () => {
    await importEntries(
      env.DB,
      [
        entry(9401, { title: "Related Test Series", sources: [mal(9401), anilist(9401)], relatedAnime: [mal(9402), anilist(9402), "https://anidb.net/anime/999999", mal(9401)] }),
        entry(9402, { title: "Related Test Movie", type: "MOVIE", sources: [mal(9402), anilist(9402)], animeSeason: { season: "SUMMER", year: 2003 }, relatedAnime: [mal(9401)] }),
      ],
      { source: "related" },
    );
    const [series, movie] = [(await idOf(mal(9401)))!, (await idOf(mal(9402)))!];
    const { body } = await getJson(`/v1/anime/${series}?fields=related`);
    expect(body.related).toEqual([
      { id: movie, title: "Related Test Movie", type: "MOVIE", year: 2003, url: anilist(9402) }, // the first URL as stored (sorted)
      { id: null, title: null, type: null, year: null, url: "https://anidb.net/anime/999999" },
    ]);
    expect((await getJson(`/v1/anime/${movie}?fields=related`)).body.related).toEqual([{ id: series, title: "Related Test Series", type: "TV", year: 2001, url: mal(9401) }]);
  });
});

describe("related anime in search hits", () => {
  it("a search hit presents its related anime and picture as GET /v1/anime/{id} does (read in the hydrate round trip)", async () => {
    await importEntries(
      env.DB,
      [
        entry(9411, { title: "Hydrate Presenting Series", sources: [mal(9411)], relatedAnime: [mal(9412), "https://anidb.net/anime/999998"] }),
        entry(9412, { title: "Hydrate Presenting Movie", type: "MOVIE", sources: [mal(9412)], relatedAnime: [mal(9411)] }),
      ],
      { source: "related-search" },
    );
    const series = (await idOf(mal(9411)))!;
    const { body: direct } = await getJson(`/v1/anime/${series}`);
    expect(direct.related.find((r: { id: number | null }) => r.id !== null)?.title).toBe("Hydrate Presenting Movie");
    for (const mode of ["keyword", "hybrid"]) {
      const { body } = await getJson(`/v1/search?q=${encodeURIComponent("Hydrate Presenting Series")}&mode=${mode}&limit=5`);
      const { match: _match, ...hit } = body.data.find((d: { id: number }) => d.id === series);
      expect(hit).toEqual(direct);
    }
  });
});
