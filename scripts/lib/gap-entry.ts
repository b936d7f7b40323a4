import type { OfflineDbEntry } from "../../src/catalog/entry";
import type { AnimeStatus, AnimeType, Season } from "../../src/catalog/vocabulary";

/**
 * A "gap entry" of the sample catalog (scripts/build-sample.ts): an anime the MAL 2023 CSVs
 * know and the anime-offline-database release lacks, written in the release's entry format
 * from the CSVs' facts. Cross-site ids come from bangumi-data (AniList, AniDB) and
 * @kawaiioverflow/arm (AniList); type and season/year from bangumi-data where the CSVs lack
 * them; bangumi-data's titles become synonyms. No synopsis text is ever copied.
 *
 * Pure: everything it reads is passed in, so it is tested without the CSVs or the packages.
 */

/** One CSV record, by column name. */
export type CsvRow = Record<string, string>;

/** What the MAL 2023 CSVs say about one MyAnimeList id; at least one of the two rows is given. */
export interface MalFacts {
  /** The MyAnimeList id (digits). */
  id: string;
  /** Row of mal-2023-titles-genres: anime_id, Name, Score, Genres, Episodes. */
  titles?: CsvRow;
  /** Row of mal-2023-detailed: also English name, Other name, Type, Aired, Premiered, Status, Producers, Studios, Duration, Image URL. */
  detailed?: CsvRow;
}

/** An item of bangumi-data (its `items`), as far as gap entries read it. `begin`/`end` are UTC ISO dates or "". */
export interface BangumiItem {
  title: string;
  titleTranslate?: Record<string, string[]>;
  type: string;
  begin: string;
  end: string;
  sites: { site: string; id?: string }[];
}

/** A record of @kawaiioverflow/arm's arm.json. */
export interface ArmRecord {
  mal_id?: number;
  anilist_id?: number;
}

export interface GapContext {
  /** The release's lastUpdate (YYYY-MM-DD): bangumi-data's begin/end are read against it for the status. */
  releaseDate: string;
  /** Every source URL the release lists. A cross-site URL among them is another anime's: importing it would merge two anime. */
  releaseSources: ReadonlySet<string>;
}

/** Where the entry's facts came from, for the build's summary line. */
export interface GapProvenance {
  anilist: "bangumi-data" | "arm" | null;
  /** bangumi-data and arm both name an AniList id, and different ones (bangumi-data's is kept). */
  anilistDisagree: boolean;
  anidb: boolean;
  seasonFromBangumi: boolean;
  typeFromBangumi: boolean;
  /** Cross-site URLs left out because the release gives them to another anime. */
  crossIdsInRelease: number;
}

export const NO_PIC = "https://raw.githubusercontent.com/manami-project/anime-offline-database/master/pics/no_pic.png";
export const NO_PIC_THUMB = "https://raw.githubusercontent.com/manami-project/anime-offline-database/master/pics/no_pic_thumbnail.png";

const TYPES: Record<string, AnimeType> = { TV: "TV", Movie: "MOVIE", OVA: "OVA", ONA: "ONA", Special: "SPECIAL", Music: "SPECIAL" };
const BANGUMI_TYPES: Record<string, AnimeType> = { tv: "TV", movie: "MOVIE", ova: "OVA", web: "ONA" };
const STATUSES: Record<string, AnimeStatus> = { "Finished Airing": "FINISHED", "Currently Airing": "ONGOING", "Not yet aired": "UPCOMING" };
/** Anime seasons by quarter, as the offline database counts them: January–March is WINTER. */
const QUARTER_SEASON: Season[] = ["WINTER", "SPRING", "SUMMER", "FALL"];
const MONTHS = ["Jan", "Feb", "Mar", "Apr", "May", "Jun", "Jul", "Aug", "Sep", "Oct", "Nov", "Dec"];

const known = (v: string | undefined) => (v && v !== "UNKNOWN" && v !== "Unknown" && v.trim() ? v.trim() : null);
const list = (v: string | undefined) => (known(v) ? v!.split(",").map((s) => s.trim()).filter((s) => s && s !== "add some") : []);
const lower = (xs: string[]) => [...new Set(xs.map((x) => x.toLowerCase()))];

type AnimeSeason = OfflineDbEntry["animeSeason"];
/** "spring 1998" → {SPRING, 1998}; otherwise the first date of "Aired" ("Apr 3, 1998 to …"); null when neither. */
function seasonOfCsv(d: CsvRow | undefined): AnimeSeason | null {
  const p = /^(spring|summer|fall|winter) (\d{4})$/.exec(d?.Premiered ?? "");
  if (p) return { season: p[1].toUpperCase() as Season, year: Number(p[2]) };
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
function statusOfBangumi(b: BangumiItem | undefined, releaseDate: string): AnimeStatus {
  if (b?.end && b.end.slice(0, 10) < releaseDate) return "FINISHED";
  if (b?.begin && b.begin.slice(0, 10) > releaseDate) return "UPCOMING";
  return "UNKNOWN";
}

/** "1 hr 55 min", "24 min per ep", "30 sec" → seconds. */
function duration(v: string | undefined): OfflineDbEntry["duration"] {
  const h = /(\d+) hr/.exec(v ?? ""), m = /(\d+) min/.exec(v ?? ""), s = /(\d+) sec/.exec(v ?? "");
  const secs = (h ? +h[1] * 3600 : 0) + (m ? +m[1] * 60 : 0) + (s ? +s[1] : 0);
  return secs > 0 ? { value: secs, unit: "SECONDS" } : undefined;
}

/** MyAnimeList's thumbnail beside a cover (`…/<id>.jpg` → `…/<id>t.jpg`); any other picture is its own thumbnail. */
const thumbnailOf = (picture: string) =>
  /^https:\/\/cdn\.myanimelist\.net\/images\/anime\/\d+\/\d+\.jpg$/.test(picture) ? picture.replace(/\.jpg$/, "t.jpg") : picture;

const siteId = (item: BangumiItem | undefined, site: string) => item?.sites.find((s) => s.site === site && s.id && /^\d+$/.test(s.id))?.id;

/**
 * The entry for one MyAnimeList id the release lacks. Property order is the release's, and
 * lists are sorted, so the same inputs always serialise to the same bytes. The caller
 * validates the result with the importer's parseEntry.
 */
export function gapEntry(mal: MalFacts, cross: { bangumi?: BangumiItem; arm?: ArmRecord }, context: GapContext): { entry: OfflineDbEntry; provenance: GapProvenance } {
  const { titles: t, detailed: d } = mal;
  const b = cross.bangumi;
  const title = (t?.Name ?? d?.Name ?? "").trim();
  const sources = [`https://myanimelist.net/anime/${mal.id}`];
  const provenance: GapProvenance = { anilist: null, anilistDisagree: false, anidb: false, seasonFromBangumi: false, typeFromBangumi: false, crossIdsInRelease: 0 };
  const addSource = (url: string) => {
    const free = !context.releaseSources.has(url);
    if (free) sources.push(url);
    else provenance.crossIdsInRelease++;
    return free;
  };
  const anilistB = siteId(b, "aniList"), anilistA = cross.arm?.anilist_id?.toString();
  provenance.anilistDisagree = !!anilistB && !!anilistA && anilistB !== anilistA;
  const anilist = anilistB ?? anilistA;
  if (anilist && addSource(`https://anilist.co/anime/${anilist}`)) provenance.anilist = anilistB ? "bangumi-data" : "arm";
  const anidb = siteId(b, "anidb");
  if (anidb && addSource(`https://anidb.net/anime/${anidb}`)) provenance.anidb = true;

  let animeSeason = seasonOfCsv(d);
  if (!animeSeason && (animeSeason = seasonOfBegin(b?.begin))) provenance.seasonFromBangumi = true;
  let type: AnimeType | undefined = TYPES[d?.Type ?? ""];
  if (!type && (type = BANGUMI_TYPES[b?.type ?? ""])) provenance.typeFromBangumi = true;
  const picture = known(d?.["Image URL"]) ?? NO_PIC;
  const score = Number(t?.Score ?? d?.Score);
  const episodes = Number(t?.Episodes ?? d?.Episodes);
  const bangumiTitles = b ? [b.title, ...Object.values(b.titleTranslate ?? {}).flat()] : [];
  const named = [known(d?.["English name"]), known(d?.["Other name"]), ...bangumiTitles].map((s) => s?.trim());
  const entry: OfflineDbEntry = {
    sources: sources.sort(),
    title,
    type: type ?? "UNKNOWN",
    episodes: Number.isFinite(episodes) ? Math.trunc(episodes) : 0,
    status: STATUSES[d?.Status ?? ""] ?? statusOfBangumi(b, context.releaseDate),
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
  return { entry, provenance };
}

/**
 * bangumi-data's items by MAL id. An id on several items goes to the one that began first (an
 * item without `begin` last). ISO dates compare in code-unit order: localeCompare would put "~"
 * before the digits, and depend on the machine's locale.
 */
export function indexBangumiByMal(items: readonly BangumiItem[]): Map<string, BangumiItem> {
  const begin = (i: BangumiItem) => i.begin || "~";
  const byMal = new Map<string, BangumiItem>();
  for (const item of [...items].sort((a, b) => (begin(a) < begin(b) ? -1 : begin(a) > begin(b) ? 1 : 0))) {
    const mal = item.sites.find((s) => s.site === "mal")?.id;
    if (mal && !byMal.has(mal)) byMal.set(mal, item);
  }
  return byMal;
}

/** arm's records with both a MAL and an AniList id, by MAL id; the first record of an id wins. */
export function indexArmByMal(records: readonly ArmRecord[]): Map<string, ArmRecord> {
  const byMal = new Map<string, ArmRecord>();
  for (const r of records) if (r.mal_id && r.anilist_id && !byMal.has(String(r.mal_id))) byMal.set(String(r.mal_id), r);
  return byMal;
}
