import { describe, expect, it } from "vitest";
import { GENRES } from "../../catalog/genres";
import type { QueryFilters, QueryVocabulary } from "./interface";
import { LocalQueryParser } from "./local";
import { phraseTable, type PhraseCase } from "./testkit";

/**
 * The phrases of issue 14 on a vocabulary shaped like the real one: the genres, then tags
 * that spell a genre another way ("giant robots", "science fiction", "yaoi", "idol"), theme
 * tags ("time travel", "space opera") and tags that are also title words ("sword", "tokyo",
 * "monster", "season", "new", "time": all real tags of the 40k catalog).
 */
const VOCAB: QueryVocabulary = {
  genres: [
    ...GENRES,
    ...["comedy", "mecha", "time", "new", "short episodes", "science fiction", "sci fi", "time travel", "space opera", "giant robots", "giant robot"],
    ...["yaoi", "idol", "shounen", "monster", "sword", "art", "tokyo", "demon", "game", "season", "vampires", "teacher", "heroes", "kodomo", "cowboys"],
  ],
};
const NOW = new Date("2026-11-21T12:00:00Z");
const parser = new LocalQueryParser({ now: () => NOW });
const parse = (q: string) => parser.parse(q, VOCAB);
const table = (name: string, cases: PhraseCase[]) => phraseTable(name, parser, VOCAB, cases);
const y = (year_from?: number, year_to?: number): QueryFilters => ({ ...(year_from && { year_from }), ...(year_to && { year_to }) });

table("tags and themes: the genres first", [
  { q: "mecha", filters: { genres: ["Mecha"] } },
  { q: "90s mecha", filters: { ...y(1990, 1999), genres: ["Mecha"] } },
  { q: "giant robots", filters: { genres: ["Mecha"] } },
  { q: "giant robot anime", filters: { genres: ["Mecha"] } },
  { q: "mechs", filters: { genres: ["Mecha"] } },
  { q: "isekai", filters: { genres: ["Isekai"] } },
  { q: "sports", filters: { genres: ["Sports"] } },
  { q: "sport anime", filters: { genres: ["Sports"] } },
  { q: "science fiction", filters: { genres: ["Sci-Fi"] } },
  { q: "yaoi", filters: { genres: ["Boys Love"] } },
  { q: "idol anime", filters: { genres: ["Idols"] } },
  { q: "scary", filters: { genres: ["Horror"] } },
  { q: "time travel", filters: { tags: ["time travel"] } },
  { q: "space opera", filters: { tags: ["space opera"] } },
  { q: "shounen", filters: { tags: ["shounen"] } },
  { q: "time travel anime about pilots", filters: { tags: ["time travel"] }, text: "pilots" },
  { q: "vampires in tokyo", filters: { tags: ["vampires", "tokyo"] }, text: "in" },
  { q: "romance between a vampire and a human", filters: { genres: ["Romance"], tags: ["vampires"] }, text: "between human" },
  { q: "anime with short episodes", filters: { tags: ["short episodes"] } },
  { q: "mecha without time travel", filters: { genres: ["Mecha"], tags_exclude: ["time travel"] } },
]);

table("a tag inside a title stays text", [
  { q: "sword art online", filters: {}, text: "sword art online" },
  { q: "tokyo ghoul", filters: {}, text: "tokyo ghoul" },
  { q: "demon slayer", filters: {}, text: "demon slayer" },
  { q: "no game no life", filters: {}, text: "no game no life" },
  { q: "gintama season 2", filters: {}, text: "gintama season 2" },
  { q: "legend of the galactic heroes", filters: {}, text: "legend galactic heroes" },
  { q: "Kodomo no Omocha", filters: {}, text: "Kodomo no Omocha" },
  { q: "Cowboy Bebop", filters: {}, text: "Cowboy Bebop" },
  { q: "90s tokyo ghoul", filters: y(1990, 1999), text: "tokyo ghoul" },
  { q: "like Monster", filters: {}, similar: "Monster" },
  { q: "like Space Dandy", filters: {}, similar: "Space Dandy" },
  { q: "like sword art online with time travel", filters: { tags: ["time travel"] }, similar: "sword art online" },
]);

table("best, top rated, popular", [
  { q: "best mecha", filters: { genres: ["Mecha"] }, sort: "score" },
  { q: "the best isekai of all time", filters: { genres: ["Isekai"] }, sort: "score" },
  { q: "greatest anime ever", filters: {}, sort: "score" },
  { q: "highest rated sci-fi", filters: { genres: ["Sci-Fi"] }, sort: "score" },
  { q: "top rated romance", filters: { genres: ["Romance"] }, sort: "score" },
  { q: "top-rated", filters: {}, sort: "score" },
  { q: "top 10 mecha", filters: { genres: ["Mecha"] }, sort: "score" },
  { q: "sci-fi with high scores", filters: { genres: ["Sci-Fi"], min_score: 8 }, sort: "score" },
  { q: "high ratings", filters: { min_score: 8 }, sort: "score" },
  { q: "well rated comedies", filters: { genres: ["Comedy"], min_score: 8 }, sort: "score" },
  { q: "critically acclaimed", filters: { min_score: 8 }, sort: "score" },
  { q: "popular isekai", filters: { genres: ["Isekai"] }, sort: "popularity" },
  { q: "most popular shounen", filters: { tags: ["shounen"] }, sort: "popularity" },
  { q: "well known horror", filters: { genres: ["Horror"] }, sort: "popularity" },
  { q: "famous movies", filters: { type: ["MOVIE"] }, sort: "popularity" },
  { q: "best known mecha", filters: { genres: ["Mecha"] }, sort: "popularity" },
  { q: "popular and highly rated", filters: { min_score: 8 }, sort: "popularity" },
  { q: "best friends", filters: {}, text: "best friends" },
  { q: "not popular", filters: {}, text: "not popular" },
]);

table("newer or older than a title", [
  { q: "newer than cowboy bebop", filters: {}, newer: "cowboy bebop" },
  { q: "more recent than Monster", filters: {}, newer: "Monster" },
  { q: "older than Steins;Gate", filters: {}, older: "Steins;Gate" },
  { q: "mecha newer than gundam wing", filters: { genres: ["Mecha"] }, newer: "gundam wing" },
  { q: "newer than cowboy bebop with high scores", filters: { min_score: 8 }, newer: "cowboy bebop", sort: "score" },
  { q: "like cowboy bebop but newer", filters: {}, similar: "cowboy bebop", newer: "cowboy bebop" },
  { q: "like Cowboy Bebop, newer", filters: {}, similar: "Cowboy Bebop", newer: "Cowboy Bebop" },
  { q: "like monster but older", filters: {}, similar: "monster", older: "monster" },
  { q: "older ones like monster", filters: {}, similar: "monster", older: "monster" },
  { q: "like cowboy bebop but newer and popular", filters: {}, similar: "cowboy bebop", newer: "cowboy bebop", sort: "popularity" },
  { q: "newer than 2010", filters: y(2011) },
  { q: "more recent than 2015", filters: y(2016) },
  { q: "older than 2000", filters: y(undefined, 1999) },
  // Nothing to compare with: "newer" keeps its meaning "recent"; "older" stays a word.
  { q: "newer mecha", filters: { ...y(2024), genres: ["Mecha"] } },
  { q: "like that but newer", filters: y(2024) },
  { q: "older mecha", filters: { genres: ["Mecha"] }, text: "older" },
]);

table("years and lengths", [
  { q: "after 2010", filters: y(2011) },
  { q: "since 2010", filters: y(2010) },
  { q: "before 2000", filters: y(undefined, 1999) },
  { q: "pre-2000", filters: y(undefined, 1999) },
  { q: "from 2015 onwards", filters: y(2015) },
  { q: "mecha after 2010 but before 2020", filters: { ...y(2011, 2019), genres: ["Mecha"] } },
  { q: "recent", filters: y(2024) },
  { q: "new anime", filters: y(2024) },
  { q: "short", filters: { episodes_max: 13 } },
  { q: "short mecha series", filters: { type: ["TV"], genres: ["Mecha"], episodes_max: 13 } },
  { q: "not too long", filters: { episodes_max: 13 } },
  { q: "long", filters: { episodes_min: 50 } },
  { q: "long-running shounen", filters: { tags: ["shounen"], episodes_min: 50 } },
]);

describe("notes for the new phrases", () => {
  it("name the sort, the threshold and the title compared with, in query order", async () => {
    const r = await parse("best 90s giant robots, like gundam wing but newer with high scores");
    expect(r.notes).toEqual([
      '"best" → sort by score',
      '"90s" → years 1990–1999',
      '"giant robots" → genre Mecha',
      '"like gundam wing" → similar to "gundam wing"',
      '"but newer" → newer than "gundam wing"',
      '"with high scores" → score ≥ 8 (taken as "highly rated"), sort by score',
    ]);
    expect(r.notes.join(" ")).not.toMatch(/onwards/);
  });

  it("say when a second order is not applied, and that a tag is a tag", async () => {
    const r = await parse("popular time travel, best rated");
    expect(r.sort).toBe("popularity");
    expect(r.notes).toEqual(['"popular" → sort by popularity', '"time travel" → tag time travel', '"best rated" → sort by score not applied (sorting by popularity, named first)']);
  });

  it("say a bare older has nothing to compare with", async () => {
    const r = await parse("like that but older");
    expect(r.notes).toContain('"but older" → ignored: older than what? (no title named)');
    expect(r.filters).toEqual({});
  });
});

table("years around a decade, and the verb before a year", [
  { q: "before the 90s", filters: y(undefined, 1989) },
  { q: "older than the 2000s", filters: y(undefined, 1999) },
  { q: "after the 90s", filters: y(2000) },
  { q: "since the 90s", filters: y(1990) },
  { q: "sports from before 1950", filters: { genres: ["Sports"], ...y(undefined, 1949) } },
  { q: "released after 2010", filters: y(2011) },
]);

table("older or newer that describe people, not years", [
  { q: "like monster with an older protagonist", filters: {}, similar: "monster", text: "older protagonist" },
  { q: "like clannad but older brother", filters: {}, similar: "clannad", text: "older brother" },
]);
