/**
 * Cache benchmark: a Zipf(s=1.1) read mix over every anime id and popular searches, with the
 * trivial route interleaved, against a running `npm start`.
 *
 *   npm start                     # in another terminal
 *   npm run bench:cache [-- --warmup 50000 --measure 10000 --concurrency 8]
 *
 * Purges the caches first (admin route), then sends one seeded request stream: the first
 * 2,000 requests are the cold phase, the rest of the warm-up fills the tiers, and the last
 * `measure` requests are the warm phase. Reports hit ratio per tier and p50/p95 per kind,
 * cold vs warm, beside the trivial route measured in the same stream; rewrites the
 * bench-cache section of docs/benchmarks.md and prints a one-line summary.
 */
import { cpus, totalmem } from "node:os";
import { arg, writeBenchmarkSection } from "./lib/cli";
import { seeded } from "./lib/hostile-inputs";
import { localAdminToken } from "./lib/admin-token";

const BASE = arg("base", "http://127.0.0.1:8787");
const WARMUP = Number(arg("warmup", "50000"));
const MEASURE = Number(arg("measure", "10000"));
const CONCURRENCY = Number(arg("concurrency", "8"));
const COLD = 2000;
const SAMPLE_SIZE = 40068;
const S = 1.1;
const SEARCHES = 300;

const r = seeded(42);

/** Zipf(s) sampler over ranks 1…n by inverse CDF on the precomputed cumulative weights. */
function zipf(n: number): () => number {
  const cdf = new Float64Array(n);
  let sum = 0;
  for (let i = 0; i < n; i++) cdf[i] = sum += Math.pow(i + 1, -S);
  return () => {
    const u = r() * sum;
    let lo = 0, hi = n - 1;
    while (lo < hi) {
      const mid = (lo + hi) >> 1;
      if (cdf[mid] < u) lo = mid + 1;
      else hi = mid;
    }
    return lo;
  };
}

/** Popularity rank → id through a fixed shuffle: popular ids are spread over the catalog, not 1…k. */
const ids = Array.from({ length: SAMPLE_SIZE }, (_, i) => i + 1);
for (let i = ids.length - 1; i > 0; i--) {
  const j = Math.floor(r() * (i + 1));
  [ids[i], ids[j]] = [ids[j], ids[i]];
}

if (!(await fetch(`${BASE}/health/live`).catch(() => null))?.ok) {
  console.error(`bench:cache: nothing answers at ${BASE}; run \`npm start\` first`);
  process.exit(2);
}
if (!(await fetch(`${BASE}/v1/anime/${SAMPLE_SIZE}?fields=id`)).ok) {
  console.error(`bench:cache: ${BASE} does not serve the sample catalog; start from an empty catalog with \`npm start\``);
  process.exit(2);
}

// Popular searches: two-word prefixes of the best-scored titles, as people type them.
const titles: string[] = [];
for (let cursor: string | null = null; titles.length < SEARCHES; ) {
  const page = (await (await fetch(`${BASE}/v1/anime?sort=score&limit=100&fields=title${cursor ? `&cursor=${cursor}` : ""}`)).json()) as { data: { title: string }[]; next_cursor: string | null };
  titles.push(...page.data.map((d) => d.title.split(/\s+/).slice(0, 2).join(" ").toLowerCase()));
  cursor = page.next_cursor;
  if (!cursor) break;
}
const searches = [...new Set(titles)].slice(0, SEARCHES);

const purge = await fetch(`${BASE}/v1/admin/cache/purge`, { method: "POST", headers: { Authorization: `Bearer ${localAdminToken().token}`, "Content-Type": "application/json" }, body: "{}" });
if (!purge.ok) {
  console.error(`bench:cache: purge failed (${purge.status}); is ADMIN_TOKEN in .dev.vars the one the server started with?`);
  process.exit(2);
}

type Kind = "anime" | "search" | "trivial";
const idRank = zipf(SAMPLE_SIZE), searchRank = zipf(searches.length);
const stream: { kind: Kind; path: string }[] = [];
for (let i = 0; i < WARMUP + MEASURE; i++) {
  const u = r();
  if (u < 0.05) stream.push({ kind: "trivial", path: "/health/live" });
  else if (u < 0.3) stream.push({ kind: "search", path: `/v1/search?q=${encodeURIComponent(searches[searchRank()])}&limit=10` });
  else stream.push({ kind: "anime", path: `/v1/anime/${ids[idRank()]}` });
}

interface Sample { kind: Kind; ms: number; tier: string }
const samples: Sample[] = new Array(stream.length);
let next = 0, done = 0;
const started = Date.now();
async function worker() {
  for (;;) {
    const i = next++;
    if (i >= stream.length) return;
    const t = performance.now();
    const res = await fetch(BASE + stream[i].path);
    await res.arrayBuffer();
    samples[i] = { kind: stream[i].kind, ms: performance.now() - t, tier: res.headers.get("x-cache") ?? "-" };
    if (++done % 10000 === 0) console.log(`bench:cache: ${done}/${stream.length} requests (${((Date.now() - started) / 1000).toFixed(0)} s)`);
  }
}
await Promise.all(Array.from({ length: CONCURRENCY }, worker));

// Sequential, one request at a time: the cost of a miss (D1) against a hit and the trivial
// route, without the queueing of the concurrent stream. Misses are tail ids the stream never
// asked for; hits are the same ids asked again.
const requested = new Set(stream.filter((s) => s.kind === "anime").map((s) => s.path));
const unseen = ids.slice(-5000).map((id) => `/v1/anime/${id}`).filter((p) => !requested.has(p)).slice(0, 200);
const timeOne = async (path: string) => {
  const t = performance.now();
  const res = await fetch(BASE + path);
  await res.arrayBuffer();
  return { ms: performance.now() - t, tier: res.headers.get("x-cache") ?? "-" };
};
const seq = { trivial: [] as number[], miss: [] as number[], hit: [] as number[] };
for (const p of unseen) {
  seq.trivial.push((await timeOne("/health/live")).ms);
  const m = await timeOne(p);
  if (m.tier === "MISS") seq.miss.push(m.ms);
  const h = await timeOne(p);
  if (h.tier === "L0") seq.hit.push(h.ms);
}

const pct = (xs: number[], p: number) => {
  const s = [...xs].sort((a, b) => a - b);
  return Math.round((s[Math.min(s.length - 1, Math.floor((p / 100) * s.length))] ?? NaN) * 10) / 10;
};
const phase = (from: number, to: number) => samples.slice(from, to);
const cold = phase(0, COLD), warm = phase(WARMUP, WARMUP + MEASURE);
const of = (xs: Sample[], kind: Kind, hitsOnly = false) => xs.filter((s) => s.kind === kind && (!hitsOnly || s.tier !== "MISS")).map((s) => s.ms);
const tiers = (xs: Sample[]) => {
  const cached = xs.filter((s) => s.kind !== "trivial");
  const share = (t: string) => cached.filter((s) => s.tier === t).length / cached.length;
  return { L0: share("L0"), L1: share("L1"), L2: share("L2"), MISS: share("MISS") };
};
const pc = (x: number) => `${(x * 100).toFixed(1)} %`;
const wt = tiers(warm), ct = tiers(cold);
const hitRatio = 1 - wt.MISS;
const trivialWarm = of(warm, "trivial");
const row = (label: string, xs: number[], base: number[]) => `| ${label} | ${xs.length} | ${pct(xs, 50)} | ${pct(xs, 95)} | ${(pct(xs, 95) / pct(base, 95)).toFixed(2)} |`;
const kindHits = (kind: Kind) => {
  const xs = warm.filter((s) => s.kind === kind);
  return pc(xs.filter((s) => s.tier !== "MISS").length / xs.length);
};
const animeWarmHits = of(warm, "anime", true);
const section = `<!-- bench-cache:start (written by scripts/bench-cache.ts; edit outside these markers) -->
Measured on ${new Date().toISOString().slice(0, 10)}, ${cpus().length} cores, ${Math.round(totalmem() / 2 ** 30)} GiB, Node ${process.version}; \`npm start\` (40,068-anime sample) and the client on one machine.

Command: \`npm start\`, then \`npm run bench:cache -- --warmup ${WARMUP} --measure ${MEASURE} --concurrency ${CONCURRENCY}\`.
One seeded stream after an admin purge: 70 % \`GET /v1/anime/{id}\` with Zipf(s=${S}) popularity over all ${SAMPLE_SIZE} ids,
25 % \`GET /v1/search\` with Zipf(s=${S}) over ${searches.length} popular searches (two-word prefixes of the best-scored titles),
5 % the trivial \`GET /health/live\`, ${CONCURRENCY} concurrent clients. Cold = the first ${COLD} requests after the
purge; warm = the last ${MEASURE} of ${WARMUP + MEASURE}.

| Phase | L0 | L1 | L2 | MISS | Hits |
| --- | --- | --- | --- | --- | --- |
| cold (first ${COLD}) | ${pc(ct.L0)} | ${pc(ct.L1)} | ${pc(ct.L2)} | ${pc(ct.MISS)} | ${pc(1 - ct.MISS)} |
| warm (last ${MEASURE}) | ${pc(wt.L0)} | ${pc(wt.L1)} | ${pc(wt.L2)} | ${pc(wt.MISS)} | **${pc(hitRatio)}** (anime ${kindHits("anime")}, search ${kindHits("search")}) |

| Requests | n | p50 ms | p95 ms | p95 ÷ trivial (same phase) |
| --- | --- | --- | --- | --- |
${row("cold: trivial", of(cold, "trivial"), of(cold, "trivial"))}
${row("cold: GET /v1/anime/{id}", of(cold, "anime"), of(cold, "trivial"))}
${row("cold: GET /v1/search", of(cold, "search"), of(cold, "trivial"))}
${row("warm: trivial", trivialWarm, trivialWarm)}
${row("warm: GET /v1/anime/{id}, all", of(warm, "anime"), trivialWarm)}
${row("warm: GET /v1/anime/{id}, cache hits", animeWarmHits, trivialWarm)}
${row("warm: GET /v1/search", of(warm, "search"), trivialWarm)}

Sequential (one request at a time, ${unseen.length} ids the stream never asked for, each asked twice):

| Requests | n | p50 ms | p95 ms | p95 ÷ trivial |
| --- | --- | --- | --- | --- |
${row("trivial", seq.trivial, seq.trivial)}
${row("GET /v1/anime/{id}, first ask (MISS → D1)", seq.miss, seq.trivial)}
${row("GET /v1/anime/{id}, second ask (L0)", seq.hit, seq.trivial)}
<!-- bench-cache:end -->`;
writeBenchmarkSection("bench-cache", section, "## Tiered cache");
console.log(
  `bench:cache: ${stream.length} requests in ${((Date.now() - started) / 1000).toFixed(0)} s; warm hit ratio ${pc(hitRatio)}; warm /v1/anime/{id} p95 ${pct(of(warm, "anime"), 95)} ms (hits ${pct(animeWarmHits, 95)} ms) vs trivial ${pct(trivialWarm, 95)} ms — written to docs/benchmarks.md`,
);
