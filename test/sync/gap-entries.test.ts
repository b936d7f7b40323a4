import { beforeEach, describe, expect, it } from "vitest";
import { env } from "cloudflare:workers";
import { gapEntry } from "../../scripts/lib/gap-entry";
import { ARM, BANGUMI, MAL_ROWS, RELEASE_ENTRIES, REPLACEMENT } from "../fixtures/gap-release";
import { getJson, sqlCount } from "../helpers";
import { idOf, jsonl, mal, putRelease, resetSync, syncToEnd } from "./fixtures";

/**
 * The sample catalog's gap entries (scripts/lib/gap-entry.ts) through the sync, as the sample
 * release carries them: real release entries plus entries built from the MAL CSVs, in one
 * gzipped JSONL file. 38101 has AniList and AniDB ids from bangumi-data, 38748 an AniList id
 * from arm, 41090 nothing but its CSV row.
 */
const releaseSources = new Set(RELEASE_ENTRIES.flatMap((e) => e.sources));
const gap = (id: string) => gapEntry({ id, titles: MAL_ROWS[id] }, { bangumi: BANGUMI[id], arm: ARM[id] }, { releaseDate: "2026-02-07", releaseSources }).entry;
const GAPS = Object.keys(MAL_ROWS).map(gap);
const RELEASE = [...RELEASE_ENTRIES, ...GAPS];
const S2 = mal(39783); // 5-toubun no Hanayome ∬: relates to 38101 by its AniDB, AniList and MAL URLs
const PV = mal(62466); // the 5th anniversary PV: relates to 38101 by its anime-planet, ANN and MAL URLs

async function syncRelease(entries: unknown[], lastUpdate: string) {
  const gz = await new Response(new Blob([jsonl(entries, lastUpdate)]).stream().pipeThrough(new CompressionStream("gzip"))).arrayBuffer();
  const run = await syncToEnd(await putRelease(`sample-${lastUpdate}.jsonl.gz`, new Uint8Array(gz)));
  expect([run.status, run.error]).toEqual(["succeeded", null]);
  return JSON.parse(run.counts);
}
const lookup = async (site: string, id: string) => (await getJson(`/v1/anime/lookup?site=${site}&id=${id}`)).body;
const relatedOf = async (url: string) => (await getJson(`/v1/anime/${await idOf(url)}?fields=related`)).body.related as { id: number | null; url: string; title: string | null }[];
/** Everything a sync decides about an anime, and when it last wrote it. */
const catalogRows = async () => (await env.DB.prepare("SELECT id, title, type, status, episodes, season, year, sources, related, genres, content_hash, system_status, updated_at FROM anime ORDER BY id").all()).results;

beforeEach(resetSync);

describe("gap entries in a synced release", () => {
  it("are added and served by their MAL id and by the AniList id bangumi-data or arm gave; unknown facts stay unknown", async () => {
    expect(await syncRelease(RELEASE, "2026-02-07")).toMatchObject({ read: 5, added: 5, invalid: 0, merged: 0, split: 0 });

    const fiveToubun = await lookup("myanimelist", "38101");
    expect(fiveToubun).toMatchObject({
      title: "5-toubun no Hanayome",
      type: "TV",
      status: "FINISHED",
      episodes: 12,
      season: { season: "WINTER", year: 2019 },
      score: 7.66,
      external_ids: { myanimelist: "38101", anilist: "103572", anidb: "14247" },
    });
    expect(fiveToubun.synonyms).toContain("The Quintessential Quintuplets");
    expect((await lookup("anilist", "103572")).id).toBe(fiveToubun.id);
    expect((await lookup("anidb", "14247")).id).toBe(fiveToubun.id);

    const tokyo = await lookup("anilist", "113199"); // arm's id
    expect(tokyo).toMatchObject({ title: '"Tokyo"', external_ids: { myanimelist: "38748", anilist: "113199" } });

    expect(await lookup("myanimelist", "41090")).toMatchObject({
      title: '"Star"t',
      type: "UNKNOWN",
      status: "UNKNOWN",
      season: { season: "UNDEFINED", year: null },
      duration_seconds: null,
      picture: null, // the offline database's no_pic placeholder
      thumbnail: null,
      external_ids: { myanimelist: "41090" },
    });

    // The release's own entries relate to the gap entry: its three URLs fold into one item.
    expect((await relatedOf(S2)).filter((r) => r.id === fiveToubun.id)).toEqual([{ id: fiveToubun.id, url: "https://anidb.net/anime/14247", title: "5-toubun no Hanayome", type: "TV", year: 2019 }]);
    // The PV relates to it by anime-planet and ANN URLs too, which the gap entry lacks: unresolved.
    expect((await relatedOf(PV)).map((r) => r.id)).toEqual([fiveToubun.id, null, null]);
  });

  it("the same release again (a new lastUpdate) changes nothing: 0 added, updated, orphaned; nothing rewritten", async () => {
    await syncRelease(RELEASE, "2026-02-07");
    const before = await catalogRows();
    const again = await syncRelease(RELEASE, "2026-02-14");
    expect(again).toEqual({ read: 5, added: 0, updated: 0, skipped: 5, flagged: 0, invalid: 0, orphaned: 0, resurrected: 0, merged: 0, split: 0 });
    expect(await catalogRows()).toEqual(before);
    expect(await sqlCount("SELECT count(*) AS n FROM review_item")).toBe(0);
  });

  it("a later release listing the anime itself in place of the gap entry updates it in place: same id, more URLs, no duplicate", async () => {
    await syncRelease(RELEASE, "2026-02-07");
    const id = (await idOf(mal(38101)))!;
    const counts = await syncRelease(RELEASE.map((e) => (e.sources.includes(mal(38101)) ? REPLACEMENT : e)), "2026-02-14");
    expect(counts).toMatchObject({ added: 0, updated: 1, orphaned: 0, merged: 0, split: 0, flagged: 0 });
    expect(await sqlCount("SELECT count(*) AS n FROM anime")).toBe(RELEASE.length);
    for (const url of REPLACEMENT.sources) expect((await getJson(`/v1/anime/lookup?url=${encodeURIComponent(url)}&fields=id`)).body).toEqual({ id });
    const { body } = await getJson(`/v1/anime/${id}`);
    expect(body).toMatchObject({ title: "5-toubun no Hanayome", system_status: "ACTIVE", studios: ["tezuka productions"], picture: REPLACEMENT.picture });
    expect(body.source_urls).toHaveLength(REPLACEMENT.sources.length);
    expect((await relatedOf(mal(38101))).map((r) => r.id)).toEqual([await idOf(S2)]);
    // The PV's three URLs of it now all resolve, to the one anime (read after the sync only:
    // a read before it would be served from the cache, see test/sync/catalog-content.test.ts).
    expect((await relatedOf(PV)).map((r) => r.id)).toEqual([id]);
  });

  it("a gap entry with UNKNOWN status replaced by the anime's entry: updated in place, the unknown status filled in without a review", async () => {
    await syncRelease(RELEASE, "2026-02-07");
    const id = (await idOf(mal(41090)))!;
    // Hand-written: the anime's entry as a later release might give it (an AniList id, a type, a season, a status).
    const start = { ...gap("41090"), sources: [mal(41090), "https://anilist.co/anime/117193"], type: "ONA", status: "FINISHED", animeSeason: { season: "SPRING", year: 2020 } };
    const counts = await syncRelease(RELEASE.map((e) => (e.sources.includes(mal(41090)) ? start : e)), "2026-02-14");
    expect(counts).toMatchObject({ added: 0, updated: 1, flagged: 0, orphaned: 0 });
    expect(await sqlCount("SELECT count(*) AS n FROM anime")).toBe(RELEASE.length);
    expect(await lookup("anilist", "117193")).toMatchObject({ id, type: "ONA", status: "FINISHED", season: { season: "SPRING", year: 2020 } });
    expect(await sqlCount("SELECT count(*) AS n FROM review_item")).toBe(0);
    // A known status that changes is still held for review.
    const later = await syncRelease(RELEASE.map((e) => (e.sources.includes(mal(41090)) ? { ...start, status: "ONGOING" } : e)), "2026-02-21");
    expect(later).toMatchObject({ flagged: 1 });
    expect(await lookup("anilist", "117193")).toMatchObject({ id, status: "FINISHED" });
  });
});
