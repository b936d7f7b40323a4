import { describe, expect, it } from "vitest";
import type { AnimeRow } from "../catalog/serialize";
import { VECTOR_METADATA_MAX_BYTES, documentParts, documentText, vectorMetadata } from "./document";

const row = (over: Partial<AnimeRow>): AnimeRow => ({
  id: 1, title: "Cowboy Bebop", titleKey: "cowboy bebop", synonyms: [], type: "TV", episodes: 26, status: "FINISHED", season: "SPRING",
  year: 1998, durationSeconds: 1440, score: 8.7, picture: null, thumbnail: null, genres: ["Action", "Sci-Fi"], studios: ["Sunrise"],
  producers: [], sources: [], related: [], synopsis: null, systemStatus: "ACTIVE", orphanedAt: null, createdAt: 0, updatedAt: 5,
  contentHash: "h", syncRun: null, enriched: false, popularity: 0, ...over,
});
const bytes = (x: unknown) => new TextEncoder().encode(JSON.stringify(x)).length;

describe("vectorMetadata", () => {
  it("keeps an ordinary entry whole, lower-cased and de-duplicated", () => {
    expect(vectorMetadata(row({ genres: ["Action", "action", "Sci-Fi"], studios: ["Sunrise", "SUNRISE"] }))).toEqual({
      type: "TV", status: "FINISHED", season: "SPRING", year: 1998, score: 8.7, episodes: 26,
      genres: ["action", "sci-fi"], studios: ["sunrise"], system_status: "ACTIVE", updated_at: 5,
    });
  });

  it("caps the JSON by bytes: keeps the studios and the shortest tags, in their order, deterministically", () => {
    // 600 tags, long ones ("a very specific tag number 17 …") and short ones ("g17"), multi-byte included.
    const genres = Array.from({ length: 600 }, (_, i) => (i % 3 === 0 ? `g${i}` : `a very specific tag number ${i} — ほぼ`));
    const studios = ["Sunrise", "Bones"];
    const m = vectorMetadata(row({ genres, studios }));
    expect(bytes(m)).toBeLessThanOrEqual(VECTOR_METADATA_MAX_BYTES);
    expect(m.studios).toEqual(["sunrise", "bones"]);
    expect(m.genres.filter((g) => g.startsWith("g"))).toHaveLength(200);
    // As many as fit: one more tag would cross the cap.
    const dropped = genres.map((g) => g.toLowerCase()).filter((g) => !m.genres.includes(g));
    const shortestDropped = dropped.reduce((a, b) => (bytes(b) < bytes(a) ? b : a));
    expect(bytes({ ...m, genres: [...m.genres, shortestDropped] })).toBeGreaterThan(VECTOR_METADATA_MAX_BYTES);
    // Kept in the catalog's order, and the same answer every time.
    expect(m.genres).toEqual(genres.map((g) => g.toLowerCase()).filter((g) => m.genres.includes(g)));
    expect(vectorMetadata(row({ genres, studios }))).toEqual(m);
  });

  it("trims the studios too when they alone are over the cap", () => {
    const studios = Array.from({ length: 1000 }, (_, i) => `Studio number ${i}`);
    const m = vectorMetadata(row({ studios }));
    expect(bytes(m)).toBeLessThanOrEqual(VECTOR_METADATA_MAX_BYTES);
    expect(m.studios.length).toBeGreaterThan(300);
    expect(m.studios.length).toBeLessThan(1000);
    expect(m.studios.slice(0, 2)).toEqual(["studio number 0", "studio number 1"]);
  });
});

describe("documentText and documentParts", () => {
  it("reads a document back into its names, tags, studios and synopsis", () => {
    const r = row({ synonyms: ["カウボーイビバップ", "Cowboy Bebop: The Movie; not"], synopsis: "In 2071, the crew of the Bebop hunts bounties.\nA second paragraph." });
    const text = documentText(r);
    expect(text.split("\n").slice(0, 5)).toEqual(["Cowboy Bebop", "Also known as: カウボーイビバップ; Cowboy Bebop: The Movie; not.", "Genres: Action, Sci-Fi.", "Studios: Sunrise.", "TV, 1998."]);
    expect(documentParts(text)).toEqual({
      names: ["Cowboy Bebop", "カウボーイビバップ", "Cowboy Bebop: The Movie", "not"],
      tags: ["Action", "Sci-Fi"],
      studios: ["Sunrise"],
      synopsis: "In 2071, the crew of the Bebop hunts bounties.\nA second paragraph.",
    });
  });

  it("gives an anime with nothing but a title a type line, so it still reads as a document", () => {
    const text = documentText(row({ type: "UNKNOWN", year: null, genres: [], studios: [] }));
    expect(text).toBe("Cowboy Bebop\nUNKNOWN.");
    expect(documentParts(text)).toEqual({ names: ["Cowboy Bebop"], tags: [], studios: [], synopsis: "" });
    expect(documentText(row({ type: "UNKNOWN", year: null }))).not.toContain("UNKNOWN");
  });

  it("reads any other text as a query (null), a synopsis line that looks labelled included", () => {
    for (const q of ["giant robots", "two sisters\nmove to the countryside", "Cowboy Bebop\nGenres are for people."]) expect(documentParts(q), q).toBeNull();
    const text = documentText(row({ synopsis: "Genres: a line of the synopsis." }));
    expect(documentParts(text)!.synopsis).toBe("Genres: a line of the synopsis.");
    expect(documentParts(text)!.tags).toEqual(["Action", "Sci-Fi"]);
  });
});
