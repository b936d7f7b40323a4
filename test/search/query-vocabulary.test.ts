import { beforeAll, describe, expect, it } from "vitest";
import { env } from "cloudflare:workers";
import { call, fixtureEntries, getJson, importEntries, importFixture, invalidateCache } from "../helpers";
import { queryVocabulary } from "../../src/routes/search/vocabulary";

beforeAll(async () => {
  await importFixture();
});

const ask = async (query: string) => {
  const res = await call("/v1/query", { method: "POST", headers: { "Content-Type": "application/json" }, body: JSON.stringify({ query, limit: 50 }) });
  expect(res.status).toBe(200);
  return (await res.json()) as { interpretation: { filters: { genres?: string[]; tags?: string[] }; strategy: string }; data: { id: number }[] };
};

// The oracle: what genre_count must equal, aggregated from the memberships themselves.
const AGGREGATE = `SELECT g.genre_key, count(*) AS active_count FROM anime_genre g JOIN anime a ON a.id = g.anime_id
  WHERE a.system_status = 'ACTIVE' GROUP BY g.genre_key ORDER BY g.genre_key`;
const PRECOMPUTED = "SELECT genre_key, active_count FROM genre_count WHERE active_count > 0 ORDER BY genre_key";

async function expectCountsEqualMemberships() {
  const [aggregate, precomputed, negative] = await env.DB.batch([
    env.DB.prepare(AGGREGATE),
    env.DB.prepare(PRECOMPUTED),
    env.DB.prepare("SELECT genre_key FROM genre_count WHERE active_count < 0"),
  ]);
  expect(aggregate.results.length).toBeGreaterThan(0);
  expect(precomputed.results).toEqual(aggregate.results);
  expect(negative.results).toEqual([]);
}

const idOf = async (malId: number) => (await getJson(`/v1/anime/lookup?site=myanimelist&id=${malId}&fields=id`)).body.id as number;

describe("genre_count (precomputed by triggers)", () => {
  it("equals the aggregate over memberships after imports, tag changes, orphaning, re-activation and deletes", async () => {
    await expectCountsEqualMemberships();
    // Spellings too, on a catalog that never lost one.
    const names = await env.DB.prepare("SELECT genre_key, min(name) AS name FROM anime_genre GROUP BY genre_key ORDER BY genre_key").all();
    const stored = await env.DB.prepare("SELECT genre_key, name FROM genre_count ORDER BY genre_key").all();
    expect(stored.results).toEqual(names.results);

    // An update that drops some tags and adds others (the importer deletes and re-inserts memberships).
    const changed = fixtureEntries.slice(0, 40).map((e, i) => ({ ...e, tags: i % 2 ? [...e.tags.slice(1), "Vocabulary Test Tag"] : e.tags.slice(0, 1) }));
    await importEntries(env.DB, changed, { source: "retagged" });
    await expectCountsEqualMemberships();

    const ids = (await env.DB.prepare("SELECT id FROM anime WHERE system_status = 'ACTIVE' ORDER BY id LIMIT 15").all<{ id: number }>()).results.map((r) => r.id);
    const inIds = `(SELECT value FROM json_each(?1))`;
    await env.DB.prepare(`UPDATE anime SET system_status = 'ORPHANED', orphaned_at = 1 WHERE id IN ${inIds}`).bind(JSON.stringify(ids)).run();
    await expectCountsEqualMemberships();
    // Writing the same status again changes nothing.
    await env.DB.prepare(`UPDATE anime SET system_status = 'ORPHANED' WHERE id IN ${inIds}`).bind(JSON.stringify(ids)).run();
    await expectCountsEqualMemberships();
    await env.DB.prepare(`UPDATE anime SET system_status = 'ACTIVE', orphaned_at = NULL WHERE id IN ${inIds}`).bind(JSON.stringify(ids.slice(0, 10))).run();
    await expectCountsEqualMemberships();

    await env.DB.prepare(`DELETE FROM anime_genre WHERE anime_id IN ${inIds}`).bind(JSON.stringify(ids.slice(5))).run();
    await expectCountsEqualMemberships();
    await env.DB.prepare("UPDATE anime_genre SET genre_key = 'vocabulary renamed tag', name = 'Vocabulary Renamed Tag' WHERE genre_key = 'vocabulary test tag'").run();
    await expectCountsEqualMemberships();
  });
});

describe("POST /v1/query vocabulary", () => {
  it("recognises a genre as soon as a catalog write adds it, and forgets it when its only anime is orphaned", async () => {
    const before = await ask("quantum gardening");
    expect(before.interpretation.filters.tags).toBeUndefined();

    const base = fixtureEntries.find((e) => e.title === "Cowboy Bebop")!;
    await importEntries(env.DB, [{ ...base, title: "Vocabulary Test Garden", sources: ["https://myanimelist.net/anime/990201"], synonyms: [], tags: [...base.tags, "Quantum Gardening"] }], { source: "new-genre" });
    const id = await idOf(990201);

    const after = await ask("quantum gardening");
    expect(after.interpretation.filters.tags).toEqual(["quantum gardening"]);
    expect(after.interpretation.strategy).toBe("browse");
    expect(after.data.map((d) => d.id)).toEqual([id]);

    await env.DB.prepare("UPDATE anime SET system_status = 'ORPHANED', orphaned_at = 1 WHERE id = ?1").bind(id).run();
    await invalidateCache([id]);
    expect((await ask("quantum gardening")).interpretation.filters.tags).toBeUndefined();
  });

  it("reads the precomputed counts once per catalog generation, never the memberships", async () => {
    try {
      await invalidateCache([]);
      await ask("action");
      // A genre no anime has: only a read of genre_count can know it.
      await env.DB.prepare("INSERT INTO genre_count (genre_key, name, active_count) VALUES ('zzyzx', 'Zzyzx', 3)").run();
      // Same generation: the vocabulary read for it is reused, not read again per request.
      expect((await ask("zzyzx")).interpretation.filters.tags).toBeUndefined();
      await invalidateCache([]);
      expect((await ask("zzyzx")).interpretation.filters.tags).toEqual(["zzyzx"]);
    } finally {
      await env.DB.prepare("DELETE FROM genre_count WHERE genre_key = 'zzyzx'").run();
      await invalidateCache([]);
    }
  });
});

describe("queryVocabulary", () => {
  const source = (name: string, gen: string | null) => {
    const s = { reads: 0, generation: async () => (gen === null ? null : { gen, epoch: "0" }), genres: async () => [`${name} read ${++s.reads}`] };
    return s;
  };
  const unique = () => `vocabulary-unit-${crypto.randomUUID()}`;

  it("reads once per generation; with the generation unknown, reuses its last read for a minute", async () => {
    const g1 = source("g1", unique());
    const first = await queryVocabulary(g1, 1_000);
    expect(await queryVocabulary(g1, 2_000)).toBe(first);
    expect(g1.reads).toBe(1);

    const g2 = source("g2", unique());
    expect((await queryVocabulary(g2, 3_000)).genres).toEqual(["g2 read 1"]);

    const unknown = source("unknown", null);
    expect((await queryVocabulary(unknown, 62_999)).genres).toEqual(["g2 read 1"]);
    expect((await queryVocabulary(unknown, 63_000)).genres).toEqual(["unknown read 1"]);
    expect((await queryVocabulary(unknown, 64_000)).genres).toEqual(["unknown read 1"]);
    expect(unknown.reads).toBe(1);
  });
});
