import { describe, expect, it } from "vitest";
import type { CatalogEntry } from "../entry";
import { mergeEnrichment, mergeRelease, unionNames } from "./merge";

const stored: CatalogEntry = {
  sources: ["https://anidb.net/anime/23", "https://anilist.co/anime/1", "https://myanimelist.net/anime/1"],
  title: "Cowboy Bebop",
  synonyms: ["COWBOY BEBOP", "カウボーイビバップ"],
  type: "TV",
  episodes: 26,
  status: "FINISHED",
  season: "SPRING",
  year: 1998,
  durationSeconds: 1440,
  score: 8.75,
  picture: "https://cdn.example.org/release.jpg",
  thumbnail: "https://cdn.example.org/release-t.jpg",
  genres: ["action", "sci-fi"],
  studios: ["sunrise"],
  producers: [],
  related: ["https://myanimelist.net/anime/5"],
  synopsis: null,
};

/** An enriched entry as fromEnriched makes it from MAL facts (made-up values). */
const enriched: CatalogEntry = {
  ...stored,
  sources: ["https://kitsu.app/anime/1", "https://myanimelist.net/anime/1"],
  title: "Cowboy Bebop: Made-up Cut",
  synonyms: ["cowboy bebop", "Made-up Synonym"],
  type: "MOVIE",
  episodes: 30,
  status: "ONGOING",
  season: "FALL",
  year: 2001,
  durationSeconds: 1500,
  score: 7.1,
  picture: "https://cdn.example.org/cover.jpg",
  thumbnail: "https://cdn.example.org/cover.jpg",
  genres: ["Sci-Fi", "Space Opera"],
  studios: ["sunrise", "made-up studio"],
  related: ["https://anilist.co/anime/4"],
  synopsis: "Made-up synopsis.",
};

describe("unionNames", () => {
  it("keeps the stored names and spelling first, then adds new ones once, case-insensitively", () => {
    expect(unionNames(["action", "Sci-Fi"], [" SCI-FI ", "Drama", "drama", ""])).toEqual(["action", "Sci-Fi", "Drama"]);
    expect(unionNames(["A"], ["Title", "b"], ["title"])).toEqual(["A", "b"]);
  });
});

describe("mergeEnrichment", () => {
  it("unions sources, synonyms, genres, studios and related; keeps the release's own fields; adds synopsis and images", () => {
    expect(mergeEnrichment(stored, enriched)).toEqual({
      ...stored,
      sources: ["https://anidb.net/anime/23", "https://anilist.co/anime/1", "https://kitsu.app/anime/1", "https://myanimelist.net/anime/1"],
      synonyms: ["COWBOY BEBOP", "カウボーイビバップ", "Made-up Synonym", "Cowboy Bebop: Made-up Cut"],
      genres: ["action", "sci-fi", "Space Opera"],
      studios: ["sunrise", "made-up studio"],
      related: ["https://anilist.co/anime/4", "https://myanimelist.net/anime/5"],
      picture: "https://cdn.example.org/cover.jpg",
      thumbnail: "https://cdn.example.org/cover.jpg",
      synopsis: "Made-up synopsis.",
    });
  });

  it("fills only what the stored anime lacks", () => {
    const sparse = { ...stored, type: "UNKNOWN", episodes: 0, status: "UNKNOWN", season: "UNDEFINED", year: null, durationSeconds: null, score: null, picture: null, thumbnail: null } as const;
    expect(mergeEnrichment(sparse, enriched)).toMatchObject({ type: "MOVIE", episodes: 30, status: "ONGOING", season: "FALL", year: 2001, durationSeconds: 1500, score: 7.1, picture: enriched.picture });
  });

  it("keeps the stored synopsis and images when the entry carries none", () => {
    const withOurs = { ...stored, synopsis: "Stored made-up synopsis." };
    expect(mergeEnrichment(withOurs, { ...enriched, synopsis: null, picture: null, thumbnail: null })).toMatchObject({ synopsis: "Stored made-up synopsis.", picture: stored.picture, thumbnail: stored.thumbnail });
  });

  it("changes nothing when the same entry is merged again", () => {
    const once = mergeEnrichment(stored, enriched);
    expect(mergeEnrichment(once, enriched)).toEqual(once);
  });
});

describe("mergeRelease", () => {
  it("takes the release's fields, keeping our synopsis, and our images only once the enrichment wrote them", () => {
    const ours = mergeEnrichment(stored, enriched);
    const release = { ...stored, episodes: 27 };
    expect(mergeRelease(ours, false, release)).toEqual({ ...release, synopsis: "Made-up synopsis." });
    expect(mergeRelease(ours, true, release)).toEqual({ ...release, synopsis: "Made-up synopsis.", picture: enriched.picture, thumbnail: enriched.thumbnail });
  });
});
