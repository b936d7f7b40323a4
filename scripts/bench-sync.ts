/**
 * How long a sync takes, end to end through the Worker (POST /v1/admin/sync → the driver
 * object's alarms → D1), on fresh local state so the dev catalog is untouched:
 *  1. the 40,068-entry sample into an empty catalog;
 *  2. a synthetic 40,000-entry release (the sample plus 15,099 derived entries with new ids)
 *     into an empty catalog;
 *  3. then an incremental run of that release with 500 entries changed.
 * Beside each: GET /health/live p50 on the same server just before, as the trivial baseline.
 *
 *   npm run bench:sync                      # with npm start NOT running (port 8796)
 *
 * Rewrites the bench-sync section of docs/benchmarks.md; ends with a one-line summary.
 */
import { gunzipSync } from "node:zlib";
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { writeBenchmarkSection } from "./lib/cli";
import { startDevServer } from "./lib/dev-server";
import { serveFile } from "./lib/serve-file";
import { runSummary, runSync } from "./lib/sync-run";
import { localAdminToken } from "./lib/admin-token";

const SAMPLE = "data/sample/anime-offline-database-sample.jsonl.gz";
const PORT = 8796;
const token = localAdminToken().token;

if ((await fetch("http://127.0.0.1:8787/health/live").catch(() => null))?.ok) {
  console.error("bench:sync: stop `npm start` first (both would share the machine's 2 cores)");
  process.exit(2);
}

// The releases: the sample as it ships, a 40,000-entry one derived from it, and that one with 500 changes.
const dir = mkdtempSync(join(tmpdir(), "kensho-bench-sync-files-"));
const lines = gunzipSync(readFileSync(SAMPLE)).toString("utf8").split("\n").filter((l) => l.trim());
const entries = lines.slice(1).map((l) => JSON.parse(l) as Record<string, any>);
const meta = (lastUpdate: string) => JSON.stringify({ ...JSON.parse(lines[0]), lastUpdate });
const synthetic = Array.from({ length: 40_000 - entries.length }, (_, i) => {
  const base = entries[i % entries.length];
  return { ...base, sources: [`https://myanimelist.net/anime/${900_000 + i}`], title: `${base.title} (synthetic ${i})`, relatedAnime: [] };
});
const big = [...entries, ...synthetic];
const changed = big.map((e, i) => (i % 80 === 7 && i / 80 < 500 ? { ...e, title: `${e.title} (changed)` } : e));
const write = (name: string, lastUpdate: string, list: object[]) => {
  const path = join(dir, name);
  writeFileSync(path, [meta(lastUpdate), ...list.map((e) => JSON.stringify(e))].join("\n") + "\n");
  return path;
};
const files = { big: write("release-40000.jsonl", "2030-01-05", big), changed: write("release-40000-500-changed.jsonl", "2030-01-12", changed) };
console.log(`bench:sync: releases written (${entries.length}, ${big.length}, ${big.length} with ${changed.filter((e, i) => e !== big[i]).length} changed)`);

async function trivialP50(base: string): Promise<number> {
  const ms: number[] = [];
  for (let i = 0; i < 200; i++) {
    const t = performance.now();
    await (await fetch(`${base}/health/live`)).arrayBuffer();
    ms.push(performance.now() - t);
  }
  return ms.sort((a, b) => a - b)[100];
}

interface Row {
  label: string;
  run: any;
  wallMs: number;
  trivialMs: number;
}
async function measure(base: string, label: string, path: string): Promise<Row> {
  const trivialMs = await trivialP50(base);
  const served = await serveFile(path);
  const t = performance.now();
  try {
    const run = await runSync(base, token, served.url, (l) => process.stdout.write(`\r${l}`));
    process.stdout.write("\n");
    if (run.status !== "succeeded") throw new Error(`bench:sync: ${label}: ${runSummary(run)}`);
    console.log(`bench:sync: ${label}: ${runSummary(run)}`);
    return { label, run, wallMs: performance.now() - t, trivialMs };
  } finally {
    served.close();
  }
}

const rows: Row[] = [];
try {
  const a = await startDevServer({ port: PORT, label: "bench-sync" });
  try {
    rows.push(await measure(a.base, `sample (${entries.length}) into an empty catalog`, SAMPLE));
  } finally {
    await a.stop();
  }
  const b = await startDevServer({ port: PORT, label: "bench-sync" });
  try {
    rows.push(await measure(b.base, `synthetic ${big.length} into an empty catalog`, files.big));
    rows.push(await measure(b.base, `incremental: ${big.length} with 500 changed`, files.changed));
  } finally {
    await b.stop();
  }
} finally {
  rmSync(dir, { recursive: true, force: true });
}

const s = (ms: number) => (ms / 1000).toFixed(1);
const section = `<!-- bench-sync:start (written by scripts/bench-sync.ts; edit outside these markers) -->
Command: \`npm run bench:sync\` (${new Date().toISOString().slice(0, 10)}), with \`npm start\` stopped: a \`wrangler dev\` on fresh local state
per catalog, each release served from 127.0.0.1 and synced through \`POST /v1/admin/sync\` (staging in R2, chunks of 250 applied by the
driver object's alarms). Run time is the run record's \`duration_ms\`; wall time includes the client's polling.

| Run | entries | added | updated | unchanged | run time s | wall s | entries/s | trivial route p50 ms |
| --- | --- | --- | --- | --- | --- | --- | --- | --- |
${rows.map((r) => `| ${r.label} | ${r.run.counts.read} | ${r.run.counts.added} | ${r.run.counts.updated} | ${r.run.counts.skipped} | ${s(r.run.duration_ms)} | ${s(r.wallMs)} | ${Math.round(r.run.counts.read / (r.run.duration_ms / 1000))} | ${r.trivialMs.toFixed(2)} |`).join("\n")}
<!-- bench-sync:end -->`;
writeBenchmarkSection("bench-sync", section, "## Sync");
console.log(`bench:sync: ${rows.map((r) => `${r.label} ${s(r.run.duration_ms)} s`).join("; ")} — written to docs/benchmarks.md`);
