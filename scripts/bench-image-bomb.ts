/**
 * What a PNG decompression bomb does to the server's memory (issue 15): the resident memory
 * (RSS) of the workerd process before, at its peak during, and after uploads to
 * POST /v1/search/image of
 *   - the bomb: a ~261 KB PNG declaring 1000×1000 RGB whose image data inflates to 256 MB
 *     (before the fix this upload took `npm start` from 854 MB to 2,376 MB);
 *   - a legal ~62 KB 16-bit RGBA PNG of 3264×2448 (8 MP: 64 MB of rows);
 *   - a small legal PNG poster, the baseline;
 * each sent alone, then the bomb 8 times at once. Both crafted files are generated here
 * (scripts/lib/png-bombs.ts). Linux only (reads /proc).
 *
 *   npx tsx scripts/bench-image-bomb.ts                       # its own wrangler dev on :8799, fresh state
 *   npx tsx scripts/bench-image-bomb.ts --url http://127.0.0.1:8787 --pid <workerd pid of npm start>
 *
 * Rewrites the bench-image-bomb section of docs/benchmarks.md (not with --print-only).
 */
import { readdirSync, readFileSync } from "node:fs";
import { cpus, totalmem } from "node:os";
import { arg, writeBenchmarkSection } from "./lib/cli";
import { startDevServer } from "./lib/dev-server";
import { bigSixteenBitPng, bombPng } from "./lib/png-bombs";
import { pngOf } from "./lib/test-images";

const PORT = Number(arg("port", "8799"));
const CONCURRENT = Number(arg("concurrent", "8"));

if (process.platform !== "linux") {
  console.error("bench-image-bomb: reads the server's memory from /proc (Linux only)");
  process.exit(2);
}

const workerdPids = (): number[] =>
  readdirSync("/proc")
    .filter((d) => /^\d+$/.test(d))
    .filter((d) => {
      try {
        return readFileSync(`/proc/${d}/comm`, "utf8").trim() === "workerd";
      } catch {
        return false;
      }
    })
    .map(Number);
/** Resident memory of the processes, in MB (VmRSS). */
const rss = (pids: number[]) =>
  pids.reduce((sum, pid) => {
    try {
      return sum + Number(/VmRSS:\s+(\d+) kB/.exec(readFileSync(`/proc/${pid}/status`, "utf8"))![1]) / 1024;
    } catch {
      return sum;
    }
  }, 0);

let base = arg("url", "");
let pids: number[] = [];
let stop = async () => {};
if (base) {
  pids = arg("pid", "").split(",").filter(Boolean).map(Number);
  if (!pids.length) {
    console.error("bench-image-bomb: with --url, name the server's workerd process with --pid (pgrep workerd lists them)");
    process.exit(2);
  }
} else {
  const before = new Set(workerdPids());
  const server = await startDevServer({ port: PORT, label: "bench-image-bomb" });
  base = server.base;
  stop = server.stop;
  pids = workerdPids().filter((p) => !before.has(p));
  if (!pids.length) {
    await stop();
    throw new Error("bench-image-bomb: could not find the workerd process of the dev server");
  }
}

const upload = async (bytes: Uint8Array) => {
  const form = new FormData();
  form.append("file", new File([bytes], "picture.png", { type: "image/png" }));
  const t = performance.now();
  const res = await fetch(`${base}/v1/search/image`, { method: "POST", body: form });
  const body = (await res.json()) as { code?: string };
  return { status: res.status, code: body.code ?? "ok", ms: performance.now() - t };
};

interface Row {
  what: string;
  bytes: number;
  answers: string;
  ms: number;
  before: number;
  peak: number;
  after: number;
}

/** Sends `count` uploads of `bytes` at once, sampling RSS every 5 ms until all have answered, then 2 s later. */
async function measure(what: string, bytes: Uint8Array, count = 1): Promise<Row> {
  await new Promise((r) => setTimeout(r, 1000));
  const before = rss(pids);
  let peak = before;
  let done = false;
  const sampler = (async () => {
    while (!done) {
      peak = Math.max(peak, rss(pids));
      await new Promise((r) => setTimeout(r, 5));
    }
  })();
  const results = await Promise.all(Array.from({ length: count }, () => upload(bytes)));
  done = true;
  await sampler;
  await new Promise((r) => setTimeout(r, 2000));
  const answers = [...new Set(results.map((r) => `${r.status} ${r.code}`))].join(", ");
  return { what, bytes: bytes.length, answers, ms: Math.max(...results.map((r) => r.ms)), before, peak: Math.max(peak, rss(pids)), after: rss(pids) };
}

const rows: Row[] = [];
try {
  const bomb = await bombPng();
  const sixteen = await bigSixteenBitPng();
  const poster = pngOf(1);
  rows.push(await measure("small PNG poster (64×96), the baseline", poster));
  rows.push(await measure("bomb: 1000×1000 declared, 256 MB of image data", bomb));
  rows.push(await measure("16-bit RGBA 3264×2448 (8 MP), legal", sixteen));
  rows.push(await measure(`bomb × ${CONCURRENT} at once`, bomb, CONCURRENT));
} finally {
  await stop();
}

const fmt = (n: number) => n.toFixed(0);
const table = [
  "| Upload | Size | Answer | Slowest answer ms | RSS before MB | Peak MB | After MB | Peak − before MB |",
  "| --- | --- | --- | --- | --- | --- | --- | --- |",
  ...rows.map((r) => `| ${r.what} | ${(r.bytes / 1024).toFixed(0)} KB | ${r.answers} | ${r.ms.toFixed(0)} | ${fmt(r.before)} | ${fmt(r.peak)} | ${fmt(r.after)} | ${fmt(r.peak - r.before)} |`),
].join("\n");
const date = new Date().toISOString().slice(0, 10);
const command = `npx tsx scripts/bench-image-bomb.ts${process.argv.slice(2).length ? ` ${process.argv.slice(2).join(" ")}` : ""}`;
const section = `<!-- bench-image-bomb:start (written by scripts/bench-image-bomb.ts; edit outside these markers) -->
Command: \`${command}\` (${date}; ${cpus().length} cores, ${(totalmem() / 1024 ** 3).toFixed(0)} GiB; ${arg("url", "") ? `against ${base}` : "a wrangler dev of its own on fresh local state"}).
Resident memory of the workerd process, sampled every 5 ms while the uploads were in flight.

${table}

Before the fix (issue 15, \`npm start\`, one bomb upload): 854 MB → 2,376 MB; the declared size
was checked, then every IDAT byte inflated. Now inflation stops one 64 KB step past the
header's exact size (src/images/embed/png-rows.ts), and pictures over 4 MP are refused from
their header.
<!-- bench-image-bomb:end -->`;
if (!process.argv.includes("--print-only")) writeBenchmarkSection("bench-image-bomb", section, "## Image decompression bombs");
console.log(table);
const bombRow = rows[1];
console.log(`bench-image-bomb: bomb answered ${bombRow.answers} in ${bombRow.ms.toFixed(0)} ms; RSS ${fmt(bombRow.before)} → peak ${fmt(bombRow.peak)} MB (+${fmt(bombRow.peak - bombRow.before)}); before the fix: 854 → 2,376 MB`);
