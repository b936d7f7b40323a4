/**
 * Image ingestion throughput and image-search latency, through the Worker, on fresh local
 * state (the dev catalog is untouched):
 *  1. a release of N anime whose pictures and thumbnails are on a loopback image server is
 *     synced in; POST /v1/admin/images/ingest runs until nothing is pending → images/s;
 *  2. GET /images/{key}: one 200, 304 and 206 each, checked;
 *  3. sequential POST /v1/search/image uploads (each poster at half size, re-encoded) beside
 *     GET /health/live in the same run → p50/p95 and the ratio, plus how often the poster's
 *     own anime came first.
 *
 *   npm run bench:images [-- --anime 400 --searches 200]     # with npm start NOT running
 *
 * Rewrites the bench-images section of docs/benchmarks.md; ends with a one-line summary.
 */
import { mkdtempSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import jpeg from "jpeg-js";
import { arg, writeBenchmarkSection } from "./lib/cli";
import { startDevServer } from "./lib/dev-server";
import { serveFile } from "./lib/serve-file";
import { runSync } from "./lib/sync-run";
import { localAdminToken } from "./lib/admin-token";
import { jpegOf, startImageServer, testImage } from "./lib/test-images";

const ANIME = Number(arg("anime", "400"));
const SEARCHES = Number(arg("searches", "200"));
const PORT = 8797;
const token = localAdminToken().token;
const auth = { Authorization: `Bearer ${token}` };

if ((await fetch("http://127.0.0.1:8787/health/live").catch(() => null))?.ok) {
  console.error("bench:images: stop `npm start` first (both would share the machine's 2 cores)");
  process.exit(2);
}

const images = await startImageServer();
const dir = mkdtempSync(join(tmpdir(), "kensho-bench-images-"));
const release = join(dir, "release.jsonl");
writeFileSync(
  release,
  [
    JSON.stringify({ lastUpdate: "2030-01-05" }),
    ...Array.from({ length: ANIME }, (_, i) =>
      JSON.stringify({
        sources: [`https://myanimelist.net/anime/${800_000 + i}`], title: `Bench Poster ${i}`, type: "TV", episodes: 12, status: "FINISHED",
        animeSeason: { season: "SPRING", year: 2001 }, picture: `${images.base}/good/${i}.jpg`, thumbnail: `${images.base}/png/${i}.png`,
        synonyms: [], studios: [], producers: [], relatedAnime: [], tags: [],
      }),
    ),
  ].join("\n") + "\n",
);

const pct = (xs: number[], p: number) => [...xs].sort((a, b) => a - b)[Math.min(xs.length - 1, Math.floor((p / 100) * xs.length))];
const halfSize = (n: number) => {
  const w = 32;
  const h = 48;
  const full = testImage(n);
  const data = new Uint8Array(w * h * 4);
  for (let y = 0; y < h; y++) for (let x = 0; x < w; x++) for (let c = 0; c < 4; c++) data[(y * w + x) * 4 + c] = full[((2 * y) * 64 + 2 * x) * 4 + c];
  return new Uint8Array(jpeg.encode({ data, width: w, height: h }, 60).data);
};

const server = await startDevServer({ port: PORT, label: "bench-images" });
let section = "";
try {
  const served = await serveFile(release);
  const run = await runSync(server.base, token, served.url, () => {});
  served.close();
  if (run.status !== "succeeded") throw new Error(`bench:images: the sync failed: ${run.error}`);
  console.log(`bench:images: ${run.counts.added} anime synced in`);

  const t0 = performance.now();
  const total = { stored: 0, deduplicated: 0, failed: 0, dead: 0 };
  for (;;) {
    const r = (await (await fetch(`${server.base}/v1/admin/images/ingest?limit=200`, { method: "POST", headers: auth })).json()) as any;
    for (const k of Object.keys(total) as (keyof typeof total)[]) total[k] += r[k];
    process.stdout.write(`\rbench:images: ingest — ${total.stored} stored, ${total.deduplicated} deduplicated, ${total.failed + total.dead} failed`);
    if (r.candidates === 0) break;
  }
  const ingestS = (performance.now() - t0) / 1000;
  const done = total.stored + total.deduplicated;
  console.log(`\nbench:images: ${done} images in ${ingestS.toFixed(1)} s (${(done / ingestS).toFixed(0)}/s)`);

  // Serving checks on one hosted image.
  const anime = (await (await fetch(`${server.base}/v1/anime?limit=1`)).json()) as any;
  const url = `${server.base}${anime.data[0].images.picture.url}`;
  const full = await fetch(url);
  const etag = full.headers.get("etag")!;
  await full.arrayBuffer();
  const notModified = (await fetch(url, { headers: { "If-None-Match": etag } })).status;
  const ranged = await fetch(url, { headers: { Range: "bytes=0-99" } });
  await ranged.arrayBuffer();
  const serving = `200 ${full.headers.get("content-type")}, 304 on If-None-Match (${notModified}), 206 on Range (${ranged.status}, ${ranged.headers.get("content-range")})`;
  console.log(`bench:images: /images: ${serving}`);

  const searchMs: number[] = [];
  const trivialMs: number[] = [];
  let first = 0;
  for (let i = 0; i < SEARCHES; i++) {
    const n = (i * 7919) % ANIME;
    const form = new FormData();
    form.append("file", new File([halfSize(n)], "q.jpg", { type: "image/jpeg" }));
    let t = performance.now();
    const res = await fetch(`${server.base}/v1/search/image?limit=5`, { method: "POST", body: form });
    const body = (await res.json()) as any;
    searchMs.push(performance.now() - t);
    if (body.data?.[0]?.anime?.title === `Bench Poster ${n}`) first++;
    t = performance.now();
    await (await fetch(`${server.base}/health/live`)).arrayBuffer();
    trivialMs.push(performance.now() - t);
  }
  const r = (x: number) => x.toFixed(1);
  section = `<!-- bench-images:start (written by scripts/bench-images.ts; edit outside these markers) -->
Command: \`npm run bench:images -- --anime ${ANIME} --searches ${SEARCHES}\` (${new Date().toISOString().slice(0, 10)}), with \`npm start\` stopped: a \`wrangler dev\`
on fresh local state; ${ANIME} anime synced in with pictures (JPEG) and thumbnails (PNG) on a loopback image server.

- **Ingestion** (\`POST /v1/admin/images/ingest\` until nothing is pending; downloads, checks, R2 writes, D1 rows and the
  image-search embedding of every picture): ${done} images in ${ingestS.toFixed(1)} s = **${(done / ingestS).toFixed(0)} images/s**
  (${total.stored} stored, ${total.deduplicated} deduplicated, ${total.failed + total.dead} failed).
- **Serving** one hosted image: ${serving}.
- **Image search** (${SEARCHES} sequential multipart uploads, each a poster at half size re-encoded at quality 60), beside
  \`GET /health/live\` in the same run:

| Route | p50 ms | p95 ms |
| --- | --- | --- |
| POST /v1/search/image | ${r(pct(searchMs, 50))} | ${r(pct(searchMs, 95))} |
| GET /health/live (trivial) | ${r(pct(trivialMs, 50))} | ${r(pct(trivialMs, 95))} |

p95 ratio to the trivial route: ${(pct(searchMs, 95) / pct(trivialMs, 95)).toFixed(2)}. The poster's own anime came first in ${first} of ${SEARCHES}.
<!-- bench-images:end -->`;
  console.log(`bench:images: search p50 ${r(pct(searchMs, 50))} ms, p95 ${r(pct(searchMs, 95))} ms; own anime first ${first}/${SEARCHES}`);
} finally {
  await server.stop();
  await images.close();
  rmSync(dir, { recursive: true, force: true });
}
writeBenchmarkSection("bench-images", section, "## Images");
console.log(`bench:images: written to docs/benchmarks.md`);
