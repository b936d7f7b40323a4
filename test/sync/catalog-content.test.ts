import { beforeEach, describe, expect, it } from "vitest";
import { getJson } from "../helpers";
import { anilist, entry, idOf, jsonl, mal, putRelease, resetSync, syncToEnd } from "./fixtures";

/**
 * What a sync changes beyond the rows it writes: tag counts (GET /v1/tags), related anime
 * resolved to ids, and the adult rule in lists. Each test reads through the API before the
 * later sync too, so an answer cached before it would show. Tags are checked through
 * /v1/tags and the `adult` flag, not the genres field or filter.
 */
beforeEach(resetSync);

async function sync(entries: unknown[], lastUpdate: string) {
  const run = await syncToEnd(await putRelease(`content-${lastUpdate}.jsonl`, jsonl(entries, lastUpdate)));
  expect([run.status, run.error]).toEqual(["succeeded", null]);
  return JSON.parse(run.counts);
}
const tags = async (prefix: string) => (await getJson(`/v1/tags?prefix=${encodeURIComponent(prefix)}&limit=200`)).body.data as { name: string; count: number }[];
const listed = async (query = "") => ((await getJson(`/v1/anime?limit=100&fields=id${query}`)).body.data as { id: number }[]).map((a) => a.id);

describe("tags through a sync", () => {
  it("a tag added or dropped by a sync changes /v1/tags counts; an orphaned anime's tags stop counting, and count again when it returns", async () => {
    const v1 = [
      entry(9501, { tags: ["action", "sync tag kept", "sync tag dropped"] }),
      entry(9502, { tags: ["action", "sync tag kept"] }),
      entry(9503, { tags: ["sync tag orphaned"] }),
    ];
    await sync(v1, "2026-01-03");
    expect(await tags("sync tag")).toEqual([
      { name: "sync tag kept", count: 2 },
      { name: "sync tag dropped", count: 1 },
      { name: "sync tag orphaned", count: 1 },
    ]);

    const v2 = [entry(9501, { tags: ["action", "sync tag kept"] }), entry(9502, { tags: ["action", "sync tag kept", "sync tag added"] })];
    expect(await sync(v2, "2026-01-10")).toMatchObject({ updated: 2, orphaned: 1 });
    expect(await tags("sync tag")).toEqual([
      { name: "sync tag kept", count: 2 },
      { name: "sync tag added", count: 1 },
    ]);
    expect((await tags("action"))[0]).toEqual({ name: "action", count: 2 });

    expect(await sync([...v2, v1[2]], "2026-01-17")).toMatchObject({ resurrected: 1 });
    expect(await tags("sync tag orphaned")).toEqual([{ name: "sync tag orphaned", count: 1 }]);
  });
});

describe("related anime through a sync", () => {
  const series = entry(9511, { title: "Sync Related Series", relatedAnime: [mal(9512), anilist(9512)] });
  const sequel = entry(9512, { title: "Sync Related Sequel", type: "MOVIE", sources: [mal(9512), anilist(9512)], animeSeason: { season: "SUMMER", year: 2003 }, relatedAnime: [mal(9511)] });
  const relatedOf = async (id: number) => (await getJson(`/v1/anime/${id}?fields=related`)).body.related;

  it("a relation to an anime a later release adds resolves to its id after that sync (the referring entry unchanged)", async () => {
    await sync([series], "2026-01-03");
    const id = (await idOf(mal(9511)))!;
    expect(await sync([series, sequel], "2026-01-10")).toMatchObject({ added: 1, updated: 0, skipped: 1 });
    const sequelId = (await idOf(mal(9512)))!;
    expect(await relatedOf(id)).toEqual([{ id: sequelId, title: "Sync Related Sequel", type: "MOVIE", year: 2003, url: anilist(9512) }]);
    expect(await relatedOf(sequelId)).toEqual([{ id, title: "Sync Related Series", type: "TV", year: 2001, url: mal(9511) }]);
  });

  // KNOWN BUG (reported): the referring anime did not change, so the sync deletes no cache key
  // of it, and its cached entity (L2, keyed by the epoch) keeps the relation unresolved until it
  // expires (POLICIES.entity: 300 s fresh). Remove `.fails` once the invalidation covers anime
  // whose related URLs belong to the anime a write changed.
  it("…also when the referring anime was read (and cached) before that sync", async () => {
    await sync([series], "2026-01-03");
    const id = (await idOf(mal(9511)))!;
    expect(await relatedOf(id)).toEqual([
      { id: null, title: null, type: null, year: null, url: anilist(9512) },
      { id: null, title: null, type: null, year: null, url: mal(9512) },
    ]);
    await sync([series, sequel], "2026-01-10");
    expect((await relatedOf(id)).map((r: { id: number | null }) => r.id)).toEqual([(await idOf(mal(9512)))!]);
  });
});

describe("the adult flag through a sync", () => {
  const plain = entry(9521, { title: "Sync Adult Test", tags: ["romance", "school"] });
  const others = [entry(9522, { tags: ["romance"] }), entry(9523, { tags: ["school"] })];

  it("an anime that becomes hentai-tagged leaves lists (served alone, flagged) and comes back when the tag goes", async () => {
    await sync([plain, ...others], "2026-01-03");
    const id = (await idOf(mal(9521)))!;
    // Read before the sync: the lists and the anime, so a stale cached answer would show.
    expect(await listed()).toContain(id);
    expect((await getJson("/v1/seasons/2001/spring?limit=100")).body.data.map((a: { id: number }) => a.id)).toContain(id);
    expect((await getJson(`/v1/anime/${id}`)).body.adult).toBe(false);
    expect(await tags("hentai")).toEqual([]);

    expect(await sync([{ ...plain, tags: ["hentai", "romance", "school"] }, ...others], "2026-01-10")).toMatchObject({ updated: 1, flagged: 0 });
    expect(await listed()).toEqual(expect.not.arrayContaining([id]));
    expect(await listed()).toHaveLength(others.length);
    expect((await getJson("/v1/seasons/2001/spring?limit=100")).body.data.map((a: { id: number }) => a.id)).not.toContain(id);
    expect(await listed("&include_adult=true")).toContain(id);
    expect((await getJson(`/v1/anime/${id}`)).body).toMatchObject({ id, adult: true, system_status: "ACTIVE" });
    expect((await getJson("/v1/anime/lookup?site=myanimelist&id=9521")).body.adult).toBe(true);
    expect(await tags("hentai")).toEqual([{ name: "hentai", count: 1 }]);

    await sync([plain, ...others], "2026-01-17");
    expect(await listed()).toContain(id);
    expect((await getJson(`/v1/anime/${id}`)).body.adult).toBe(false);
    expect(await tags("hentai")).toEqual([]);
  });
});
