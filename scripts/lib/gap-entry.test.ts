import { describe, expect, it } from "vitest";
import { OfflineDbEntrySchema, parseEntry } from "../../src/catalog/entry";
import { gapEntry, indexArmByMal, indexBangumiByMal, NO_PIC, NO_PIC_THUMB, type BangumiItem, type CsvRow, type GapContext } from "./gap-entry";

/** Rows shaped as the MAL 2023 CSVs give them (csv-parse, columns: true): every value a string. */
const titlesRow = (over: CsvRow = {}): CsvRow => ({ anime_id: "59", Name: "Chobits", Score: "7.4", Genres: "Comedy, Drama, Romance, Sci-Fi, Ecchi", Episodes: "26", ...over });
const detailedRow = (over: CsvRow = {}): CsvRow => ({
  anime_id: "59",
  Name: "Chobits",
  "English name": "Chobits",
  "Other name": "ちょびっツ",
  Score: "7.4",
  Genres: "Comedy, Drama, Romance, Sci-Fi, Ecchi",
  Type: "TV",
  Episodes: "26.0",
  Aired: "Apr 3, 2002 to Sep 25, 2002",
  Premiered: "spring 2002",
  Status: "Finished Airing",
  Producers: "TBS, Pioneer LDC",
  Studios: "Madhouse",
  Duration: "24 min per ep",
  "Image URL": "https://cdn.myanimelist.net/images/anime/4/24648.jpg",
  ...over,
});
const bangumi = (over: Partial<BangumiItem> = {}): BangumiItem => ({
  title: "五等分の花嫁",
  titleTranslate: { "zh-Hans": ["五等分的新娘"], en: ["The Quintessential Quintuplets"] },
  type: "tv",
  begin: "2019-01-10T16:33:00.000Z",
  end: "2019-03-28T17:00:00.000Z",
  sites: [
    { site: "bangumi", id: "256114" },
    { site: "mal", id: "38101" },
    { site: "anidb", id: "14247" },
    { site: "aniList", id: "103572" },
  ],
  ...over,
});
const CONTEXT: GapContext = { releaseDate: "2026-02-07", releaseSources: new Set() };

/** The entry, after checking it is what the importer accepts as an offline-database entry. */
function build(...args: Parameters<typeof gapEntry>) {
  const built = gapEntry(...args);
  const json = JSON.parse(JSON.stringify(built.entry)); // as the sample file holds it
  expect(OfflineDbEntrySchema.safeParse(json).error).toBeUndefined();
  const parsed = parseEntry(json);
  expect(parsed.ok && parsed.offline).toBe(true);
  return { ...built, json };
}

describe("gapEntry from the MAL CSV facts", () => {
  it("maps a detailed row: type, episodes, status, season, duration, score, names, studios, producers, tags, pictures", () => {
    const { json } = build({ id: "59", titles: titlesRow(), detailed: detailedRow() }, {}, CONTEXT);
    expect(json).toEqual({
      sources: ["https://myanimelist.net/anime/59"],
      title: "Chobits",
      type: "TV",
      episodes: 26,
      status: "FINISHED",
      animeSeason: { season: "SPRING", year: 2002 },
      picture: "https://cdn.myanimelist.net/images/anime/4/24648.jpg",
      thumbnail: "https://cdn.myanimelist.net/images/anime/4/24648t.jpg",
      duration: { value: 1440, unit: "SECONDS" },
      score: { arithmeticGeometricMean: 7.4, arithmeticMean: 7.4, median: 7.4 },
      synonyms: ["ちょびっツ"], // the English name equals the title: not a synonym
      studios: ["madhouse"],
      producers: ["pioneer ldc", "tbs"],
      relatedAnime: [],
      tags: ["comedy", "drama", "ecchi", "romance", "sci-fi"],
    });
  });

  it.each([
    ["TV", "TV"],
    ["Movie", "MOVIE"],
    ["OVA", "OVA"],
    ["ONA", "ONA"],
    ["Special", "SPECIAL"],
    ["Music", "SPECIAL"],
    ["UNKNOWN", "UNKNOWN"],
  ])("type %s → %s", (csv, type) => {
    expect(build({ id: "59", detailed: detailedRow({ Type: csv }) }, {}, CONTEXT).entry.type).toBe(type);
  });

  it.each([
    ["Finished Airing", "FINISHED"],
    ["Currently Airing", "ONGOING"],
    ["Not yet aired", "UPCOMING"],
    ["", "UNKNOWN"],
  ])("status %j → %s", (csv, status) => {
    expect(build({ id: "59", detailed: detailedRow({ Status: csv }) }, {}, CONTEXT).entry.status).toBe(status);
  });

  it("season: Premiered first, else the quarter of Aired's first month (Jan–Mar WINTER … Oct–Dec FALL), else a year alone", () => {
    const season = (Premiered: string, Aired: string) => build({ id: "59", detailed: detailedRow({ Premiered, Aired }) }, {}, CONTEXT).entry.animeSeason;
    expect(season("fall 2002", "Apr 3, 2002 to Sep 25, 2002")).toEqual({ season: "FALL", year: 2002 });
    expect(season("UNKNOWN", "Mar 31, 2010")).toEqual({ season: "WINTER", year: 2010 });
    expect(season("UNKNOWN", "Apr 1, 2010")).toEqual({ season: "SPRING", year: 2010 });
    expect(season("UNKNOWN", "Sep 30, 2010 to Dec 2010")).toEqual({ season: "SUMMER", year: 2010 });
    expect(season("UNKNOWN", "Oct 2010")).toEqual({ season: "FALL", year: 2010 });
    expect(season("UNKNOWN", "2010 to 2011")).toEqual({ season: "UNDEFINED", year: 2010 });
    expect(season("UNKNOWN", "Not available")).toEqual({ season: "UNDEFINED" });
  });

  it.each([
    ["1 hr 55 min", 6900],
    ["24 min per ep", 1440],
    ["30 sec", 30],
    ["1 min 30 sec per ep", 90],
    ["Unknown", undefined],
  ])("duration %j → %s seconds", (Duration, value) => {
    expect(build({ id: "59", detailed: detailedRow({ Duration }) }, {}, CONTEXT).entry.duration?.value).toBe(value);
  });

  it("prefers the titles file's name, score, episodes and genres to the detailed file's", () => {
    const { entry } = build({ id: "59", titles: titlesRow({ Name: " Chobits (2023 name) ", Score: "7.5", Episodes: "27", Genres: "Drama" }), detailed: detailedRow() }, {}, CONTEXT);
    expect(entry).toMatchObject({ title: "Chobits (2023 name)", score: { median: 7.5 }, episodes: 27, tags: ["drama"] });
    expect(entry.synonyms).toEqual(["Chobits", "ちょびっツ"]);
  });

  it("drops placeholders: 'add some' studios, UNKNOWN producers, duplicate names in any case", () => {
    const { entry } = build({ id: "59", detailed: detailedRow({ Studios: "add some", Producers: "UNKNOWN", Genres: "Action, action, ACTION", "English name": "Unknown" }) }, {}, CONTEXT);
    expect(entry).toMatchObject({ studios: [], producers: [], tags: ["action"], synonyms: ["ちょびっツ"] });
  });

  it("keeps a picture of another host as its own thumbnail", () => {
    const { entry } = build({ id: "59", detailed: detailedRow({ "Image URL": "https://img.example.org/cover.png" }) }, {}, CONTEXT);
    expect([entry.picture, entry.thumbnail]).toEqual(["https://img.example.org/cover.png", "https://img.example.org/cover.png"]);
  });

  it("with only a titles row and nothing unknown filled in: UNKNOWN type and status, UNDEFINED season, no picture, duration or score", () => {
    const { json } = build({ id: "41090", titles: { anime_id: "41090", Name: '"Star"t', Score: "UNKNOWN", Genres: "UNKNOWN", Episodes: "Unknown" } }, {}, CONTEXT);
    expect(json).toEqual({
      sources: ["https://myanimelist.net/anime/41090"],
      title: '"Star"t',
      type: "UNKNOWN",
      episodes: 0,
      status: "UNKNOWN",
      animeSeason: { season: "UNDEFINED" },
      picture: NO_PIC,
      thumbnail: NO_PIC_THUMB,
      synonyms: [],
      studios: [],
      producers: [],
      relatedAnime: [],
      tags: [],
    });
    // The importer reads the placeholders as "no picture".
    const parsed = parseEntry(json);
    expect(parsed.ok && [parsed.entry.picture, parsed.entry.thumbnail, parsed.entry.score, parsed.entry.year]).toEqual([null, null, null, null]);
  });

  it("a score below the schema's range (MAL's 0) is left out", () => {
    expect(build({ id: "59", titles: titlesRow({ Score: "0" }) }, {}, CONTEXT).entry.score).toBeUndefined();
  });
});

describe("gapEntry with bangumi-data and arm", () => {
  const fiveToubun = { id: "38101", titles: { anime_id: "38101", Name: "5-toubun no Hanayome", Score: "7.66", Genres: "Comedy, Romance", Episodes: "12" } };

  it("takes AniList and AniDB ids from bangumi-data, its titles as synonyms, and type, season and status where the CSVs lack them", () => {
    const { json, provenance } = build(fiveToubun, { bangumi: bangumi() }, CONTEXT);
    expect(json).toMatchObject({
      sources: ["https://anidb.net/anime/14247", "https://anilist.co/anime/103572", "https://myanimelist.net/anime/38101"],
      type: "TV",
      status: "FINISHED",
      animeSeason: { season: "WINTER", year: 2019 },
      synonyms: ["The Quintessential Quintuplets", "五等分の花嫁", "五等分的新娘"],
    });
    expect(provenance).toEqual({ anilist: "bangumi-data", anilistDisagree: false, anidb: true, seasonFromBangumi: true, typeFromBangumi: true, crossIdsInRelease: 0 });
  });

  it("takes the AniList id from arm when bangumi-data has none; bangumi-data's wins when both have one", () => {
    const fromArm = build(fiveToubun, { arm: { mal_id: 38101, anilist_id: 103572 } }, CONTEXT);
    expect(fromArm.entry.sources).toEqual(["https://anilist.co/anime/103572", "https://myanimelist.net/anime/38101"]);
    expect(fromArm.provenance).toMatchObject({ anilist: "arm", anilistDisagree: false, anidb: false });
    const both = build(fiveToubun, { bangumi: bangumi(), arm: { mal_id: 38101, anilist_id: 999 } }, CONTEXT);
    expect(both.entry.sources).toContain("https://anilist.co/anime/103572");
    expect(both.entry.sources).not.toContain("https://anilist.co/anime/999");
    expect(both.provenance).toMatchObject({ anilist: "bangumi-data", anilistDisagree: true });
  });

  it("leaves out a cross-site URL the release gives to another anime (importing it would merge the two)", () => {
    const context = { ...CONTEXT, releaseSources: new Set(["https://anilist.co/anime/103572"]) };
    const { entry, provenance } = build(fiveToubun, { bangumi: bangumi() }, context);
    expect(entry.sources).toEqual(["https://anidb.net/anime/14247", "https://myanimelist.net/anime/38101"]);
    expect(provenance).toMatchObject({ anilist: null, anidb: true, crossIdsInRelease: 1 });
  });

  it("ignores bangumi-data ids that are not numbers", () => {
    const odd = bangumi({ sites: [{ site: "mal", id: "38101" }, { site: "aniList", id: "" }, { site: "anidb", id: "a14247" }] });
    expect(build(fiveToubun, { bangumi: odd }, CONTEXT).entry.sources).toEqual(["https://myanimelist.net/anime/38101"]);
  });

  it("reads bangumi-data's UTC begin in Japan time: 31 March 20:00 UTC is a SPRING premiere", () => {
    const season = (begin: string) => build(fiveToubun, { bangumi: bangumi({ begin }) }, CONTEXT).entry.animeSeason;
    expect(season("2019-03-31T14:59:00.000Z")).toEqual({ season: "WINTER", year: 2019 });
    expect(season("2019-03-31T20:00:00.000Z")).toEqual({ season: "SPRING", year: 2019 });
    expect(season("2019-12-31T15:30:00.000Z")).toEqual({ season: "WINTER", year: 2020 });
    expect(season("")).toEqual({ season: "UNDEFINED" });
  });

  it("maps bangumi-data's types (web → ONA) and lets the CSV's own type and season win", () => {
    expect(build(fiveToubun, { bangumi: bangumi({ type: "web" }) }, CONTEXT).entry.type).toBe("ONA");
    expect(build(fiveToubun, { bangumi: bangumi({ type: "movie" }) }, CONTEXT).entry.type).toBe("MOVIE");
    expect(build(fiveToubun, { bangumi: bangumi({ type: "radio" }) }, CONTEXT).entry.type).toBe("UNKNOWN");
    const csvWins = build({ id: "38101", detailed: detailedRow({ Type: "Movie", Premiered: "summer 2020" }) }, { bangumi: bangumi() }, CONTEXT);
    expect(csvWins.entry).toMatchObject({ type: "MOVIE", animeSeason: { season: "SUMMER", year: 2020 } });
    expect(csvWins.provenance).toMatchObject({ typeFromBangumi: false, seasonFromBangumi: false });
  });

  it("status from bangumi-data's dates against the release date: ended before it FINISHED, begins after it UPCOMING, else UNKNOWN", () => {
    const status = (begin: string, end: string) => build(fiveToubun, { bangumi: bangumi({ begin, end }) }, CONTEXT).entry.status;
    expect(status("2025-10-01T15:00:00.000Z", "2026-02-06T15:00:00.000Z")).toBe("FINISHED");
    expect(status("2026-04-01T15:00:00.000Z", "")).toBe("UPCOMING");
    expect(status("2025-10-01T15:00:00.000Z", "")).toBe("UNKNOWN"); // airing, or no end known
    expect(status("2025-10-01T15:00:00.000Z", "2026-02-07T15:00:00.000Z")).toBe("UNKNOWN"); // ends on the release date
  });
});

describe("the cross-site indexes", () => {
  it("bangumi-data: a MAL id on several items goes to the earliest begin; an item without begin comes last", () => {
    const item = (title: string, begin: string) => bangumi({ title, begin, sites: [{ site: "mal", id: "1" }] });
    const index = indexBangumiByMal([item("no begin", ""), item("sequel", "2001-01-01T00:00:00Z"), item("first", "1998-04-03T00:00:00Z"), bangumi({ sites: [{ site: "anidb", id: "5" }] })]);
    expect([...index.keys()]).toEqual(["1"]);
    expect(index.get("1")!.title).toBe("first");
    expect(indexBangumiByMal([item("no begin", "")]).get("1")!.title).toBe("no begin");
  });

  it("arm: records with both ids, the first one of a MAL id", () => {
    const index = indexArmByMal([{ mal_id: 1 }, { mal_id: 1, anilist_id: 10 }, { mal_id: 1, anilist_id: 11 }, { anilist_id: 12 }]);
    expect([...index.entries()]).toEqual([["1", { mal_id: 1, anilist_id: 10 }]]);
  });
});
