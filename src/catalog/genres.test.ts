import { describe, expect, it } from "vitest";
import { GENRE_TAGS, GENRES, genreNamed, genresOf, tagsOfGenre } from "./genres";
import { editDistance, nearestNames } from "./nearest";
import { tagConstraints } from "./tag-constraints";

describe("the genre mapping", () => {
  it("is one capitalisation of each genre, alphabetical, over lower-case tag keys without repeats", () => {
    expect(GENRES).toEqual([...GENRES].sort());
    expect(GENRES).toEqual(expect.arrayContaining(["Action", "Adventure", "Comedy", "Drama", "Fantasy", "Horror", "Mecha", "Music", "Mystery", "Psychological", "Romance", "Sci-Fi", "Slice of Life", "Sports", "Supernatural", "Thriller"]));
    for (const genre of GENRES) {
      const tags = GENRE_TAGS[genre];
      expect(tags.length, genre).toBeGreaterThan(0);
      for (const tag of tags) expect(tag, genre).toBe(tag.toLowerCase().trim());
      expect(new Set(tags).size, genre).toBe(tags.length);
      // Each genre is reachable by its own name as a tag (the release and MAL spell them so).
      expect(tags, genre).toContain(genre.toLowerCase());
    }
  });

  it("derives an anime's genres from its tags, in any case, in GENRES order, once each", () => {
    expect(genresOf(["space opera", "Bounty Hunters", "SCI-FI", "action", "gunfights"])).toEqual(["Action", "Sci-Fi", "Space"]);
    expect(genresOf(["romantic comedy"])).toEqual(["Comedy", "Romance"]);
    expect(genresOf(["japanese production", "present"])).toEqual([]);
    expect(genresOf([])).toEqual([]);
  });

  it("names a genre loosely but never guesses", () => {
    for (const input of ["Sci-Fi", "sci fi", "SCIFI", "sci_fi"]) expect(genreNamed(input), input).toBe("Sci-Fi");
    expect(genreNamed("slice-of-life")).toBe("Slice of Life");
    expect(genreNamed("science fiction")).toBeUndefined();
    expect(genreNamed("Foo")).toBeUndefined();
    expect(tagsOfGenre("Nope" as never)).toEqual([]);
  });
});

describe("tag constraints", () => {
  it("a wanted genre is the group of its tags, a wanted tag a group of one; every exclusion and the adult rule land in noneOf", () => {
    expect(tagConstraints({ genres: ["Mecha"], tags: ["Space Opera"], genres_exclude: ["Ecchi"], tags_exclude: ["GORE"] })).toEqual({
      allOf: [[...tagsOfGenre("Mecha")], ["space opera"]],
      noneOf: ["ecchi", "gore", "hentai"],
    });
    expect(tagConstraints({ include_adult: true })).toEqual({ allOf: [], noneOf: [] });
  });
});

describe("nearest names", () => {
  it("prefers prefixes, then fewer edits, then the candidates' order; none beyond 3 edits", () => {
    expect(nearestNames("Sci-Fy", GENRES)).toEqual(["Sci-Fi"]);
    expect(nearestNames("romanse", GENRES)[0]).toBe("Romance");
    expect(nearestNames("mech", ["mecha", "mechanic", "meta"])).toEqual(["mecha", "mechanic", "meta"]);
    expect(nearestNames("zzzzzzzz", GENRES)).toEqual([]);
  });

  it("counts a swap of neighbours as one edit and stops early past the cap", () => {
    expect(editDistance("comedy", "comdey")).toBe(1);
    expect(editDistance("kitten", "sitting")).toBe(3);
    expect(editDistance("abcdefgh", "zzzzzzzz", 2)).toBe(3);
  });
});
