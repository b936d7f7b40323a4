/**
 * Schedule benchmark: p95 of the airing-schedule routes beside a browse list, in the same run
 * (target: schedule p95 within 1.5× of the browse list's), with the trivial route first and
 * last to show the machine's drift.
 *
 *   npm start                      # in another terminal (loads the schedule from the installed package)
 *   npm run bench:schedule [-- --seconds 10 --connections 10 --base http://127.0.0.1:8787]
 *
 * Pairs, each measured after its paths were asked once (so the run measures served answers,
 * as users of a popular window see them): one week's schedule vs one browse page; 112 windows
 * (28 start dates × 4 zones) vs 112 browse pages; one anime's schedule vs that anime. Rewrites
 * the bench-schedule section of docs/benchmarks.md and prints a one-line summary.
 */
import { cpus, totalmem } from "node:os";
import { arg, writeBenchmarkSection } from "./lib/cli";
import { loadRoute, type RouteResult } from "./lib/route-load";

const BASE = arg("base", "http://127.0.0.1:8787");
const SECONDS = Number(arg("seconds", "10"));
const CONNECTIONS = Number(arg("connections", "10"));
const TARGET = 1.5;

async function measure(name: string, paths: string[]): Promise<RouteResult> {
  for (const p of paths) {
    const res = await fetch(BASE + p);
    if (!res.ok) throw new Error(`bench:schedule: warming ${p} answered ${res.status}: ${(await res.text()).slice(0, 200)}`);
  }
  let i = 0;
  const label = paths.length === 1 ? paths[0] : `${paths[0]} … (${paths.length} paths)`;
  const r = await loadRoute({ base: BASE, connections: CONNECTIONS, seconds: SECONDS, name, label, nextPath: () => paths[i++ % paths.length] });
  console.log(`bench:schedule: ${name}: ${r.rps.toFixed(0)} req/s, p50 ${r.p50} ms, p95 ${r.p95} ms`);
  return r;
}

if (!(await fetch(`${BASE}/health/live`).catch(() => null))?.ok) {
  console.error(`bench:schedule: nothing answers at ${BASE}; run \`npm start\` first`);
  process.exit(2);
}
const probe = await fetch(`${BASE}/v1/schedule?tz=UTC&date=2026-04-20`);
if (!probe.ok) {
  console.error(`bench:schedule: GET /v1/schedule answered ${probe.status} (is the schedule loaded? \`npm start\` or \`npm run schedule:load\`)`);
  process.exit(2);
}
const source = ((await probe.json()) as { source: { version: string } }).source;
const lookup = (await (await fetch(`${BASE}/v1/anime/lookup?site=myanimelist&id=21`)).json()) as { id?: number };
const onePiece = lookup.id ?? 1;

const ZONES = ["America/New_York", "Europe/London", "Asia/Tokyo", "America/Los_Angeles"];
const DATES = Array.from({ length: 28 }, (_, d) => new Date(Date.UTC(2026, 3, 6 + d)).toISOString().slice(0, 10));
const WINDOWS = ZONES.flatMap((tz) => DATES.map((date) => `/v1/schedule?tz=${tz}&date=${date}`));
const BROWSES = Array.from({ length: WINDOWS.length }, (_, i) => `/v1/anime?year_from=${1990 + (i % 37)}&year_to=${1990 + (i % 37)}&sort=${["score", "year", "popularity"][i % 3]}&limit=50`);

const results: RouteResult[] = [];
results.push(await measure("trivial (GET /health/live)", ["/health/live"]));
const browse = await measure("browse list, one page", ["/v1/anime?limit=50"]);
const week = await measure("schedule, one week", ["/v1/schedule?tz=America/New_York&date=2026-04-20&limit=50"]);
const browses = await measure("browse lists, 112 pages", BROWSES);
const windows = await measure("schedules, 112 windows", WINDOWS);
const anime = await measure("GET /v1/anime/{id}", [`/v1/anime/${onePiece}`]);
const animeSchedule = await measure("GET /v1/anime/{id}/schedule", [`/v1/anime/${onePiece}/schedule?tz=America/New_York`]);
results.push(browse, week, browses, windows, anime, animeSchedule);
results.push(await measure("trivial again (drift check)", ["/health/live"]));

const pairs: [string, RouteResult, RouteResult][] = [
  ["one week vs one browse page", week, browse],
  ["112 windows vs 112 browse pages", windows, browses],
  ["anime schedule vs anime", animeSchedule, anime],
];
const ratio = (a: RouteResult, b: RouteResult) => a.p95 / b.p95;
const row = (r: RouteResult) => `| ${r.name} | \`${r.path}\` | ${r.rps.toFixed(0)} | ${r.p50} | ${r.p95} | ${r.p99} | ${r.errors}/${r.non2xx} |`;
const today = new Date().toISOString().slice(0, 10);
const section = `<!-- bench-schedule:start (written by scripts/bench-schedule.ts; edit outside these markers) -->
Measured on ${today}, ${cpus().length} cores, ${Math.round(totalmem() / 2 ** 30)} GiB, Node ${process.version}: \`wrangler dev\` (local workerd,
local D1 with the sample catalog and bangumi-data ${source.version}) and autocannon on the same machine,
${CONNECTIONS} connections, ${SECONDS} s per route. Every path was asked once before its run: the figures are
served answers (cache hits), the common case of a schedule page. Target: schedule p95 within ${TARGET}× of a browse list's.

Command: \`npm run bench:schedule -- --seconds ${SECONDS} --connections ${CONNECTIONS}\`

| Route | Path | req/s | p50 ms | p95 ms | p99 ms | errors/non-2xx |
| --- | --- | --- | --- | --- | --- | --- |
${results.map(row).join("\n")}

| Pair (same run) | p95 ratio | Within ${TARGET}× |
| --- | --- | --- |
${pairs.map(([name, a, b]) => `| ${name} | ${ratio(a, b).toFixed(2)} | ${ratio(a, b) <= TARGET ? "yes" : "**no**"} |`).join("\n")}
<!-- bench-schedule:end -->`;
writeBenchmarkSection("bench-schedule", section, "## Airing schedules");
console.log(`bench:schedule: p95 ratios ${pairs.map(([name, a, b]) => `${name} ${ratio(a, b).toFixed(2)}×`).join(", ")} (target ≤ ${TARGET}×) — written to docs/benchmarks.md`);
