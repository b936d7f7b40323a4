import { describe, expect, it } from "vitest";
import { parseEntry, thumbnailOf } from "./entry";

const valid = {
  sources: ["https://myanimelist.net/anime/1", "https://kitsu.io/anime/1"],
  title: "Cowboy Bebop",
  type: "TV",
  episodes: 26,
  status: "FINISHED",
  animeSeason: { season: "SPRING", year: 1998 },
  picture: "https://cdn.myanimelist.net/images/anime/4/19644.jpg",
  thumbnail: "https://cdn.myanimelist.net/images/anime/4/19644t.jpg",
  duration: { value: 1440, unit: "SECONDS" },
  score: { arithmeticGeometricMean: 8.7512, arithmeticMean: 8.8, median: 8.9 },
  synonyms: ["Cowboy Bebop", "カウボーイビバップ"],
  studios: ["sunrise"],
  producers: ["bandai visual"],
  relatedAnime: ["https://myanimelist.net/anime/5"],
  tags: ["action", "Sci-Fi", "sci-fi "],
};

describe("parseEntry (offline database shape)", () => {
  it("normalises a valid entry", () => {
    const r = parseEntry(valid);
    expect(r.ok).toBe(true);
    if (!r.ok) return;
    expect(r.entry.sources).toEqual(["https://kitsu.app/anime/1", "https://myanimelist.net/anime/1"]);
    expect(r.entry.synonyms).toEqual(["カウボーイビバップ"]); // the title itself is not a synonym
    expect(r.entry.genres).toEqual(["action", "Sci-Fi"]); // case-insensitive de-duplication
    expect(r.entry.score).toBe(8.75);
    expect(r.entry.year).toBe(1998);
    expect(r.entry.durationSeconds).toBe(1440);
    expect(r.entry.synopsis).toBeNull();
  });

  it("treats the placeholder picture as no picture", () => {
    const r = parseEntry({ ...valid, picture: "https://raw.githubusercontent.com/manami-project/anime-offline-database/master/pics/no_pic.png" });
    expect(r.ok && r.entry.picture).toBeNull();
  });

  it.each([
    ["missing title", { ...valid, title: undefined }, "title"],
    ["unknown type", { ...valid, type: "SERIES" }, "type"],
    ["negative episodes", { ...valid, episodes: -1 }, "episodes"],
    ["year before 1907", { ...valid, animeSeason: { season: "SPRING", year: 1800 } }, "animeSeason.year"],
    ["non-URI source", { ...valid, sources: ["not a url"] }, "sources.0"],
    ["duplicate synonyms", { ...valid, synonyms: ["a", "a"] }, "synonyms"],
    ["empty sources", { ...valid, sources: [] }, "sources"],
    ["wrong duration unit", { ...valid, duration: { value: 10, unit: "MINUTES" } }, "duration.unit"],
  ])("rejects %s", (_name, raw, path) => {
    const r = parseEntry(raw);
    expect(r.ok).toBe(false);
    if (!r.ok) expect(r.reason.startsWith(`${path}:`)).toBe(true);
  });

  it("rejects a source list with no recognisable anime page", () => {
    const r = parseEntry({ ...valid, sources: ["https://myanimelist.net/manga/1"] });
    expect(r).toMatchObject({ ok: false, reason: "sources: no recognisable source URL" });
  });
});

describe("parseEntry (enriched shape)", () => {
  const enriched = {
    sources: ["https://anilist.co/anime/142051", "https://myanimelist.net/anime/99999"],
    title: "A Music Video",
    type: "MUSIC",
    episodes: 1,
    status: "FINISHED",
    season: "FALL",
    year: 2020,
    duration: 120,
    genres: ["Music"],
    tags: ["band", "music"],
    synopsis: "  A fixture synopsis written for Kensho's tests.  ",
    score: { arithmetic_geometric_mean: 6.31 },
    images: { covers: ["https://cdn.myanimelist.net/images/anime/1615/149911l.jpg"] },
    staff_data: { studios: [{ name: "SANZIGEN" }] },
    related_anime: [{ url: "https://myanimelist.net/anime/37869", relation_type: "CHARACTER" }],
  };

  it("maps types outside the vocabulary and keeps the synopsis", () => {
    const r = parseEntry(enriched);
    expect(r.ok).toBe(true);
    if (!r.ok) return;
    expect(r.entry).toMatchObject({ type: "SPECIAL", season: "FALL", year: 2020, durationSeconds: 120, score: 6.31, studios: ["sanzigen"] });
    expect(r.entry.genres).toEqual(["Music", "band"]);
    expect(r.entry.synopsis).toBe("A fixture synopsis written for Kensho's tests.");
    expect(r.entry.related).toEqual(["https://myanimelist.net/anime/37869"]);
  });

  it("lists the fields it does not carry, so a merge keeps the stored ones", () => {
    const r = parseEntry({ sources: ["https://myanimelist.net/anime/1"], title: "Cowboy Bebop", type: "tv", synopsis: "s" });
    expect(r.ok).toBe(true);
    if (!r.ok) return;
    expect(r.entry.type).toBe("TV");
    expect(r.missing.sort()).toEqual(
      ["durationSeconds", "episodes", "genres", "picture", "producers", "related", "score", "season", "status", "studios", "synonyms", "thumbnail", "year"].sort(),
    );
  });

  it("rejects an enriched entry without sources", () => {
    expect(parseEntry({ ...enriched, sources: undefined }).ok).toBe(false);
  });

  it("rejects values that are not objects", () => {
    expect(parseEntry(null).ok).toBe(false);
    expect(parseEntry("text").ok).toBe(false);
  });
});

describe("parseEntry (unparsable line)", () => {
  it("reports a line that was not JSON", () => {
    expect(parseEntry({ __unparsable: "{oops" })).toEqual({ ok: false, reason: "entry: not valid JSON: {oops" });
  });
});

describe("thumbnailOf (enriched covers)", () => {
  it.each([
    ["https://cdn.myanimelist.net/images/anime/1615/149911l.jpg", "https://cdn.myanimelist.net/images/anime/1615/149911t.jpg"],
    ["https://cdn.myanimelist.net/images/anime/4/19644.jpg", "https://cdn.myanimelist.net/images/anime/4/19644t.jpg"],
    ["https://cdn.myanimelist.net/images/anime/4/19644.webp", "https://cdn.myanimelist.net/images/anime/4/19644t.webp"],
    ["https://media.kitsu.app/anime/47450/poster_image/d45dad4606a54f054e89f48137caf179.png", null],
    ["https://cdn.anime-planet.com/anime/primary/raise-a-suilen-nvade-show-1.webp?t=1670863100", null],
    [null, null],
  ])("%s → %s (never the cover itself)", (cover, thumb) => {
    expect(thumbnailOf(cover)).toBe(thumb);
  });
});
