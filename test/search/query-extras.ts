import { env } from "cloudflare:workers";
import { importEntries } from "../helpers";
import { entry } from "../sync/fixtures";

/**
 * Entries the /v1/query route tests add to the fixture, which has no mecha or time-travel tags
 * and lists every anime on one site: mecha of 1995 and 2005, a shoujo comedy of 1996 (the "90s mecha" once found Kodomo no
 * Omocha), a time-travel drama, a Gundam listed on ten sites with a low score (popular, not
 * best) and an anime tagged "demon" (a tag that is also a title word).
 */
const score = (s: number) => ({ arithmeticGeometricMean: s, arithmeticMean: s, median: s });
const SITES = ["anilist.co", "kitsu.app", "anime-planet.com", "anidb.net", "animenewsnetwork.com", "livechart.me", "notify.moe", "anisearch.com", "simkl.com"];
export const EXTRA = [
  entry(990401, { title: "Test Mecha Nineties", animeSeason: { season: "SPRING", year: 1995 }, tags: ["mecha", "sci-fi"], score: score(7.5) }),
  entry(990402, { title: "Test Mecha Oughts", animeSeason: { season: "FALL", year: 2005 }, tags: ["giant robots", "action"], score: score(8.2) }),
  entry(990403, { title: "Kodomo no Omocha", animeSeason: { season: "SPRING", year: 1996 }, episodes: 102, tags: ["comedy", "romance", "shoujo"], score: score(8.1) }),
  entry(990404, { title: "Test Time Travel", animeSeason: { season: "SUMMER", year: 2003 }, tags: ["time travel", "drama"], score: score(7.9) }),
  entry(990405, {
    title: "Kidou Senshi Gundam Everywhere",
    sources: ["https://myanimelist.net/anime/990405", ...SITES.map((host, i) => `https://${host}/anime/${990405 + i}`)],
    animeSeason: { season: "WINTER", year: 2004 },
    tags: ["sci-fi", "drama"],
    score: score(6.1),
  }),
  entry(990406, { title: "Test Demon Hunters", animeSeason: { season: "WINTER", year: 2002 }, tags: ["demon", "action"], score: score(7) }),
];

/** Imports EXTRA (after the fixture). */
export const importQueryExtras = () => importEntries(env.DB, EXTRA, { source: "query-extras" });

