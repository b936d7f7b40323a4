import { describe, expect, it } from "vitest";
import { env } from "cloudflare:workers";
import { getJson, importEntries, resetCatalog } from "./helpers";
import { anilist, entry, mal } from "./sync/fixtures";
import { popularityOf } from "../src/catalog/popularity";

/** The documented formula, written out in SQL independently of the code's: distinct hosts, score to the hundredth, related. */
const POPULARITY_QUERY = `min((SELECT count(DISTINCT substr(substr(value, 9), 1, instr(substr(value, 9), '/') - 1)) FROM json_each(sources)), 10) * CAST(round(coalesce(score, 0) * 100) AS INTEGER) * 100 + min(json_array_length(related), 99)`;

describe("popularity", () => {
  it("sort=popularity walks every anime once, most notable first; /v1/popular follows it and differs from /v1/top", async () => {
    await resetCatalog();
    const kitsu = (n: number) => `https://kitsu.app/anime/${n}`;
    await importEntries(
      env.DB,
      [
        entry(9601, { title: "Pop Obscure Masterpiece", sources: [mal(9601)], score: { arithmeticGeometricMean: 9.5, arithmeticMean: 9.5, median: 9.5 } }),
        entry(9602, { title: "Pop Famous Franchise", sources: [mal(9602), anilist(9602), kitsu(9602)], relatedAnime: [mal(9603)], score: { arithmeticGeometricMean: 7.9, arithmeticMean: 7.9, median: 7.9 } }),
        entry(9603, { title: "Pop Famous Movie", type: "MOVIE", sources: [mal(9603), anilist(9603), kitsu(9603)], score: { arithmeticGeometricMean: 8.1, arithmeticMean: 8.1, median: 8.1 } }),
        entry(9604, { title: "Pop Two Sites", sources: [mal(9604), anilist(9604)] }),
        entry(9605, { title: "Pop Two Sites Scored", sources: [mal(9605), anilist(9605)], score: { arithmeticGeometricMean: 6, arithmeticMean: 6, median: 6 } }),
        // Three URLs but two sites (two AniList ids): counts as two sites.
        entry(9606, { title: "Pop Two Sites Twice", sources: [mal(9606), anilist(9606), anilist(99606)], score: { arithmeticGeometricMean: 5, arithmeticMean: 5, median: 5 } }),
      ],
      { source: "popularity" },
    );
    const titles: string[] = [];
    let cursor: string | null = null;
    do {
      const page: { status: number; body: { data: { title: string }[]; next_cursor: string | null } } = await getJson(`/v1/anime?sort=popularity&limit=2${cursor ? `&cursor=${cursor}` : ""}`);
      const { status, body } = page;
      expect(status).toBe(200);
      titles.push(...body.data.map((a: { title: string }) => a.title));
      cursor = body.next_cursor;
    } while (cursor);
    // 3 sites × 8.1; 3 × 7.9; 2 × 6; 2 × 5 (two AniList ids count as one site); 1 × 9.5; unscored.
    expect(titles).toEqual(["Pop Famous Movie", "Pop Famous Franchise", "Pop Two Sites Scored", "Pop Two Sites Twice", "Pop Obscure Masterpiece", "Pop Two Sites"]);
    // The JS value the cursor carries is the SQL one.
    const rows = (await env.DB.prepare("SELECT sources, related, score FROM anime ORDER BY id").all<{ sources: string; related: string; score: number | null }>()).results;
    const sqlValues = (await env.DB.prepare(`SELECT ${POPULARITY_QUERY} AS p FROM anime ORDER BY id`).all<{ p: number }>()).results;
    expect(rows.map((r) => popularityOf({ sources: JSON.parse(r.sources), related: JSON.parse(r.related), score: r.score }))).toEqual(sqlValues.map((r) => r.p));

    const popular = (await getJson("/v1/popular?fields=title")).body.data.map((a: { title: string }) => a.title);
    const top = (await getJson("/v1/top?fields=title")).body.data.map((a: { title: string }) => a.title);
    expect(popular).toEqual(titles);
    expect(top[0]).toBe("Pop Obscure Masterpiece");
    expect(popular).not.toEqual(top);
  });
});
