/**
 * Builds the repository's sample catalog, in anime-offline-database JSONL format, from the
 * facts in ../shared/data (MAL 2023 exports): every one of the 24,901 titles, with the
 * richer fields of the detailed file where it has them, and the Japanese, English and Chinese
 * titles that bangumi-data (CC-BY-4.0) lists for a MAL id as synonyms (the offline database
 * carries such titles as synonyms too). No synopsis text is copied.
 *
 *   npm run sample:build [-- --shared ../shared/data]
 *
 * Writes data/sample/anime-offline-database-sample.jsonl.gz and the small test fixture
 * test/fixtures/offline-catalog.json (minified format, MAL ids below FIXTURE_MAX_ID plus the
 * franchises of FIXTURE_FRANCHISES).
 */
import { parse } from "csv-parse/sync";
import { createRequire } from "node:module";
import { mkdirSync, readFileSync, writeFileSync } from "node:fs";
import { gzipSync } from "node:zlib";
import { join, resolve } from "node:path";

const sharedArg = process.argv.indexOf("--shared");
const SHARED = resolve(sharedArg > 0 ? process.argv[sharedArg + 1] : "../shared/data");
const OUT = "data/sample/anime-offline-database-sample.jsonl.gz";
const FIXTURE = "test/fixtures/offline-catalog.json";
const FIXTURE_MAX_ID = 400;
/** Franchises the search issue names ("rezero", "Attack on Titan", "進撃の巨人"), added whole to the fixture. */
const FIXTURE_FRANCHISES = /^(?:Re:Zero|Shingeki no Kyojin)/;
const NO_PIC = "https://raw.githubusercontent.com/manami-project/anime-offline-database/master/pics/no_pic.png";
const NO_PIC_THUMB = "https://raw.githubusercontent.com/manami-project/anime-offline-database/master/pics/no_pic_thumbnail.png";

type Row = Record<string, string>;
interface BangumiData {
  items: { title: string; titleTranslate?: Record<string, string[]>; sites: { site: string; id?: string }[] }[];
}
// The detailed export ends in a truncated record (an unclosed quote); it is skipped, not guessed.
const readCsv = (file: string): Row[] => parse(readFileSync(join(SHARED, file)), { columns: true, skip_empty_lines: true, skip_records_with_error: true });
const known = (v: string | undefined) => (v && v !== "UNKNOWN" && v !== "Unknown" && v.trim() ? v.trim() : null);
const list = (v: string | undefined) => (known(v) ? v!.split(",").map((s) => s.trim()).filter((s) => s && s !== "add some") : []);

const TYPES: Record<string, string> = { TV: "TV", Movie: "MOVIE", OVA: "OVA", ONA: "ONA", Special: "SPECIAL", Music: "SPECIAL" };
const STATUSES: Record<string, string> = { "Finished Airing": "FINISHED", "Currently Airing": "ONGOING", "Not yet aired": "UPCOMING" };
const MONTH_SEASON = ["WINTER", "WINTER", "SPRING", "SPRING", "SPRING", "SUMMER", "SUMMER", "SUMMER", "FALL", "FALL", "FALL", "WINTER"];
const MONTHS = ["Jan", "Feb", "Mar", "Apr", "May", "Jun", "Jul", "Aug", "Sep", "Oct", "Nov", "Dec"];

/** "spring 1998" → {SPRING, 1998}; otherwise the first date of "Aired" ("Apr 3, 1998 to …"). */
function season(d: Row | undefined) {
  const p = /^(spring|summer|fall|winter) (\d{4})$/.exec(d?.Premiered ?? "");
  if (p) return { season: p[1].toUpperCase(), year: Number(p[2]) };
  const a = /^(?:([A-Z][a-z]{2}) )?(?:\d{1,2}, )?(\d{4})/.exec(d?.Aired ?? "");
  if (!a) return { season: "UNDEFINED" };
  const month = a[1] ? MONTHS.indexOf(a[1]) : -1;
  return { season: month >= 0 ? MONTH_SEASON[month] : "UNDEFINED", year: Number(a[2]) };
}

/** "1 hr 55 min", "24 min per ep", "30 sec" → seconds. */
function duration(v: string | undefined) {
  const h = /(\d+) hr/.exec(v ?? ""), m = /(\d+) min/.exec(v ?? ""), s = /(\d+) sec/.exec(v ?? "");
  const secs = (h ? +h[1] * 3600 : 0) + (m ? +m[1] * 60 : 0) + (s ? +s[1] : 0);
  return secs > 0 ? { value: secs, unit: "SECONDS" } : undefined;
}

function thumbnailOf(picture: string) {
  return /^https:\/\/cdn\.myanimelist\.net\/images\/anime\/\d+\/\d+\.jpg$/.test(picture) ? picture.replace(/\.jpg$/, "t.jpg") : picture;
}

/** MAL id → titles of bangumi-data: the original (mostly Japanese) and its translations. */
const bangumi = createRequire(import.meta.url)("bangumi-data") as BangumiData;
const bangumiTitles = new Map<string, string[]>();
for (const item of bangumi.items) {
  const mal = item.sites.find((s) => s.site === "mal")?.id;
  if (!mal) continue;
  const names = [item.title, ...Object.values(item.titleTranslate ?? {}).flat()].map((s) => s.trim()).filter(Boolean);
  bangumiTitles.set(mal, [...(bangumiTitles.get(mal) ?? []), ...names]);
}

const detailed = new Map(readCsv("mal-2023-detailed-1822.csv").map((r) => [r.anime_id, r]));
const titles = readCsv("mal-2023-titles-genres-24901.csv");

const entries = titles.map((t) => {
  const d = detailed.get(t.anime_id);
  const title = t.Name.trim();
  const picture = known(d?.["Image URL"]) ?? NO_PIC;
  const score = Number(t.Score);
  const episodes = Number(t.Episodes);
  const named = [known(d?.["English name"]), known(d?.["Other name"]), ...(bangumiTitles.get(t.anime_id) ?? [])];
  const synonyms = [...new Set(named.filter((s): s is string => !!s && s !== title))];
  const lower = (xs: string[]) => [...new Set(xs.map((x) => x.toLowerCase()))];
  return {
    sources: [`https://myanimelist.net/anime/${t.anime_id}`],
    title,
    type: TYPES[d?.Type ?? ""] ?? "UNKNOWN",
    episodes: Number.isFinite(episodes) ? Math.trunc(episodes) : 0,
    status: STATUSES[d?.Status ?? ""] ?? "UNKNOWN",
    animeSeason: season(d),
    picture,
    thumbnail: picture === NO_PIC ? NO_PIC_THUMB : thumbnailOf(picture),
    duration: duration(d?.Duration),
    score: Number.isFinite(score) ? { arithmeticGeometricMean: score, arithmeticMean: score, median: score } : undefined,
    synonyms,
    studios: lower(list(d?.Studios)),
    producers: lower(list(d?.Producers)),
    relatedAnime: [],
    tags: lower(list(t.Genres)),
  };
});

const meta = {
  $schema: "https://github.com/manami-project/anime-offline-database/raw/master/schemas/anime-offline-database.jsonl.schema.json",
  license: { name: "Kensho sample catalog: facts derived from public MAL 2023 exports", url: "https://myanimelist.net" },
  repository: "kensho/data/sample",
  scoreRange: { minInclusive: 1, maxInclusive: 10 },
  lastUpdate: "2023-12-31",
};

mkdirSync("data/sample", { recursive: true });
const jsonl = [meta, ...entries].map((o) => JSON.stringify(o)).join("\n") + "\n";
writeFileSync(OUT, gzipSync(jsonl, { level: 9 }));

const fixture = entries.filter((e) => Number(e.sources[0].split("/").pop()) < FIXTURE_MAX_ID || FIXTURE_FRANCHISES.test(e.title));
writeFileSync(FIXTURE, JSON.stringify({ ...meta, data: fixture }));
console.log(`sample: ${entries.length} entries (${detailed.size} detailed) → ${OUT}; fixture: ${fixture.length} entries → ${FIXTURE}`);
