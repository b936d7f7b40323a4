import { beforeEach, describe, expect, it } from "vitest";
import { env } from "cloudflare:workers";
import { getJson, importEntries, resetCatalog, testServices } from "./helpers";
import { anilist, entry, idOf, jsonl, mal, putRelease, resetSync, syncToEnd } from "./sync/fixtures";
import { popularityOf } from "../src/catalog/popularity";
import { parseEntry } from "../src/catalog/entry";
import { writeBatch } from "../src/catalog/import/write-batch";

/** The documented formula, written out in SQL independently of the code's: distinct hosts, score to the hundredth, related. */
const POPULARITY_QUERY = `min((SELECT count(DISTINCT substr(substr(value, 9), 1, instr(substr(value, 9), '/') - 1)) FROM json_each(sources)), 10) * CAST(round(coalesce(score, 0) * 100) AS INTEGER) * 100 + min(json_array_length(related), 99)`;

const kitsu = (n: number) => `https://kitsu.app/anime/${n}`;
const anidb = (n: number) => `https://anidb.net/anime/${n}`;
const scored = (s: number) => ({ score: { arithmeticGeometricMean: s, arithmeticMean: s, median: s } });

/**
 * Every stored popularity is the value of its row as stored now: popularityOf (JS) and the
 * independent SQL spelling agree with the column. Returns the column by id.
 */
async function expectFresh(): Promise<Map<number, number>> {
  const { results } = await env.DB.prepare(`SELECT id, sources, related, score, popularity, ${POPULARITY_QUERY} AS formula FROM anime ORDER BY id`).all<{
    id: number; sources: string; related: string; score: number | null; popularity: number; formula: number;
  }>();
  expect(results.length).toBeGreaterThan(0);
  const stale = results.filter((r) => r.popularity !== r.formula || r.popularity !== popularityOf({ sources: JSON.parse(r.sources), related: JSON.parse(r.related), score: r.score }));
  expect(stale).toEqual([]);
  return new Map(results.map((r) => [r.id, r.popularity]));
}

describe("popularity", () => {
  it("sort=popularity walks every anime once, most notable first; /v1/popular follows it and differs from /v1/top", async () => {
    await resetCatalog();
    await importEntries(
      env.DB,
      [
        entry(9601, { title: "Pop Obscure Masterpiece", sources: [mal(9601)], ...scored(9.5) }),
        entry(9602, { title: "Pop Famous Franchise", sources: [mal(9602), anilist(9602), kitsu(9602)], relatedAnime: [mal(9603)], ...scored(7.9) }),
        entry(9603, { title: "Pop Famous Movie", type: "MOVIE", sources: [mal(9603), anilist(9603), kitsu(9603)], ...scored(8.1) }),
        entry(9604, { title: "Pop Two Sites", sources: [mal(9604), anilist(9604)] }),
        entry(9605, { title: "Pop Two Sites Scored", sources: [mal(9605), anilist(9605)], ...scored(6) }),
        // Three URLs but two sites (two AniList ids): counts as two sites.
        entry(9606, { title: "Pop Two Sites Twice", sources: [mal(9606), anilist(9606), anilist(99606)], ...scored(5) }),
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
    // The stored value (the key the pages and their cursors use) is the formula's.
    await expectFresh();

    const popular = (await getJson("/v1/popular?fields=title")).body.data.map((a: { title: string }) => a.title);
    const top = (await getJson("/v1/top?fields=title")).body.data.map((a: { title: string }) => a.title);
    expect(popular).toEqual(titles);
    expect(popular).not.toEqual(top);
  });

  it("sorts through its index", async () => {
    const plan = await env.DB.prepare("EXPLAIN QUERY PLAN SELECT id FROM anime WHERE system_status = 'ACTIVE' ORDER BY popularity DESC, id DESC LIMIT 21").all<{ detail: string }>();
    expect(plan.results.map((r) => r.detail).join("\n")).toContain("anime_sort_popularity_idx");
  });

  it("the migration's backfill writes the same value", async () => {
    await resetCatalog();
    await importEntries(env.DB, [entry(9611, { sources: [mal(9611), anilist(9611), kitsu(9611)], relatedAnime: [mal(9612)], ...scored(7.25) }), entry(9612, { sources: [mal(9612)], ...scored(6.5) })], { source: "backfill" });
    const backfill = env.TEST_MIGRATIONS.find((m) => m.name.startsWith("0013_"))!.queries.find((q) => q.includes("UPDATE `anime` SET `popularity`"))!;
    await env.DB.prepare("UPDATE anime SET popularity = 0").run();
    await env.DB.prepare(backfill).run();
    expect([...(await expectFresh()).values()]).toEqual([3 * 725 * 100 + 1, 650 * 100]);
  });
});

describe("stored popularity is never stale", () => {
  beforeEach(resetSync);

  it("after imports that change score, related and URLs, move a URL to another anime, drop one, and orphan an anime", async () => {
    const a = entry(9621, { sources: [mal(9621), anilist(9621)], ...scored(8) });
    const b = entry(9622, { sources: [kitsu(9622), anidb(9622)], ...scored(7) });
    const c = entry(9623, { sources: [mal(9623), kitsu(9623)], ...scored(6) });
    await importEntries(env.DB, [a, b, c], { source: "v1" });
    const v1 = await expectFresh();
    const [idA, idB, idC] = [await idOf(mal(9621)), await idOf(kitsu(9622)), await idOf(mal(9623))];
    expect([v1.get(idA!), v1.get(idB!), v1.get(idC!)]).toEqual([2 * 800 * 100, 2 * 700 * 100, 2 * 600 * 100]);

    // B takes A's AniList page (B holds most of its URLs), in a batch where A is not written:
    // A loses a site without an entry of its own.
    await importEntries(env.DB, [{ ...b, sources: [kitsu(9622), anidb(9622), anilist(9621)] }], { source: "b takes" });
    const v2 = await expectFresh();
    expect([v2.get(idA!), v2.get(idB!)]).toEqual([800 * 100, 3 * 700 * 100]);

    // A re-scored with a related entry; then C's entry takes A's last URL: A is orphaned.
    await importEntries(env.DB, [{ ...a, sources: [mal(9621)], relatedAnime: [mal(9623)], ...scored(9) }], { source: "a changes" });
    expect((await expectFresh()).get(idA!)).toBe(900 * 100 + 1);
    await importEntries(env.DB, [{ ...c, sources: [mal(9623), kitsu(9623), mal(9621)] }], { source: "c takes" });
    const v4 = await expectFresh();
    expect(v4.get(idA!)).toBe(1); // no site left: only its related entry counts
    expect(v4.get(idC!)).toBe(2 * 600 * 100); // two MAL pages count as one site

    // An entry that no longer lists a URL keeps it (nothing else claims it): the stored row,
    // and its popularity, still count that site.
    await importEntries(env.DB, [{ ...b, sources: [kitsu(9622), anidb(9622)], ...scored(7.5) }], { source: "b drops one" });
    expect((await expectFresh()).get(idB!)).toBe(3 * 750 * 100);
  });

  it("after a sync that updates, merges and splits, and after a restore of a snapshot", async () => {
    const v1 = [
      entry(9631, { sources: [mal(9631), anilist(9631)], ...scored(8) }),
      entry(9632, { sources: [kitsu(9632), anidb(9632)], ...scored(7) }),
      entry(9633, { sources: [mal(9633), anilist(9633), kitsu(9633)], ...scored(6) }),
    ];
    await syncToEnd(await putRelease("pop-v1.jsonl", jsonl(v1, "2026-02-01")));
    await expectFresh();
    const [idA, idB, idC] = [await idOf(mal(9631)), await idOf(kitsu(9632)), await idOf(mal(9633))];
    // Chunks of 3. First: A re-scored; C lists only its MAL page, and a new entry splits C's
    // AniList page off (C keeps its Kitsu page: nothing claims it yet). Second: B takes A's
    // AniList page and C's Kitsu page, where A and C are not written.
    const v2 = [
      entry(9631, { sources: [mal(9631)], ...scored(9) }),
      entry(9633, { sources: [mal(9633)], ...scored(6) }),
      entry(9634, { sources: [anilist(9633)], ...scored(5) }),
      entry(9632, { sources: [kitsu(9632), anidb(9632), anilist(9631), kitsu(9633)], ...scored(7) }),
    ];
    const run = await syncToEnd(await putRelease("pop-v2.jsonl", jsonl(v2, "2026-02-08")));
    expect(run.status).toBe("succeeded");
    const after = await expectFresh();
    expect([after.get(idA!), after.get(idB!), after.get(idC!), after.get((await idOf(anilist(9633)))!)]).toEqual([900 * 100, 3 * 700 * 100, 600 * 100, 500 * 100]);

    const snapshots = testServices().snapshots;
    const { key } = await snapshots.write();
    const gz = new Uint8Array(await (await env.CATALOG.get(key))!.arrayBuffer());
    expect(await snapshots.restore(gz)).toBe(after.size);
    expect(await expectFresh()).toEqual(after);
  });

  it("aborts a batch whose anime gained or lost a URL after the batch read them, rather than store a stale value", async () => {
    await importEntries(env.DB, [entry(9641, { sources: [mal(9641)], ...scored(8) })], { source: "one" });
    const id = (await idOf(mal(9641)))!;
    const parsed = parseEntry(entry(9641, { sources: [mal(9641)], ...scored(9) }));
    if (!parsed.ok) throw new Error("fixture entry invalid");
    // Inside the transaction, before the batch's own statements: another site's page now maps to the anime.
    const sneak = env.DB.prepare("INSERT INTO anime_source (url, anime_id, site, site_id) VALUES (?1, ?2, 'anilist', '9641')").bind(anilist(9641), id);
    await expect(writeBatch(env.DB, [{ id, entry: parsed.entry, hash: "x", isNew: false }], [], Date.now(), [], [sneak])).rejects.toThrow();
    expect((await expectFresh()).get(id)).toBe(800 * 100);
    expect(await idOf(anilist(9641))).toBeUndefined();
  });
});
