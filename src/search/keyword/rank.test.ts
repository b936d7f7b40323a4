import { describe, expect, it } from "vitest";
import { partNamed, rankKeywordCandidates, spellingSimilarity, type KeywordCandidate } from "./rank";
import { compact } from "./normalize";

const cand = (id: number, names: string[], extra: Partial<KeywordCandidate> = {}): KeywordCandidate => ({ id, names: names.map(compact), words: false, contains: false, score: null, ...extra });

describe("rankKeywordCandidates", () => {
  it("puts an exact title first, then exact synonyms, then prefixes", () => {
    const out = rankKeywordCandidates("cowboybebop", [
      cand(5, ["Cowboy Bebop: Tengoku no Tobira"], { words: true, contains: true }),
      cand(1, ["Cowboy Bebop"], { words: true, contains: true }),
      cand(9, ["Space Cowboys", "Cowboy Bebop"], { words: true }),
    ]);
    expect(out.map((h) => h.id)).toEqual([1, 9, 5]);
    expect(out[0]).toMatchObject({ exact: true, prefix: true });
    expect(out[2]).toMatchObject({ exact: false, prefix: true });
  });

  it("prefers the franchise root among titles the query starts", () => {
    const out = rankKeywordCandidates("rezero", [
      cand(3, ["Re:Zero kara Hajimeru Break Time"]),
      cand(1, ["Re:Zero kara Hajimeru Isekai Seikatsu"]),
      cand(2, ["Re:Zero kara Hajimeru Isekai Seikatsu 2nd Season"]),
      cand(4, ["Re:Zero kara Hajimeru Isekai Seikatsu - Memory Snow"]),
    ]);
    expect(out[0].id).toBe(1);
  });

  it("gives no franchise-root bonus to a title the query does not start (typos)", () => {
    const out = rankKeywordCandidates("narutoshipuden", [
      cand(1, ["Naruto"]),
      cand(2, ["Naruto: Shippuuden"]),
      cand(3, ["Naruto: Shippuuden Movie 1"]),
      cand(4, ["Naruto SD: Rock Lee no Seishun Full-Power Ninden"]),
      cand(5, ["Naruto Movie 1"]),
    ]);
    expect(out[0].id).toBe(2);
  });

  it("ranks a one-typo title by trigram similarity above loosely related ones", () => {
    const out = rankKeywordCandidates("cowbybebop", [cand(2, ["Show By Rock!!"]), cand(1, ["Cowboy Bebop"]), cand(3, ["Time Bokan"])]);
    expect(out[0].id).toBe(1);
    expect(out[0].similarity).toBeGreaterThan(0.4);
    expect(out[0].exact).toBe(false);
  });

  it("is deterministic: equal scores order by id", () => {
    const out = rankKeywordCandidates("xyz", [cand(8, ["abc"]), cand(3, ["abc"])]);
    expect(out.map((h) => h.id)).toEqual([3, 8]);
  });
});

describe("franchise priors (unless the query names a part)", () => {
  const c = (id: number, names: string[], type: string, year: number, popularity: number, extra: Partial<KeywordCandidate> = {}) =>
    cand(id, names, { words: true, contains: true, type, year, popularity, ...extra });

  it("between two exact names, the series listed everywhere beats a one-site special or movie titled exactly like the query", () => {
    const bluExorcist = [
      c(1, ["Blue Exorcist"], "MOVIE", 2012, 77_201),
      c(2, ["Ao no Exorcist", "Blue Exorcist"], "TV", 2011, 763_057),
      c(3, ["Ao no Exorcist: Kyoto Fujouou-hen", "Blue Exorcist: Kyoto Saga"], "TV", 2017, 753_053),
    ];
    expect(rankKeywordCandidates("blueexorcist", bluExorcist)[0].id).toBe(2);
    const killLaKill = [c(7, ["Kill la Kill"], "SPECIAL", 2014, 70_000), c(8, ["Kill la Kill"], "TV", 2013, 800_000)];
    expect(rankKeywordCandidates("killlakill", killLaKill)[0].id).toBe(8);
  });

  it("among series named exactly alike, the first one (the original before its second season or remake)", () => {
    const kon = [c(1, ["K-On!!"], "TV", 2010, 809_038), c(2, ["K-On!"], "TV", 2009, 235_500), c(3, ["K-ON! Movie"], "MOVIE", 2011, 80_401)];
    expect(rankKeywordCandidates("kon", kon)[0].id).toBe(2);
    // A promotional OVA before its series is not "the first": only TV and ONA count.
    const diary = [c(4, ["Mirai Nikki"], "OVA", 2010, 685_016), c(5, ["Mirai Nikki (TV)", "Mirai Nikki"], "TV", 2011, 750_024)];
    expect(rankKeywordCandidates("mirainikki", diary)[0].id).toBe(5);
    // A one-site duplicate dated a year early is not the original of the series every site lists.
    const bakugan = [c(6, ["Bakugan Battle Planet"], "TV", 2018, 5), c(7, ["Bakugan: Battle Planet"], "TV", 2019, 494_143)];
    expect(rankKeywordCandidates("bakuganbattleplanet", bakugan)[0].id).toBe(7);
  });

  it("a one-edit typo of a name several series list finds the first of them, as the exact name does", () => {
    // The release lists "Shingeki no Kyojin" as a synonym of seasons 2 and 3 too.
    const aot = [
      c(3, ["Shingeki no Kyojin Season 3", "Shingeki no Kyojin"], "TV", 2018, 820_000),
      c(1, ["Shingeki no Kyojin"], "TV", 2013, 810_000),
      c(2, ["Shingeki no Kyojin Season 2", "Shingeki no Kyojin"], "TV", 2017, 800_000),
    ];
    expect(rankKeywordCandidates("shingekinokyojin", aot)[0].id).toBe(1);
    expect(rankKeywordCandidates("shingekinokyojn", aot)[0].id).toBe(1);
    // Two different names equally near: no name is "meant", the priors decide as before.
    const twins = [c(4, ["Abcdefghij"], "TV", 2001, 100), c(5, ["Abcdefghik"], "TV", 2000, 100_000)];
    expect(rankKeywordCandidates("abcdefghiz", twins)[0].id).toBe(5);
  });

  it("ranks a one-edit typo of a title by its spelling, above a longer title trigrams rate alike", () => {
    // "lowg horizon": the series, not its second season; "apartmnt!": "Apartment!", not "apart".
    const log = [c(1, ["Log Horizon 2nd Season"], "TV", 2014, 800_000), c(2, ["Log Horizon"], "TV", 2013, 790_000)];
    expect(rankKeywordCandidates("lowghorizon", log)[0].id).toBe(2);
    const apartment = [c(3, ["apart"], "SPECIAL", 2024, 5), c(4, ["Apartment!"], "ONA", 2004, 50_000)];
    const ranked = rankKeywordCandidates("apartmnt", apartment);
    expect(ranked[0].id).toBe(4);
    expect(ranked[0].similarity).toBeCloseTo(1 - 1 / 9, 5);
    expect(spellingSimilarity("apartmnt", "apartmen")).toBeCloseTo(1 - 2 / 8, 5);
    expect(spellingSimilarity("apartmnt", "apart")).toBe(0);
    // Too far apart to be a typo, or too short to tell.
    expect(spellingSimilarity("lowghorizon", "loghorizon2ndseason")).toBe(0);
    expect(spellingSimilarity("kon", "kan")).toBe(0);
  });

  it("a query naming the part (movie, season 2, r2, final…) drops the popularity and type priors", () => {
    const geass = [c(1, ["Code Geass R2", "Code Geass: Hangyaku no Lelouch R2"], "TV", 2008, 900_000), c(2, ["Code Geass"], "TV", 2006, 950_000)];
    expect(partNamed("codegeassr2")).toBe(true);
    expect(partNamed("bebop")).toBe(false);
    expect(rankKeywordCandidates("codegeassr2", geass)[0].id).toBe(1);
    const movie = [c(1, ["Blue Exorcist Movie", "Ao no Exorcist Movie"], "MOVIE", 2012, 77_201), c(2, ["Ao no Exorcist"], "TV", 2011, 763_057, { words: false })];
    expect(rankKeywordCandidates("blueexorcistmovie", movie)[0].id).toBe(1);
  });

  it("gives a confidence: 1 for an exact name, 0.85 a prefix, the spelling similarity of a typo, little for noise", () => {
    const out = rankKeywordCandidates("cowbybebop", [cand(1, ["Cowboy Bebop"]), cand(2, ["Plokmij"])]);
    expect(out[0].confidence).toBeGreaterThan(0.5);
    expect(out[1].confidence).toBeLessThan(0.2);
    expect(rankKeywordCandidates("cowboybebop", [cand(1, ["Cowboy Bebop"])])[0].confidence).toBe(1);
    expect(rankKeywordCandidates("cowboy", [cand(1, ["Cowboy Bebop"])])[0].confidence).toBe(0.85);
  });
});
