import { env } from "cloudflare:workers";
import { beforeEach, describe, expect, it } from "vitest";
import { writeBatch } from "../src/catalog/import/write-batch";
import { parseEntry } from "../src/catalog/entry";
import enriched from "./fixtures/enriched-entries.json";
import { fixtureEntries, getJson, importFixture, resetCatalog, sqlCount, importEntries } from "./helpers";

const bebop = fixtureEntries[0];
const invalid = [
  { ...bebop, title: undefined },
  { ...bebop, type: "SERIES" },
  { ...bebop, sources: ["not a url"] },
  { ...bebop, episodes: -3 },
  { ...bebop, synonyms: ["dup", "dup"] },
  "a string, not an entry",
];

beforeEach(resetCatalog);

describe("import", () => {
  it("imports valid entries and reports the invalid ones with reasons", async () => {
    const report = await importEntries(env.DB, [...fixtureEntries, ...invalid], { source: "mixed", batchSize: 50 });
    expect(report).toMatchObject({ total: fixtureEntries.length + invalid.length, inserted: fixtureEntries.length, updated: 0, unchanged: 0, invalid: invalid.length });
    expect(report.invalidSamples.map((s) => s.reason.split(":")[0])).toEqual(["title", "type", "sources.0", "episodes", "synonyms", "entry"]);
    expect(report.invalidSamples[1]).toMatchObject({ index: fixtureEntries.length + 1, title: "Cowboy Bebop" });
    expect(await sqlCount("SELECT count(*) AS n FROM anime")).toBe(fixtureEntries.length);
    expect(await sqlCount("SELECT count(*) AS n FROM anime_source")).toBe(fixtureEntries.length);
    expect(await sqlCount("SELECT count(*) AS n FROM anime_genre")).toBe(fixtureEntries.reduce((n, e) => n + e.tags.length, 0));
  });

  it("reports 0 changes when the same file is imported again, and keeps ids", async () => {
    await importFixture();
    const before = await env.DB.prepare("SELECT id, updated_at FROM anime ORDER BY id").all();
    const again = await importFixture();
    expect(again).toMatchObject({ inserted: 0, updated: 0, unchanged: fixtureEntries.length, invalid: 0 });
    const after = await env.DB.prepare("SELECT id, updated_at FROM anime ORDER BY id").all();
    expect(after.results).toEqual(before.results);
  });

  it("updates a changed entry in place: same id, new content, new updated_at", async () => {
    await importFixture();
    const id = (await env.DB.prepare("SELECT anime_id AS id FROM anime_source WHERE url = ?").bind(bebop.sources[0]).first<{ id: number }>())!.id;
    const report = await importEntries(env.DB, [{ ...bebop, title: "Cowboy Bebop (retitled)", tags: ["space western"] }], { source: "change", now: () => Date.UTC(2030, 0, 1) });
    expect(report).toMatchObject({ inserted: 0, updated: 1 });
    const { body } = await getJson(`/v1/anime/${id}`);
    expect(body).toMatchObject({ id, title: "Cowboy Bebop (retitled)", genres: [], tags: ["space western"], updated_at: "2030-01-01T00:00:00.000Z" });
    expect(await sqlCount("SELECT count(*) AS n FROM anime_genre WHERE anime_id = ?", id)).toBe(1);
  });

  it("matches an entry to an existing anime through any of its source URLs", async () => {
    await importFixture();
    const id = (await env.DB.prepare("SELECT anime_id AS id FROM anime_source WHERE url = ?").bind(bebop.sources[0]).first<{ id: number }>())!.id;
    const report = await importEntries(env.DB, [{ ...bebop, sources: [...bebop.sources, "https://anilist.co/anime/1"] }], { source: "more sources" });
    expect(report).toMatchObject({ inserted: 0, updated: 1 });
    const { body } = await getJson("/v1/anime/lookup?site=anilist&id=1");
    expect(body.id).toBe(id);
    expect(body.external_ids).toEqual({ anilist: "1", myanimelist: "1" });
  });

  it("orphans (never deletes) an anime whose only source moved to another entry", async () => {
    await importFixture();
    const trigun = fixtureEntries.find((e) => e.title === "Trigun")!;
    const trigunId = (await env.DB.prepare("SELECT anime_id AS id FROM anime_source WHERE url = ?").bind(trigun.sources[0]).first<{ id: number }>())!.id;
    // A release merges Trigun's MAL page into Cowboy Bebop's entry.
    await importEntries(env.DB, [{ ...bebop, sources: [...bebop.sources, ...trigun.sources] }], { source: "merge" });
    const { body } = await getJson(`/v1/anime/${trigunId}`);
    expect(body).toMatchObject({ system_status: "ORPHANED", source_urls: [] });
    expect(body.orphaned_at).not.toBeNull();
    const hidden = await getJson("/v1/anime?sort=title&limit=100&fields=id");
    expect(hidden.body.data.map((a: { id: number }) => a.id)).not.toContain(trigunId);
  });

  it("merges enriched entries by source URL, adding the synopsis without losing it on a plain re-import", async () => {
    await importFixture();
    const report = await importEntries(env.DB, enriched.data, { source: "enriched" });
    expect(report).toMatchObject({ total: 2, inserted: 1, updated: 1, invalid: 0 });
    const { body } = await getJson("/v1/anime/lookup?site=kitsu&id=1");
    expect(body).toMatchObject({ title: "Cowboy Bebop", synopsis: enriched.data[0].synopsis, external_ids: { myanimelist: "1", anilist: "1", kitsu: "1" } });
    expect(body.related).toEqual([{ url: "https://myanimelist.net/anime/5", id: expect.any(Number), title: expect.any(String), type: expect.any(String), year: expect.toBeOneOf([expect.any(Number), null]) }]);
    const clip = await getJson("/v1/anime/lookup?url=https://anidb.net/anime/999001");
    expect(clip.body).toMatchObject({ type: "SPECIAL", season: { season: "FALL", year: 2020 }, synopsis: "Fixture synopsis: a short music clip." });

    await importFixture(); // the offline entry (no synopsis) comes back
    const after = await getJson(`/v1/anime/${body.id}`);
    expect(after.body.synopsis).toBe(enriched.data[0].synopsis);
  });

  it("writes a batch atomically: a failing statement leaves none of the batch behind", async () => {
    const trigun = fixtureEntries.find((e) => e.title === "Trigun")!;
    await importEntries(env.DB, [trigun], { source: "one" });
    const trigunId = (await env.DB.prepare("SELECT id FROM anime").first<{ id: number }>())!.id;
    // A stray row already claims (myanimelist, 1) under another URL: the 2nd statement of
    // the batch (sources) violates the unique (site, site_id) index after the 1st statement
    // has written the anime row.
    await env.DB.prepare("INSERT INTO anime_source (url, anime_id, site, site_id) VALUES ('https://legacy.example/anime/1', ?, 'myanimelist', '1')").bind(trigunId).run();
    const good = parseEntry(bebop);
    if (!good.ok) throw new Error("fixture entry invalid");
    await expect(writeBatch(env.DB, [{ id: trigunId + 1, entry: good.entry, hash: "x", isNew: true }], [], Date.now())).rejects.toThrow(/UNIQUE/);
    expect(await sqlCount("SELECT count(*) AS n FROM anime")).toBe(1);
    expect(await sqlCount("SELECT count(*) AS n FROM anime WHERE id = ?", trigunId + 1)).toBe(0);
  });

  it("ends a run at a failed batch: the batches before it stay, and the run is recorded and invalidated", async () => {
    // The real catalog, with the third batch's transaction failing (a batch of the run on an
    // empty catalog is planned and bound while the one before it is written).
    let batches = 0;
    const failing: D1Database = {
      prepare: (q) => env.DB.prepare(q),
      batch: (statements) => (++batches === 3 ? Promise.reject(new Error("injected: the third batch fails")) : env.DB.batch(statements)),
      exec: (q) => env.DB.exec(q),
      withSession: (c) => env.DB.withSession(c),
      dump: () => env.DB.dump(),
    };
    const invalidated: number[] = [];
    await expect(importEntries(failing, fixtureEntries.slice(0, 50), { source: "fails", batchSize: 10, invalidate: async (ids) => void invalidated.push(...ids) })).rejects.toThrow("injected");
    expect(await sqlCount("SELECT count(*) AS n FROM anime")).toBe(20);
    expect(await sqlCount("SELECT count(*) AS n FROM anime_source")).toBe(20);
    expect(invalidated.sort((a, b) => a - b)).toEqual((await env.DB.prepare("SELECT id FROM anime ORDER BY id").all<{ id: number }>()).results.map((r) => r.id));
    const run = await env.DB.prepare("SELECT finished_at, report FROM import_run WHERE source = 'fails'").first<{ finished_at: number; report: string }>();
    expect(run!.finished_at).toBeGreaterThan(0);
    expect(JSON.parse(run!.report)).toMatchObject({ inserted: 20, batches: 2 });
    // The next run (not on an empty catalog now) takes up where it stopped.
    expect(await importEntries(env.DB, fixtureEntries.slice(0, 50), { source: "again", batchSize: 10 })).toMatchObject({ inserted: 30, unchanged: 20 });
  });

  it("refreshes planner statistics, so selective filters use their own index", async () => {
    await importFixture();
    expect(await sqlCount("SELECT count(*) AS n FROM sqlite_stat1 WHERE tbl = 'anime_genre'")).toBeGreaterThan(0);
    const plan = await env.DB.prepare(
      "EXPLAIN QUERY PLAN SELECT * FROM anime WHERE system_status = 'ACTIVE' AND year = 1998 AND EXISTS (SELECT 1 FROM anime_genre g WHERE g.anime_id = anime.id AND g.genre_key = 'sci-fi') ORDER BY coalesce(score, -1) DESC, id DESC LIMIT 21",
    ).all<{ detail: string }>();
    expect(plan.results.map((r) => r.detail).join("\n")).toContain("anime_year_season_idx");
  });

  it("gives the second half of a split anime a new id, and re-imports the split with 0 changes", async () => {
    await importEntries(env.DB, [{ ...bebop, sources: ["https://myanimelist.net/anime/1", "https://anilist.co/anime/1"] }], { source: "joined" });
    const joinedId = (await getJson("/v1/anime/lookup?site=anilist&id=1")).body.id;
    const x = { ...bebop, title: "Half X", sources: ["https://myanimelist.net/anime/1"] };
    const y = { ...bebop, title: "Half Y", sources: ["https://anilist.co/anime/1"] };
    expect(await importEntries(env.DB, [x, y], { source: "split" })).toMatchObject({ inserted: 1, updated: 1 });
    const [a, b] = [(await getJson("/v1/anime/lookup?site=myanimelist&id=1")).body, (await getJson("/v1/anime/lookup?site=anilist&id=1")).body];
    expect(a).toMatchObject({ id: joinedId, title: "Half X", source_urls: ["https://myanimelist.net/anime/1"] });
    expect(b.title).toBe("Half Y");
    expect(b.id).not.toBe(joinedId);
    expect(await importEntries(env.DB, [x, y], { source: "split again" })).toMatchObject({ inserted: 0, updated: 0, unchanged: 2 });
  });

  it("leaves a URL listed by two entries with the first, stably across runs", async () => {
    const first = { ...bebop, title: "First", sources: ["https://myanimelist.net/anime/1", "https://anidb.net/anime/23"] };
    const second = { ...bebop, title: "Second", sources: ["https://anilist.co/anime/1", "https://anidb.net/anime/23"] };
    expect(await importEntries(env.DB, [first, second], { source: "dup" })).toMatchObject({ inserted: 2 });
    expect((await getJson("/v1/anime/lookup?site=anidb&id=23")).body.title).toBe("First");
    expect((await getJson("/v1/anime/lookup?site=anilist&id=1")).body.source_urls).toEqual(["https://anilist.co/anime/1"]);
    expect(await importEntries(env.DB, [first, second], { source: "dup again" })).toMatchObject({ inserted: 0, updated: 0, unchanged: 2 });
  });

  it("reports an entry whose every URL belongs to an earlier entry, and allocates it no id", async () => {
    const report = await importEntries(env.DB, [bebop, { ...bebop, title: "Copy" }, fixtureEntries[1]], { source: "copy" });
    expect(report).toMatchObject({ inserted: 2, invalid: 1 });
    expect(report.invalidSamples).toEqual([{ index: 1, title: "Copy", reason: "sources: all listed by earlier entries" }]);
    const ids = (await env.DB.prepare("SELECT id FROM anime ORDER BY id").all<{ id: number }>()).results.map((r) => r.id);
    expect(ids[1] - ids[0]).toBe(1); // no id skipped for the rejected copy
  });

  it("marks an anime that lost a source URL as updated, for updated_since consumers", async () => {
    const t = { ...bebop, title: "T", sources: ["https://myanimelist.net/anime/6", "https://anilist.co/anime/6"] };
    const u = { ...bebop, title: "U", sources: ["https://kitsu.app/anime/6", "https://anidb.net/anime/6"] };
    await importEntries(env.DB, [t, u], { source: "t and u", now: () => Date.UTC(2020, 0, 1) });
    const tId = (await getJson("/v1/anime/lookup?site=myanimelist&id=6")).body.id;
    // U's entry now also lists T's AniList page: U holds most of its URLs, so U takes it.
    await importEntries(env.DB, [{ ...u, sources: [...u.sources, "https://anilist.co/anime/6"] }], { source: "u takes", now: () => Date.UTC(2030, 0, 1) });
    const after = (await getJson(`/v1/anime/${tId}`)).body;
    expect(after).toMatchObject({ source_urls: ["https://myanimelist.net/anime/6"], updated_at: "2030-01-01T00:00:00.000Z", system_status: "ACTIVE" });
    const changed = await getJson("/v1/anime?updated_since=2029-12-31&fields=id&limit=100");
    expect(changed.body.data).toContainEqual({ id: tId });
  });

  it("merges a sparse enriched entry without erasing what the catalog knows", async () => {
    await importFixture();
    const before = (await getJson("/v1/anime/lookup?site=myanimelist&id=1")).body;
    const sparse = { sources: ["https://myanimelist.net/anime/1"], title: "Cowboy Bebop", type: "tv", synopsis: "Fixture synopsis, sparse." };
    expect(await importEntries(env.DB, [sparse], { source: "sparse" })).toMatchObject({ updated: 1, invalid: 0 });
    const after = (await getJson(`/v1/anime/${before.id}`)).body;
    const { synopsis, updated_at, ...rest } = after;
    const { updated_at: _u, ...restBefore } = before;
    expect(synopsis).toBe("Fixture synopsis, sparse.");
    expect(rest).toEqual(restBefore);
    expect(await importEntries(env.DB, [sparse], { source: "sparse again" })).toMatchObject({ unchanged: 1 });
  });

  it("handles percent-encoded source ids: one anime per page, malformed ones skipped, never an aborted run", async () => {
    const encoded = { ...bebop, title: "Encoded", sources: ["https://anime-planet.com/anime/what%3F"] };
    const malformed = { ...bebop, title: "Malformed", sources: ["https://notify.moe/anime/%E0%A4%A"] };
    const report = await importEntries(env.DB, [encoded, malformed, { ...bebop, relatedAnime: ["https://notify.moe/anime/%"] }], { source: "pct" });
    expect(report).toMatchObject({ inserted: 2, invalid: 1 });
    expect(report.invalidSamples[0]).toMatchObject({ title: "Malformed", reason: "sources: no recognisable source URL" });
    expect(await importEntries(env.DB, [encoded], { source: "pct again" })).toMatchObject({ inserted: 0, unchanged: 1 });
    const { body } = await getJson(`/v1/anime/lookup?url=${encodeURIComponent("https://anime-planet.com/anime/what%3F")}`);
    expect(body).toMatchObject({ title: "Encoded", external_ids: { animeplanet: "what?" } });
    expect((await getJson(`/v1/anime/lookup?site=animeplanet&id=${encodeURIComponent("what?")}`)).body.id).toBe(body.id);
  });

  it("records each run with its report", async () => {
    await importFixture();
    const run = await env.DB.prepare("SELECT source, finished_at, report FROM import_run").first<{ source: string; finished_at: number; report: string }>();
    expect(run!.source).toBe("offline-catalog.json");
    expect(run!.finished_at).toBeGreaterThan(0);
    expect(JSON.parse(run!.report)).toMatchObject({ inserted: fixtureEntries.length });
  });
});
