import { describe, expect, it } from "vitest";
import type { Filters } from "../../catalog/filters";
import { metadataPredicate } from "./filter-match";
import type { VectorMetadata } from "./interface";
import { seededRandom as seeded } from "../query/testkit";
import { VectorStore } from "./vector-store";

const TYPES = ["TV", "MOVIE", "OVA", "ONA", "SPECIAL", "UNKNOWN"];
const STATUSES = ["FINISHED", "ONGOING", "UPCOMING", "UNKNOWN"];
const SEASONS = ["SPRING", "SUMMER", "FALL", "WINTER", "UNDEFINED"];
// "hentai" makes some rows adult: the compiled filter and the predicate must agree on the adult rule too.
// Some tags of real genres too, so genre filters (a group of tags each) are exercised.
const GENRES = [...Array.from({ length: 40 }, (_, i) => `tag ${i}`), "hentai", "action", "martial arts", "mecha", "super robot", "comedy", "ecchi"];
const GENRE_NAMES = ["Action", "Mecha", "Comedy", "Ecchi", "Martial Arts"];
const STUDIOS = Array.from({ length: 12 }, (_, i) => `studio ${i}`);
const YEARS = [1970, 1995, 2000, 2005, 2024];
const SCORES = [5.25, 7, 7.5, 8.7, 9.1];
const EPISODES = [0, 1, 12, 24, 26, 100];
const UPDATED = [0, 1_000, 1_700_000_000_000, Date.UTC(2026, 0, 1)];

function generators(r: () => number) {
  const pick = <T,>(xs: readonly T[]) => xs[Math.floor(r() * xs.length)];
  const some = <T,>(xs: readonly T[], max: number) => [...new Set(Array.from({ length: Math.floor(r() * (max + 1)) }, () => pick(xs)))];
  const maybe = <T,>(x: T, p = 0.3) => (r() < p ? x : undefined);
  // Mixed case and unknown names: the filters lower-case names, and a name no row holds must behave.
  const shout = (x: string) => (r() < 0.3 ? x.toUpperCase() : x);
  const meta = (): VectorMetadata => ({
    type: pick(TYPES), status: pick(STATUSES), season: pick(SEASONS),
    year: r() < 0.2 ? null : pick(YEARS), score: r() < 0.2 ? null : pick(SCORES), episodes: pick(EPISODES),
    genres: some(GENRES, 8), studios: some(STUDIOS, 3),
    system_status: r() < 0.8 ? "ACTIVE" : "ORPHANED", updated_at: pick(UPDATED),
  });
  const filter = (): Filters => {
    const f: Record<string, unknown> = {
      type: maybe(some([...TYPES, "MUSIC"], 3)), type_exclude: maybe(some(TYPES, 2)),
      status: maybe(some(STATUSES, 2)), season: maybe(some(SEASONS, 2)),
      year_from: maybe(pick(YEARS)), year_to: maybe(pick(YEARS)), min_score: maybe(pick(SCORES)),
      episodes_min: maybe(pick(EPISODES)), episodes_max: maybe(pick(EPISODES)),
      updated_since: maybe(new Date(pick(UPDATED)).toISOString()),
      tags: maybe(some([...GENRES, "nobody's tag"], 2).map(shout)), tags_exclude: maybe(some([...GENRES, "nobody's tag"], 3).map(shout)),
      genres: maybe(some(GENRE_NAMES, 2)), genres_exclude: maybe(some(GENRE_NAMES, 2)),
      studios: maybe(some([...STUDIOS, "nobody's studio"], 2).map(shout)), include_orphaned: r() < 0.3, include_adult: r() < 0.5,
    };
    for (const k of Object.keys(f)) if (f[k] === undefined || (Array.isArray(f[k]) && (f[k] as unknown[]).length === 0)) delete f[k];
    return f as Filters;
  };
  return { meta, filter, pick };
}

/** A store and a plain Map of what it should hold, after random writes, replacements and deletions. */
function churned(seed: number, operations: number) {
  const r = seeded(seed);
  const g = generators(r);
  const store = new VectorStore();
  const model = new Map<number, VectorMetadata>();
  for (let i = 0; i < operations; i++) {
    const id = 1 + Math.floor(r() * 300);
    if (r() < 0.25) {
      store.remove(id);
      model.delete(id);
    } else {
      const metadata = g.meta();
      store.put(store.prepare([{ id, values: [r() - 0.5, r() - 0.5, r() - 0.5, 1], metadata }])[0]);
      model.set(id, metadata);
    }
  }
  return { store, model, g };
}

describe("compact metadata (MetadataColumns via VectorStore)", () => {
  it("agrees with metadataPredicate on random metadata and random filters", () => {
    const { store, model, g } = churned(7, 3000);
    let passed = 0, checked = 0;
    for (let i = 0; i < 1500; i++) {
      const filter = g.filter();
      const expected = [...model].filter(([, m]) => metadataPredicate(filter)(m)).map(([id]) => id).sort((a, b) => a - b);
      const got = store.query([0, 0, 0, 1], 10_000, filter).map((m) => m.id).sort((a, b) => a - b);
      if (JSON.stringify(got) !== JSON.stringify(expected)) expect({ filter, got }).toEqual({ filter, got: expected });
      passed += expected.length;
      checked += model.size;
    }
    // Not a vacuous agreement: filters let some rows through and keep others out.
    expect(passed / checked).toBeGreaterThan(0.02);
    expect(passed / checked).toBeLessThan(0.8);
  });

  it("holds exactly the last metadata written for each id through replacements, deletions and pool compaction", () => {
    const { store, model, g } = churned(11, 20_000);
    // Then few live rows rewritten many times: the pool fills with garbage and is compacted in place.
    for (const id of [...model.keys()].slice(20)) {
      store.remove(id);
      model.delete(id);
    }
    for (let i = 0; i < 5_000; i++) {
      const id = 1 + (i % 20), metadata = g.meta();
      store.put(store.prepare([{ id, values: [0, 0, 0, 1], metadata }])[0]);
      model.set(id, metadata);
    }
    expect(store.count).toBe(model.size);
    // Garbage is reclaimed: ~72 KB here (1,024 row slots, ids of ~300 rows), ~220 KB if it never were.
    expect(store.bytes).toBeLessThan(100 * 1024);
    for (const [id, m] of model) expect(store.metadataOf(id)).toEqual(m);
    expect(store.metadataOf(100_000)).toBeUndefined();
  });

  it("a row holding most of the pool survives its own replacement and a push into a slot a removal vacated", () => {
    const store = new VectorStore();
    const m = (tags: number, prefix = "t"): VectorMetadata => ({
      type: "TV", status: "FINISHED", season: "SPRING", year: 2000, score: 8, episodes: 12, genres: Array.from({ length: tags }, (_, i) => `${prefix}${i}`), studios: ["s"], system_status: "ACTIVE", updated_at: 0,
    });
    const put = (id: number, metadata: VectorMetadata) => store.put(store.prepare([{ id, values: [1, 0], metadata }])[0]);
    put(1, m(700));
    put(1, m(700)); // the replaced ids must not be copied into the compacted pool
    expect(store.metadataOf(1)).toEqual(m(700));
    expect(store.query([1, 0], 5, { tags: ["t699"] }).map((x) => x.id)).toEqual([1]);
    put(2, m(600, "u"));
    store.remove(1); // row 2 moves into slot 0; slot 1's counts still describe it
    put(3, m(900, "v"));
    expect(store.metadataOf(2)).toEqual(m(600, "u"));
    expect(store.metadataOf(3)).toEqual(m(900, "v"));
    expect(store.query([1, 0], 5, { tags: ["v899"] }).map((x) => x.id)).toEqual([3]);
  });

  it("keeps null year and score apart from zero, and reads back what was written", () => {
    const store = new VectorStore();
    const m = (over: Partial<VectorMetadata>): VectorMetadata => ({
      type: "TV", status: "FINISHED", season: "SPRING", year: 0, score: 0, episodes: 0, genres: [], studios: [], system_status: "ACTIVE", updated_at: 0, ...over,
    });
    store.put(store.prepare([{ id: 1, values: [1, 0], metadata: m({ year: null, score: null }) }])[0]);
    store.put(store.prepare([{ id: 2, values: [1, 0], metadata: m({}) }])[0]);
    expect(store.query([1, 0], 10, { year_to: 2000 }).map((x) => x.id)).toEqual([2]);
    expect(store.query([1, 0], 10, { min_score: 0 }).map((x) => x.id)).toEqual([2]);
    expect(store.metadataOf(1)).toEqual(m({ year: null, score: null }));
  });
});

describe("VectorStore.queryById", () => {
  it("ranks by the stored vector, leaves the anime itself out, filters, and answers null for an unknown id", () => {
    const store = new VectorStore();
    const meta = (type: string): VectorMetadata => ({ type, status: "FINISHED", season: "SPRING", year: 2000, score: 7, episodes: 1, genres: [], studios: [], system_status: "ACTIVE", updated_at: 0 });
    const unit = (...xs: number[]) => xs.map((x) => x / Math.hypot(...xs));
    for (const r of store.prepare([
      { id: 1, values: unit(1, 0, 0), metadata: meta("TV") },
      { id: 2, values: unit(0.9, 0.1, 0), metadata: meta("TV") },
      { id: 3, values: unit(0.5, 0.5, 0), metadata: meta("MOVIE") },
      { id: 4, values: unit(0, 0, 1), metadata: meta("TV") },
    ])) store.put(r);
    const got = store.queryById(1, 10)!;
    expect(got.map((m) => m.id)).toEqual([2, 3, 4]);
    expect(got[0].score).toBeCloseTo(0.9 / Math.hypot(0.9, 0.1), 2);
    expect(store.queryById(1, 10, { type: ["MOVIE"] })!.map((m) => m.id)).toEqual([3]);
    expect(store.queryById(1, 1)!.map((m) => m.id)).toEqual([2]);
    expect(store.queryById(99, 10)).toBeNull();
  });
});
