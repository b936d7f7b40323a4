import { describe, expect, it } from "vitest";
import { readBangumiData } from "./bangumi-data";
import { END_GRACE_MS, OPEN_UNTIL } from "./run";

const siteMeta = {
  mal: { title: "MyAnimeList", urlTemplate: "https://myanimelist.net/anime/{{id}}", type: "info" },
  aniList: { title: "AniList", urlTemplate: "https://anilist.co/anime/{{id}}", type: "info" },
  crunchyroll: { title: "Crunchyroll", urlTemplate: "https://www.crunchyroll.com/series/{{id}}/", type: "onair" },
  bilibili: { title: "哔哩哔哩", urlTemplate: "https://www.bilibili.com/bangumi/media/md{{id}}/", regions: ["CN"], type: "onair" },
  dmhy: { title: "动漫花园", urlTemplate: "https://share.dmhy.org/topics/list?keyword={{id}}", type: "resource" },
};

const item = (over: Record<string, unknown> = {}) => ({
  title: "テスト", type: "tv", lang: "ja", begin: "2026-01-03T16:30:00.000Z", broadcast: "R/2026-01-03T16:30:00.000Z/P7D", end: "",
  sites: [
    { site: "mal", id: "0042" },
    { site: "crunchyroll", id: "GX1", begin: "2026-01-03T17:00:00.000Z", broadcast: "R/2026-01-03T17:00:00.000Z/P7D" },
    { site: "bilibili", id: "99", begin: "", broadcast: "" },
    { site: "dmhy", id: "test" },
    { site: "unknown_site", id: "1", broadcast: "R/2026-01-03T17:00:00.000Z/P7D" },
  ],
  ...over,
});

describe("reading bangumi-data", () => {
  it("keeps onair sites as streams with rendered URLs and regions; drops resource and unknown sites", () => {
    const d = readBangumiData({ siteMeta, items: [item()] }, Date.parse("2026-02-01T00:00:00Z"));
    expect(d.sites.map((s) => s.key)).toEqual(["crunchyroll", "bilibili"]);
    expect(d.items).toEqual([expect.objectContaining({ malId: "42", anilistId: null, originTz: "Asia/Tokyo", endAt: null, sharedMal: false })]);
    expect(d.rules.map((r) => [r.kind, r.site, r.url, r.regions, r.period, r.untilAt])).toEqual([
      ["broadcast", null, null, null, "P7D", OPEN_UNTIL],
      ["stream", "crunchyroll", "https://www.crunchyroll.com/series/GX1/", null, "P7D", OPEN_UNTIL],
      ["stream", "bilibili", "https://www.bilibili.com/bangumi/media/md99/", ["CN"], null, 0],
    ]);
    expect(JSON.stringify(d)).not.toContain("dmhy");
  });

  it("bounds a stream by the TV run's count when the item has an end; marks shared MAL ids", () => {
    const ended = item({ end: "2026-03-21T15:00:00.000Z" }); // 12 episodes: Jan 3 … Mar 21 (16:30Z, a day's grace)
    const d = readBangumiData({ siteMeta, items: [ended, item({ title: "arc 2", sites: [{ site: "mal", id: "42" }, { site: "crunchyroll", id: "GX2" }] })] }, Date.now());
    const [tv, cr] = d.rules;
    expect(tv.untilAt).toBe(Date.parse("2026-03-21T15:00:00Z") + END_GRACE_MS);
    expect(new Date(cr.untilAt).toISOString()).toBe("2026-03-21T17:00:00.000Z");
    expect(d.items.map((i) => i.sharedMal)).toEqual([true, true]);
  });

  it("skips items without an id to join on or anything to show, and names the latest begin", () => {
    const d = readBangumiData({ siteMeta, items: [item({ sites: [{ site: "crunchyroll", id: "x" }] }), item({ broadcast: "", sites: [{ site: "mal", id: "1" }] }), item({ begin: "2030-01-01T00:00:00Z" })] }, Date.parse("2026-02-01T00:00:00Z"));
    expect(d.items.length).toBe(1);
    expect(new Date(d.latestBegin!).toISOString()).toBe("2026-01-03T16:30:00.000Z");
    expect(() => readBangumiData({ items: "no" }, 0)).toThrow(/not bangumi-data/);
  });
});

describe("the Worker bundle", () => {
  it("never imports the bangumi-data package (its data.json is ~7 MB): scripts read it and load it through the loader", async () => {
    const { readdirSync, readFileSync } = await import("node:fs");
    const files = (readdirSync("src", { recursive: true }) as string[]).filter((f) => f.endsWith(".ts") && !f.endsWith(".test.ts"));
    for (const f of files) expect(readFileSync(`src/${f}`, "utf8"), f).not.toMatch(/from ["']bangumi-data|require\(["']bangumi-data/);
  });
});
