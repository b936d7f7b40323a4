/**
 * Benchmarks: sample import time, then HTTP latency/throughput of key routes beside a
 * trivial route measured in the same run (machines are noisy; compare the ratios).
 *
 *   npm start                # in another terminal: serves the sample catalog
 *   npm run bench [-- --seconds 10 --connections 10 --base http://127.0.0.1:8787]
 *
 * Rewrites the marked section of docs/benchmarks.md and prints a one-line summary.
 */
import { spawnSync } from "node:child_process";
import { mkdtempSync, rmSync } from "node:fs";
import { cpus, tmpdir, totalmem } from "node:os";
import { join } from "node:path";
import { openLocalServices } from "./lib/local-db";
import { runImport } from "./lib/run-import";
import { arg, writeBenchmarkSection } from "./lib/cli";
import { loadRoute, type RouteResult } from "./lib/route-load";

const BASE = arg("base", "http://127.0.0.1:8787");
const SECONDS = Number(arg("seconds", "10"));
const CONNECTIONS = Number(arg("connections", "10"));
const SAMPLE = "data/sample/anime-offline-database-sample.jsonl.gz";

async function benchImport() {
  const dir = mkdtempSync(join(tmpdir(), "kensho-bench-"));
  try {
    spawnSync("npx", ["wrangler", "d1", "migrations", "apply", "DB", "--local", "--persist-to", dir], { stdio: "ignore", env: { ...process.env, CI: "true" } });
    const { services, dispose } = await openLocalServices({ persistPath: join(dir, "v3"), job: "bench" });
    const first = await runImport(services, SAMPLE);
    const again = await runImport(services, SAMPLE);
    await dispose();
    return { first, again };
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}

async function benchRoute(name: string, path: string | (() => string)): Promise<RouteResult> {
  const label = typeof path === "function" ? `${path().replace(/\d+$/, "{random id}")}` : path;
  return loadRoute({ base: BASE, connections: CONNECTIONS, seconds: SECONDS, name, label, nextPath: typeof path === "function" ? path : () => path });
}

const live = await fetch(`${BASE}/health/live`).catch(() => null);
if (!live?.ok) {
  console.error(`bench: nothing answers at ${BASE}; run \`npm start\` in another terminal first`);
  process.exit(2);
}
// `npm start` imports the sample into an empty catalog, so its ids are 1…SAMPLE_SIZE; a
// missing last id means some other catalog is being served and the figures would mislead.
const SAMPLE_SIZE = 40068;
if (!(await fetch(`${BASE}/v1/anime/${SAMPLE_SIZE}?fields=id`)).ok) {
  console.error(`bench: ${BASE} does not serve the sample catalog (no anime ${SAMPLE_SIZE}); start from an empty catalog with \`npm start\``);
  process.exit(2);
}

console.log("bench: importing the sample into a scratch database…");
const imp = await benchImport();

// Cached reads: a fixed set of ids (and the two lists) asked once before their run, so every
// request of the run is a cache hit (L0, or L1 once an L0 entry's 10 s are up).
const HOT_IDS = Array.from({ length: 200 }, (_, i) => 1 + Math.floor(((i * 7919) % SAMPLE_SIZE)));
const FILTERED = "/v1/anime?genres=Sci-Fi&year_from=1998&year_to=1998&limit=20";
const DEFAULT_LIST = "/v1/anime?limit=20";
async function warm(paths: string[]): Promise<void> {
  for (const p of paths) if (!(await fetch(`${BASE}${p}`)).ok) throw new Error(`bench: warming ${p} failed`);
}
const routes: [string, string | (() => string), string[]?][] = [
  ["trivial (GET /health/live)", "/health/live"],
  ["GET /v1/anime/{id}, cached", () => `/v1/anime/${HOT_IDS[Math.floor(Math.random() * HOT_IDS.length)]}`, HOT_IDS.map((id) => `/v1/anime/${id}`)],
  ["filtered browse, cached", FILTERED, [FILTERED]],
  ["browse, default sort, cached", DEFAULT_LIST, [DEFAULT_LIST]],
  ["GET /v1/anime/{id}, mostly uncached", () => `/v1/anime/${1 + Math.floor(Math.random() * SAMPLE_SIZE)}`],
  ["trivial again (drift check)", "/health/live"],
];
const results: RouteResult[] = [];
for (const [name, path, warmUp] of routes) {
  if (warmUp) await warm(warmUp);
  process.stdout.write(`bench: ${name} for ${SECONDS} s… `);
  const r = await benchRoute(name, path);
  console.log(`${r.rps.toFixed(0)} req/s, p50 ${r.p50} ms, p95 ${r.p95} ms`);
  results.push(r);
}

// The baseline is the trivial route's mean over its two runs (first and last): the machine's
// drift during the run then weighs on every route alike.
const [first, last] = [results[0], results[results.length - 1]];
const trivial: RouteResult = { ...first, rps: (first.rps + last.rps) / 2, p50: (first.p50 + last.p50) / 2 };
const row = (r: RouteResult) =>
  `| ${r.name} | \`${r.path}\` | ${r.rps.toFixed(0)} | ${r.p50} | ${r.p95} | ${r.p99} | ${(r.rps / trivial.rps).toFixed(2)} | ${(r.p50 / trivial.p50).toFixed(2)} | ${r.errors}/${r.non2xx} |`;
const today = new Date().toISOString().slice(0, 10);
const generated = `<!-- bench:start (written by scripts/bench.ts; edit outside these markers) -->
Measured on ${today}, ${cpus().length} cores, ${Math.round(totalmem() / 2 ** 30)} GiB, Node ${process.version},
\`wrangler dev\` (local workerd, local D1) and autocannon on the same machine over 127.0.0.1.
Machines here are noisy (±30–40 %); read the **ratios** to the trivial route measured in the
same run, not the absolute numbers.

Command: \`npm start\` in one terminal, then \`npm run bench -- --seconds ${SECONDS} --connections ${CONNECTIONS}\`
(this file is written by \`scripts/bench.ts\`).

## Import of the sample catalog

| Run | Entries | Inserted | Updated | Unchanged | Invalid | Time |
| --- | --- | --- | --- | --- | --- | --- |
| First import into an empty D1 | ${imp.first.total} | ${imp.first.inserted} | ${imp.first.updated} | ${imp.first.unchanged} | ${imp.first.invalid} | ${(imp.first.durationMs / 1000).toFixed(1)} s |
| Same file again (idempotent) | ${imp.again.total} | ${imp.again.inserted} | ${imp.again.updated} | ${imp.again.unchanged} | ${imp.again.invalid} | ${(imp.again.durationMs / 1000).toFixed(1)} s |

Through wrangler's platform proxy (the \`npm run import\` path), ${imp.first.batches} atomic batches.

## HTTP routes (${CONNECTIONS} connections, ${SECONDS} s each)

| Route | Path | req/s | p50 ms | p95 ms | p99 ms | req/s ÷ trivial | p50 ÷ trivial | errors/non-2xx |
| --- | --- | --- | --- | --- | --- | --- | --- | --- |
${results.map(row).join("\n")}

The trivial route runs first and last; the difference between the two shows the drift of
the machine during the run, and the ratios (÷ trivial) are to the mean of the two. "Cached" runs ask paths that were requested once just before, so
every request is a cache hit (L0, or L1 after an L0 entry's 10 s); "mostly uncached" asks
random ids of the whole sample, so most requests reach D1.
<!-- bench:end -->`;
writeBenchmarkSection("bench", generated, "");
const by = (n: string) => results.find((r) => r.name === n)!;
console.log(
  `bench: import ${(imp.first.durationMs / 1000).toFixed(1)} s; cached /v1/anime/{id} ${(by("GET /v1/anime/{id}, cached").rps / trivial.rps).toFixed(2)}× trivial req/s, cached lists ${(by("filtered browse, cached").rps / trivial.rps).toFixed(2)}× and ${(by("browse, default sort, cached").rps / trivial.rps).toFixed(2)}× — written to docs/benchmarks.md`,
);
