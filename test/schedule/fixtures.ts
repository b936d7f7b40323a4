import { env } from "cloudflare:workers";
import { createExecutionContext, waitOnExecutionContext } from "cloudflare:test";
import { createApp } from "../../src/app";
import { BASE, importEntries, invalidateCache, testServices } from "../helpers";
import { entry, idOf, mal, anilist } from "../sync/fixtures";

/**
 * Schedule fixtures: catalog anime with MAL ids 98xxx (nothing of the other fixtures) and a
 * bangumi-data file in the package's shape, loaded through the composition root's loader as
 * `npm start` loads the real package. Times: 16:30Z is Sunday 01:30 in Japan, "Sat 25:30 JST".
 */
export const NOW = Date.parse("2026-02-15T12:00:00Z");

export const CATALOG = [
  entry(98001, { title: "Late Night Weekly", status: "ONGOING", episodes: 52, animeSeason: { season: "WINTER", year: 2026 } }),
  entry(98002, { title: "Monthly Shorts", type: "ONA", status: "ONGOING", episodes: 0, animeSeason: { season: "WINTER", year: 2026 } }),
  entry(98003, { title: "Already Finished", status: "FINISHED", episodes: 12, animeSeason: { season: "WINTER", year: 2026 } }),
  entry(98004, { title: "Adult Weekly", status: "ONGOING", episodes: 12, tags: ["hentai"], animeSeason: { season: "WINTER", year: 2026 } }),
  // Linked by AniList only: its MAL id is not in the catalog.
  entry(98005, { title: "AniList Only", status: "ONGOING", episodes: 12, sources: [anilist(98005)], animeSeason: { season: "WINTER", year: 2026 } }),
  // A long series split into two data items sharing its MAL id.
  entry(98006, { title: "Long Series", status: "ONGOING", episodes: 1100, animeSeason: { season: "FALL", year: 1999 } }),
  entry(98007, { title: "Not In The Data", status: "ONGOING", animeSeason: { season: "WINTER", year: 2026 } }),
];

const SITE_META = {
  mal: { title: "MyAnimeList", urlTemplate: "https://myanimelist.net/anime/{{id}}", type: "info" },
  aniList: { title: "AniList", urlTemplate: "https://anilist.co/anime/{{id}}", type: "info" },
  anidb: { title: "AniDB", urlTemplate: "https://anidb.net/anime/{{id}}", type: "info" },
  crunchyroll: { title: "Crunchyroll", urlTemplate: "https://www.crunchyroll.com/series/{{id}}/", type: "onair" },
  netflix: { title: "Netflix", urlTemplate: "https://www.netflix.com/title/{{id}}", type: "onair" },
  bilibili: { title: "哔哩哔哩", urlTemplate: "https://www.bilibili.com/bangumi/media/md{{id}}/", regions: ["CN"], type: "onair" },
  dmhy: { title: "动漫花园", urlTemplate: "https://share.dmhy.org/topics/list?keyword={{id}}", type: "resource" },
  mikan: { title: "蜜柑计划", urlTemplate: "https://mikanani.me/Home/Bangumi/{{id}}", type: "resource" },
  bangumi_moe: { title: "萌番组", urlTemplate: "https://bangumi.moe/search/{{id}}", type: "resource" },
};

const item = (title: string, begin: string, broadcast: string, sites: Record<string, unknown>[], end = "") => ({ title, titleTranslate: {}, type: "tv", lang: "ja", officialSite: "", begin, broadcast, end, comment: "", sites });
const resources = (id: string) => [{ site: "dmhy", id }, { site: "mikan", id }, { site: "bangumi_moe", id }];

export const SCHEDULE = {
  siteMeta: SITE_META,
  items: [
    item("深夜の週刊", "2026-01-03T16:30:00.000Z", "R/2026-01-03T16:30:00.000Z/P7D", [
      { site: "mal", id: "98001" },
      // Crunchyroll half an hour after the TV slot; Netflix on Wednesdays.
      { site: "crunchyroll", id: "GLATE", begin: "2026-01-03T17:00:00.000Z", broadcast: "R/2026-01-03T17:00:00.000Z/P7D" },
      { site: "netflix", id: "81000001", begin: "2026-01-07T08:00:00.000Z", broadcast: "R/2026-01-07T08:00:00.000Z/P7D" },
      { site: "bilibili", id: "4242", begin: "2026-01-03T16:30:00.000Z", broadcast: "R/2026-01-03T16:30:00.000Z/P7D" },
      ...resources("late"),
    ]),
    // 31 January 01:00 JST, monthly.
    { ...item("月刊ショート", "2026-01-30T16:00:00.000Z", "R/2026-01-30T16:00:00.000Z/P1M", [{ site: "mal", id: "98002" }, ...resources("monthly")]), type: "web" },
    item("もう終わった", "2026-01-05T15:00:00.000Z", "R/2026-01-05T15:00:00.000Z/P7D", [{ site: "mal", id: "98003" }, { site: "crunchyroll", id: "GDONE", begin: "2026-01-05T15:30:00.000Z", broadcast: "R/2026-01-05T15:30:00.000Z/P7D" }]),
    item("成人向け", "2026-01-06T15:00:00.000Z", "R/2026-01-06T15:00:00.000Z/P7D", [{ site: "mal", id: "98004" }]),
    item("AniListだけ", "2026-01-07T14:00:00.000Z", "R/2026-01-07T14:00:00.000Z/P7D", [{ site: "mal", id: "98999" }, { site: "aniList", id: "98005" }]),
    item("長いシリーズ", "1999-10-20T10:00:00.000Z", "R/2005-01-16T10:00:00.000Z/P7D", [{ site: "mal", id: "98006" }], "2025-12-28T14:15:00.000Z"),
    item("長いシリーズ 新章", "2026-01-04T14:15:00.000Z", "R/2026-01-04T14:15:00.000Z/P7D", [{ site: "mal", id: "98006" }, { site: "crunchyroll", id: "GLONG", begin: "2026-01-04T15:00:00.000Z", broadcast: "R/2026-01-04T15:00:00.000Z/P7D" }]),
    // Nothing to join on: skipped by the loader.
    item("どこにもない", "2026-01-03T16:00:00.000Z", "R/2026-01-03T16:00:00.000Z/P7D", [{ site: "bangumi", id: "1" }]),
  ],
};

/** The catalog and the schedule as of NOW; returns the anime ids by MAL id. */
export async function loadScheduleFixture(): Promise<Record<number, number>> {
  await importEntries(env.DB, CATALOG, { source: "schedule fixture" });
  const loader = testServices({ now: () => NOW }).scheduleLoader({ invalidate: () => invalidateCache([]) });
  await loader.load(JSON.stringify(SCHEDULE), { source: "test:schedule-fixture", version: "test" });
  await invalidateCache([]);
  const ids: Record<number, number> = {};
  for (const e of CATALOG) ids[Number(/\d+$/.exec(e.sources[0])![0])] = (await idOf(e.sources[0]))!;
  return ids;
}

/** One request through the app with a fixed clock; waits for the cache writes. */
export async function at(now: number, path: string) {
  const ctx = createExecutionContext();
  const res = await createApp({ now: () => now }).fetch(new Request(BASE + path), env, ctx);
  const body = (await res.json()) as any;
  await waitOnExecutionContext(ctx);
  return { status: res.status, body, res };
}

export { mal };
