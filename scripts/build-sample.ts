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
 * The gap entry itself is built by scripts/lib/gap-entry.ts (pure, unit-tested).
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
import { gapEntry, indexArmByMal, indexBangumiByMal, type ArmRecord, type BangumiItem, type CsvRow } from "./lib/gap-entry";

const sharedArg = process.argv.indexOf("--shared");
const SHARED = resolve(sharedArg > 0 ? process.argv[sharedArg + 1] : "../shared/data");
const RELEASE = "anime-offline-database-2026-02-recovered.jsonl.gz";
const OUT = "data/sample/anime-offline-database-sample.jsonl.gz";

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

const log = (msg: string) => console.log(`sample: ${msg}`);
// The detailed export ends in a truncated record (an unclosed quote); it is skipped, not guessed.
const readCsv = (file: string): CsvRow[] => parse(readFileSync(join(SHARED, file)), { columns: true, skip_empty_lines: true, skip_records_with_error: true });
const MAL_URL = /^https:\/\/myanimelist\.net\/anime\/(\d+)$/;

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

// Cross-site ids.
const require = createRequire(import.meta.url);
const bangumiByMal = indexBangumiByMal((require("bangumi-data") as { items: BangumiItem[] }).items);
const armByMal = indexArmByMal(require("@kawaiioverflow/arm/arm.json") as ArmRecord[]);
log(`bangumi-data: ${bangumiByMal.size} MAL ids; @kawaiioverflow/arm: ${armByMal.size} MAL ids with an AniList id`);

const stats = { anilistBangumi: 0, anilistArm: 0, anilistDisagree: 0, anidbBangumi: 0, seasonFromBangumi: 0, typeFromBangumi: 0, crossIdInRelease: 0 };
const context = { releaseDate: META.lastUpdate, releaseSources };
let typedGap = 0;
for (const id of gapIds) {
  const { entry, provenance: p } = gapEntry({ id, titles: titles.get(id), detailed: detailed.get(id) }, { bangumi: bangumiByMal.get(id), arm: armByMal.get(id) }, context);
  const parsed = parseEntry(entry);
  if (!parsed.ok) throw new Error(`gap entry MAL ${id} (${entry.title}) is invalid: ${parsed.reason}`);
  if (p.anilist === "bangumi-data") stats.anilistBangumi++;
  if (p.anilist === "arm") stats.anilistArm++;
  if (p.anilistDisagree) stats.anilistDisagree++;
  if (p.anidb) stats.anidbBangumi++;
  if (p.seasonFromBangumi) stats.seasonFromBangumi++;
  if (p.typeFromBangumi) stats.typeFromBangumi++;
  stats.crossIdInRelease += p.crossIdsInRelease;
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
