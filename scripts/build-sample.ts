/**
 * Builds the repository's sample catalog: an anime-offline-database JSONL release
 * (metadata line, then one entry per line, gzipped). This script is the ODbL "method of
 * making the alterations" (see data/sample/LICENSE.md):
 *
 *  1. every entry of the anime-offline-database 2026-02 release as recovered in
 *     ../shared/data (39,607 entries, copied byte for byte);
 *  2. plus one entry, in the release's entry format, for each MyAnimeList id of the MAL 2023
 *     files that the recovered release lacks, built from the CSVs' facts (title, type,
 *     episodes, status, season/year, duration, score, genres as tags, studios, producers,
 *     picture). No synopsis text is ever copied.
 *     Cross-site source URLs come from bangumi-data (CC BY 4.0: AniList, AniDB) and
 *     @kawaiioverflow/arm (MIT: AniList); type and season/year from bangumi-data where the
 *     CSVs lack them; its titles become synonyms.
 *
 * Every entry is checked with the importer's validation (src/catalog/entry.ts, which follows
 * the official jsonl schema); an invalid gap entry fails the build. Output is sorted and
 * stable, so a rebuild gives identical bytes. Test fixtures are left alone.
 *
 *   npm run sample:build [-- --shared ../shared/data]
 */
import { parse } from "csv-parse/sync";
import { createRequire } from "node:module";
import { mkdirSync, readFileSync, writeFileSync } from "node:fs";
import { gunzipSync, gzipSync } from "node:zlib";
import { join, resolve } from "node:path";
import { parseEntry } from "../src/catalog/entry";

const sharedArg = process.argv.indexOf("--shared");
const SHARED = resolve(sharedArg > 0 ? process.argv[sharedArg + 1] : "../shared/data");
const RELEASE = "anime-offline-database-2026-02-recovered.jsonl.gz";
const OUT = "data/sample/anime-offline-database-sample.jsonl.gz";
const NO_PIC = "https://raw.githubusercontent.com/manami-project/anime-offline-database/master/pics/no_pic.png";
const NO_PIC_THUMB = "https://raw.githubusercontent.com/manami-project/anime-offline-database/master/pics/no_pic_thumbnail.png";

/** The metadata line as the official .jsonl release has it; lastUpdate is fixed so rebuilds are identical. */
const META = {
  $schema: "https://raw.githubusercontent.com/manami-project/anime-offline-database/refs/heads/master/schemas/anime-offline-database.jsonl.schema.json",
  license: {
    name: "Open Data Commons Open Database License (ODbL) v1.0 + Database Contents License (DbCL) v1.0",
    url: "https://github.com/manami-project/anime-offline-database/blob/master/LICENSE",
  },
  repository: "https://github.com/manami-project/anime-offline-database",
  scoreRange: { minInclusive: 1.0, maxInclusive: 10.0 },
  lastUpdate: "2026-02-07",
};

type Row = Record<string, string>;
interface BangumiItem {
  title: string;
  titleTranslate?: Record<string, string[]>;
  type: string;
  begin: string;
  end: string;
  sites: { site: string; id?: string }[];
}
interface ArmRow {
  mal_id?: number;
  anilist_id?: number;
}

const log = (msg: string) => console.log(`sample: ${msg}`);
// The detailed export ends in a truncated record (an unclosed quote); it is skipped, not guessed.
const readCsv = (file: string): Row[] => parse(readFileSync(join(SHARED, file)), { columns: true, skip_empty_lines: true, skip_records_with_error: true });
const known = (v: string | undefined) => (v && v !== "UNKNOWN" && v !== "Unknown" && v.trim() ? v.trim() : null);
const list = (v: string | undefined) => (known(v) ? v!.split(",").map((s) => s.trim()).filter((s) => s && s !== "add some") : []);
const lower = (xs: string[]) => [...new Set(xs.map((x) => x.toLowerCase()))];
const MAL_URL = /^https:\/\/myanimelist\.net\/anime\/(\d+)$/;

const TYPES: Record<string, string> = { TV: "TV", Movie: "MOVIE", OVA: "OVA", ONA: "ONA", Special: "SPECIAL", Music: "SPECIAL" };
const BANGUMI_TYPES: Record<string, string> = { tv: "TV", movie: "MOVIE", ova: "OVA", web: "ONA" };
const STATUSES: Record<string, string> = { "Finished Airing": "FINISHED", "Currently Airing": "ONGOING", "Not yet aired": "UPCOMING" };
/** Anime seasons by quarter, as the offline database counts them: January–March is WINTER. */
const QUARTER_SEASON = ["WINTER", "SPRING", "SUMMER", "FALL"];
const MONTHS = ["Jan", "Feb", "Mar", "Apr", "May", "Jun", "Jul", "Aug", "Sep", "Oct", "Nov", "Dec"];

type AnimeSeason = { season: string; year?: number };
/** "spring 1998" → {SPRING, 1998}; otherwise the first date of "Aired" ("Apr 3, 1998 to …"); null when neither. */
function seasonOfCsv(d: Row | undefined): AnimeSeason | null {
  const p = /^(spring|summer|fall|winter) (\d{4})$/.exec(d?.Premiered ?? "");
  if (p) return { season: p[1].toUpperCase(), year: Number(p[2]) };
  const a = /^(?:([A-Z][a-z]{2}) )?(?:\d{1,2}, )?(\d{4})/.exec(d?.Aired ?? "");
  if (!a) return null;
  const month = a[1] ? MONTHS.indexOf(a[1]) : -1;
  return { season: month >= 0 ? QUARTER_SEASON[Math.floor(month / 3)] : "UNDEFINED", year: Number(a[2]) };
}

/** bangumi-data's `begin` is UTC; the season is read in Japan time (UTC+9), where the anime airs. */
function seasonOfBegin(begin: string | undefined): AnimeSeason | null {
  const t = Date.parse(begin ?? "");
  if (!Number.isFinite(t)) return null;
  const jst = new Date(t + 9 * 3600_000);
  return { season: QUARTER_SEASON[Math.floor(jst.getUTCMonth() / 3)], year: jst.getUTCFullYear() };
}

/** FINISHED when bangumi-data's `end` is before the release date, UPCOMING when `begin` is after it; else UNKNOWN. */
function statusOfBangumi(b: BangumiItem | undefined) {
  if (b?.end && b.end.slice(0, 10) < META.lastUpdate) return "FINISHED";
  if (b?.begin && b.begin.slice(0, 10) > META.lastUpdate) return "UPCOMING";
  return "UNKNOWN";
}

/** "1 hr 55 min", "24 min per ep", "30 sec" → seconds. */
function duration(v: string | undefined) {
  const h = /(\d+) hr/.exec(v ?? ""), m = /(\d+) min/.exec(v ?? ""), s = /(\d+) sec/.exec(v ?? "");
  const secs = (h ? +h[1] * 3600 : 0) + (m ? +m[1] * 60 : 0) + (s ? +s[1] : 0);
  return secs > 0 ? { value: secs, unit: "SECONDS" } : undefined;
}

const thumbnailOf = (picture: string) =>
  /^https:\/\/cdn\.myanimelist\.net\/images\/anime\/\d+\/\d+\.jpg$/.test(picture) ? picture.replace(/\.jpg$/, "t.jpg") : picture;

// 1. The release: kept line for line; its MAL ids and all its source URLs are noted.
log(`reading ${join(SHARED, RELEASE)}`);
const releaseLines = gunzipSync(readFileSync(join(SHARED, RELEASE))).toString("utf8").split("\n").filter((l) => l.trim());
if (releaseLines[0] && !("sources" in JSON.parse(releaseLines[0]))) throw new Error("the release starts with a metadata line; expected entries only");
const releaseMal = new Set<string>();
const releaseSources = new Set<string>();
const lines: { key: string; line: string }[] = [];
let releaseInvalid = 0;
for (const line of releaseLines) {
  const raw = JSON.parse(line) as { title: string; sources: string[] };
  if (!parseEntry(raw).ok) releaseInvalid++;
  for (const url of raw.sources) {
    releaseSources.add(url);
    const mal = MAL_URL.exec(url)?.[1];
    if (mal) releaseMal.add(mal);
  }
  lines.push({ key: `${raw.title}\u0000${raw.sources[0] ?? ""}`, line });
}
log(`release: ${lines.length} entries (${releaseInvalid} the importer rejects), ${releaseMal.size} MyAnimeList ids`);

// 2. The MAL 2023 facts, for the ids the release lacks.
const detailed = new Map(readCsv("mal-2023-detailed-1822.csv").map((r) => [r.anime_id, r]));
const titles = new Map(readCsv("mal-2023-titles-genres-24901.csv").map((r) => [r.anime_id, r]));
const gapIds = [...new Set([...titles.keys(), ...detailed.keys()])].filter((id) => /^\d+$/.test(id) && !releaseMal.has(id)).sort((a, b) => Number(a) - Number(b));
log(`MAL 2023: ${titles.size} titles, ${detailed.size} detailed; ${gapIds.length} ids missing from the release`);

// Cross-site ids. bangumi-data may list a MAL id on several items: the earliest begin wins.
const require = createRequire(import.meta.url);
const bangumi = (require("bangumi-data") as { items: BangumiItem[] }).items;
const bangumiByMal = new Map<string, BangumiItem>();
for (const item of [...bangumi].sort((a, b) => (a.begin || "~").localeCompare(b.begin || "~"))) {
  const mal = item.sites.find((s) => s.site === "mal")?.id;
  if (mal && !bangumiByMal.has(mal)) bangumiByMal.set(mal, item);
}
const armAnilist = new Map<string, number>();
for (const row of require("@kawaiioverflow/arm/arm.json") as ArmRow[]) {
  if (row.mal_id && row.anilist_id && !armAnilist.has(String(row.mal_id))) armAnilist.set(String(row.mal_id), row.anilist_id);
}
log(`bangumi-data: ${bangumiByMal.size} MAL ids; @kawaiioverflow/arm: ${armAnilist.size} MAL ids with an AniList id`);

const stats = { anilistBangumi: 0, anilistArm: 0, anilistDisagree: 0, anidbBangumi: 0, seasonFromBangumi: 0, typeFromBangumi: 0, crossIdInRelease: 0 };
const siteId = (item: BangumiItem | undefined, site: string) => item?.sites.find((s) => s.site === site && s.id && /^\d+$/.test(s.id))?.id;

function gapEntry(id: string) {
  const t = titles.get(id), d = detailed.get(id), b = bangumiByMal.get(id);
  const title = (t?.Name ?? d!.Name).trim();
  const sources = [`https://myanimelist.net/anime/${id}`];
  /** A cross-site URL the release already gives to another anime would merge two anime on import: left out. */
  const addSource = (url: string) => {
    if (releaseSources.has(url)) stats.crossIdInRelease++;
    else sources.push(url);
    return !releaseSources.has(url);
  };
  const anilistB = siteId(b, "aniList"), anilistA = armAnilist.get(id)?.toString();
  if (anilistB && anilistA && anilistB !== anilistA) stats.anilistDisagree++;
  const anilist = anilistB ?? anilistA;
  if (anilist && addSource(`https://anilist.co/anime/${anilist}`)) stats[anilistB ? "anilistBangumi" : "anilistArm"]++;
  const anidb = siteId(b, "anidb");
  if (anidb && addSource(`https://anidb.net/anime/${anidb}`)) stats.anidbBangumi++;

  let animeSeason = seasonOfCsv(d);
  if (!animeSeason && (animeSeason = seasonOfBegin(b?.begin))) stats.seasonFromBangumi++;
  let type = TYPES[d?.Type ?? ""];
  if (!type && (type = BANGUMI_TYPES[b?.type ?? ""])) stats.typeFromBangumi++;
  const picture = known(d?.["Image URL"]) ?? NO_PIC;
  const score = Number(t?.Score ?? d?.Score);
  const episodes = Number(t?.Episodes ?? d?.Episodes);
  const bangumiTitles = b ? [b.title, ...Object.values(b.titleTranslate ?? {}).flat()] : [];
  const named = [known(d?.["English name"]), known(d?.["Other name"]), ...bangumiTitles].map((s) => s?.trim());
  return {
    sources: sources.sort(),
    title,
    type: type ?? "UNKNOWN",
    episodes: Number.isFinite(episodes) ? Math.trunc(episodes) : 0,
    status: STATUSES[d?.Status ?? ""] ?? statusOfBangumi(b),
    animeSeason: animeSeason ?? { season: "UNDEFINED" },
    picture,
    thumbnail: picture === NO_PIC ? NO_PIC_THUMB : thumbnailOf(picture),
    duration: duration(d?.Duration),
    score: Number.isFinite(score) && score >= 1 ? { arithmeticGeometricMean: score, arithmeticMean: score, median: score } : undefined,
    synonyms: [...new Set(named.filter((s): s is string => !!s && s !== title))].sort(),
    studios: lower(list(d?.Studios)).sort(),
    producers: lower(list(d?.Producers)).sort(),
    relatedAnime: [],
    tags: lower(list(t?.Genres ?? d?.Genres)).sort(),
  };
}

let typedGap = 0;
for (const id of gapIds) {
  const entry = gapEntry(id);
  const parsed = parseEntry(entry);
  if (!parsed.ok) throw new Error(`gap entry MAL ${id} (${entry.title}) is invalid: ${parsed.reason}`);
  if (entry.type !== "UNKNOWN" && entry.animeSeason.year) typedGap++;
  lines.push({ key: `${entry.title}\u0000${entry.sources[0]}`, line: JSON.stringify(entry) });
}
log(`gap entries: ${gapIds.length}, all valid; ${typedGap} with a type and a year`);

// 3. Sorted by title, then first source (code-unit order: stable on every machine), gzipped.
lines.sort((a, b) => (a.key < b.key ? -1 : a.key > b.key ? 1 : 0));
const jsonl = [JSON.stringify(META), ...lines.map((l) => l.line)].join("\n") + "\n";
mkdirSync("data/sample", { recursive: true });
const gz = gzipSync(jsonl, { level: 9 });
writeFileSync(OUT, gz);
log(`wrote ${OUT} (${(gz.length / 1e6).toFixed(1)} MB); test fixtures untouched`);
console.log(
  `sample: ${lines.length} entries = ${releaseLines.length} from the release + ${gapIds.length} gap entries; ` +
    `AniList ids ${stats.anilistBangumi} from bangumi-data + ${stats.anilistArm} from @kawaiioverflow/arm (${stats.anilistDisagree} disagreeing, bangumi-data kept), ` +
    `AniDB ids ${stats.anidbBangumi} from bangumi-data, ${stats.crossIdInRelease} cross-site ids left out (already another release entry's); ` +
    `season/year ${stats.seasonFromBangumi} and type ${stats.typeFromBangumi} from bangumi-data`,
);
