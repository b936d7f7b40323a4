/**
 * Memory of the local vector index (the VectorIndexObject Durable Object, 128 MB isolate):
 * the heap its in-memory store takes once loaded, for the representation it had before
 * (one parsed metadata object per vector) and the one it has now (VectorStore: int8 vectors
 * and columnar metadata), built in the same run from the same synthetic rows.
 *
 *   npx tsx --expose-gc scripts/bench-memory.ts [--count 40000 --dims 128 --seed 1]
 *
 * Each row is what the object's SQLite table holds (an int8 vector, its scale, the metadata
 * JSON) and is loaded the way the object loads it. Metadata is realistic in size: 20–40
 * genres/tags from a vocabulary of 3,000 names (popular ones far more often), 1–3 studios from
 * 1,200, enums, nullable year and score. Heap = V8 heap used + ArrayBuffer bytes, after a full
 * GC, minus the same before building. Also times an exact top-10 scan with a genre filter over
 * all vectors, before vs now. Rewrites the bench-memory section of docs/benchmarks.md.
 */
import { cpus, totalmem } from "node:os";
import { arg, writeBenchmarkSection } from "./lib/cli";
import { seeded } from "./lib/hostile-inputs";
import type { Filters } from "../src/catalog/filters";
import { metadataPredicate } from "../src/search/vector-index/filter-match";
import type { VectorMatch, VectorMetadata } from "../src/search/vector-index/interface";
import { TopK } from "../src/search/vector-index/top-k";
import { quantise, VectorStore } from "../src/search/vector-index/vector-store";

const COUNT = Number(arg("count", "40000"));
const DIMS = Number(arg("dims", "128"));
const SEED = Number(arg("seed", "1"));
/** The new representation's budget, at the local embedder's 128 dimensions. */
const BUDGET_MB = 32;
const BUDGET_DIMS = 128;
const QUERIES = 200;

const gc = (globalThis as { gc?: () => void }).gc;
if (!gc) {
  console.error("bench:memory: run with --expose-gc: npx tsx --expose-gc scripts/bench-memory.ts");
  process.exit(2);
}

// ---- synthetic rows, identical for both representations (same seed) ----

const WORDS = [
  "action", "adventure", "comedy", "drama", "fantasy", "horror", "mystery", "romance", "sci-fi", "slice", "life", "sports",
  "supernatural", "thriller", "mecha", "music", "school", "military", "space", "magic", "demons", "historical", "samurai",
  "vampire", "psychological", "idol", "martial", "arts", "police", "super", "power", "harem", "isekai", "cgdct", "gore",
  "tragedy", "time", "travel", "robots", "androids", "cyberpunk", "steampunk", "post", "apocalyptic", "dystopia", "urban",
  "rural", "family", "friendship", "coming", "age", "revenge", "survival", "detective", "cooking", "racing", "war",
  "ensemble", "cast", "male", "female", "protagonist", "episodic", "work", "office", "band", "guns", "swords", "dragons",
  "ghosts", "aliens", "politics", "shounen", "seinen", "shoujo", "josei", "kids", "parody", "satire", "reverse",
];
const pairs: string[] = [];
for (const a of WORDS) for (const b of WORDS) if (a !== b) pairs.push(`${a} ${b}`);
const TYPES = ["TV", "MOVIE", "OVA", "ONA", "SPECIAL", "UNKNOWN"];
const STATUSES = ["FINISHED", "ONGOING", "UPCOMING", "UNKNOWN"];
const SEASONS = ["SPRING", "SUMMER", "FALL", "WINTER", "UNDEFINED"];

interface Vocabulary {
  tags: string[];
  studios: string[];
}

function vocabulary(): Vocabulary {
  const r = seeded(SEED);
  for (let i = pairs.length - 1; i > 0; i--) {
    const j = Math.floor(r() * (i + 1));
    [pairs[i], pairs[j]] = [pairs[j], pairs[i]];
  }
  // The single words are the broad genres (the popular end); pairs are the long tail of tags.
  const tags = [...WORDS, ...pairs.slice(0, 3000 - WORDS.length)];
  const studios = Array.from({ length: 1200 }, (_, i) => `${pairs[3000 + i].split(" ")[0]} studio ${i}`);
  return { tags, studios };
}

/** Popularity-skewed pick: index ~ n·u³, so the first names (genres) are far more frequent. */
const skewed = (r: () => number, n: number) => Math.floor(n * r() ** 3);

/** The rows of the object's SQLite table: id, int8 vector, scale, metadata JSON. */
function* rows(v: Vocabulary): Generator<{ id: number; q: Int8Array; scale: number; meta: string }> {
  const r = seeded(SEED + 1);
  const values = new Array<number>(DIMS);
  for (let id = 1; id <= COUNT; id++) {
    for (let i = 0; i < DIMS; i++) values[i] = r() - 0.5;
    const { q, scale } = quantise(values);
    const genres = new Set<string>();
    const nTags = 20 + Math.floor(r() * 21);
    while (genres.size < nTags) genres.add(v.tags[skewed(r, v.tags.length)]);
    const studios = new Set<string>();
    const nStudios = 1 + Math.floor(r() * 3);
    while (studios.size < nStudios) studios.add(v.studios[skewed(r, v.studios.length)]);
    const metadata: VectorMetadata = {
      type: TYPES[Math.floor(r() * TYPES.length)],
      status: STATUSES[Math.floor(r() * STATUSES.length)],
      season: SEASONS[Math.floor(r() * SEASONS.length)],
      year: r() < 0.05 ? null : 1960 + Math.floor(r() * 67),
      score: r() < 0.2 ? null : Math.round((1 + r() * 9) * 100) / 100,
      episodes: Math.floor(r() * 60),
      genres: [...genres],
      studios: [...studios],
      system_status: r() < 0.95 ? "ACTIVE" : "ORPHANED",
      updated_at: 1_600_000_000_000 + Math.floor(r() * 1e11),
    };
    yield { id, q, scale, meta: JSON.stringify(metadata) };
  }
}

// ---- the representation before: the object's fields as they were, loaded as it loaded them ----

class ParsedObjectsStore {
  dims = DIMS;
  size = 0;
  ids = new Int32Array(0);
  scales = new Float32Array(0);
  vectors = new Int8Array(0);
  metas: VectorMetadata[] = [];
  slots = new Map<number, number>();

  place(id: number, q: Int8Array, scale: number, meta: VectorMetadata): void {
    let slot = this.slots.get(id);
    if (slot === undefined) {
      slot = this.size++;
      if (this.size > this.ids.length) {
        const cap = Math.max(1024, this.ids.length * 2, this.size);
        const ids = new Int32Array(cap), scales = new Float32Array(cap), vectors = new Int8Array(cap * this.dims);
        ids.set(this.ids);
        scales.set(this.scales);
        vectors.set(this.vectors);
        [this.ids, this.scales, this.vectors] = [ids, scales, vectors];
      }
      this.slots.set(id, slot);
    }
    this.ids[slot] = id;
    this.scales[slot] = scale;
    this.vectors.set(q, slot * this.dims);
    this.metas[slot] = meta;
  }

  query(vector: number[], topK: number, filter: Filters): VectorMatch[] {
    const v = Float32Array.from(vector);
    const pass = metadataPredicate(filter);
    const top = new TopK(topK);
    const d = this.dims, x = this.vectors, tail = d - (d % 4);
    for (let slot = 0; slot < this.size; slot++) {
      if (!pass(this.metas[slot])) continue;
      const o = slot * d;
      let a = 0, b = 0, c = 0, e = 0;
      for (let i = 0; i < tail; i += 4) {
        a += v[i] * x[o + i];
        b += v[i + 1] * x[o + i + 1];
        c += v[i + 2] * x[o + i + 2];
        e += v[i + 3] * x[o + i + 3];
      }
      for (let i = tail; i < d; i++) a += v[i] * x[o + i];
      top.offer(this.ids[slot], (a + b + c + e) * this.scales[slot]);
    }
    return top.sorted();
  }

  get bytes(): number {
    return this.ids.byteLength + this.scales.byteLength + this.vectors.byteLength;
  }
}

// ---- measuring ----

/** Heap used + ArrayBuffer bytes once GC has settled (ArrayBuffer backing stores are freed by a concurrent sweeper, after the GC that found them dead). */
async function used(): Promise<number> {
  const sample = () => {
    const m = process.memoryUsage();
    return m.heapUsed + m.arrayBuffers;
  };
  let last = Infinity;
  for (let round = 0; round < 20; round++) {
    gc!();
    await new Promise((resolve) => setTimeout(resolve, 20));
    const now = sample();
    if (Math.abs(now - last) < 64 * 1024) return now;
    last = now;
  }
  return last;
}
const mb = (bytes: number) => (bytes / 2 ** 20).toFixed(1);

function progress(label: string, i: number): void {
  if (i % 10_000 !== 0 && i !== COUNT) return;
  const line = `${label}: ${i.toLocaleString("en")} / ${COUNT.toLocaleString("en")} rows`;
  if (!process.stdout.isTTY) console.log(line);
  else process.stdout.write(`\r${line}${i === COUNT ? "\n" : ""}`);
}

interface Timing {
  p50: number;
  p95: number;
}

/**
 * p50/p95 of QUERIES random top-10 queries under `filter`, the two stores alternating query by
 * query (which goes first alternates too), so that noise from other processes falls on both.
 * Throws if they ever disagree.
 */
function timeBoth(before: ParsedObjectsStore, now: VectorStore, filter: Filters): { before: Timing; now: Timing } {
  const r = seeded(SEED + 2);
  const times = { before: [] as number[], now: [] as number[] };
  for (let i = 0; i < QUERIES + 20; i++) {
    const vector = Array.from({ length: DIMS }, () => r() - 0.5);
    const run = (which: "before" | "now") => {
      const started = performance.now();
      const got = which === "before" ? before.query(vector, 10, filter) : now.query(vector, 10, filter);
      if (i >= 20) times[which].push(performance.now() - started); // the first 20 warm the JIT
      return got.map((m) => m.id).join();
    };
    const [a, b] = i % 2 ? [run("before"), run("now")] : [run("now"), run("before")];
    if (a !== b) throw new Error(`bench:memory: the two representations answered query ${i} differently`);
  }
  const stats = (ms: number[]): Timing => {
    ms.sort((x, y) => x - y);
    return { p50: ms[Math.floor(ms.length / 2)], p95: ms[Math.floor(ms.length * 0.95)] };
  };
  return { before: stats(times.before), now: stats(times.now) };
}

/** The representation before, loaded from the rows; `onRow` sees each row's parsed metadata. */
function loadBefore(label: string, onRow: (metadata: VectorMetadata, json: string) => void = () => {}): ParsedObjectsStore {
  const store = new ParsedObjectsStore();
  let i = 0;
  for (const row of rows(vocab)) {
    const metadata = JSON.parse(row.meta) as VectorMetadata;
    store.place(row.id, row.q, row.scale, metadata);
    onRow(metadata, row.meta);
    progress(label, ++i);
  }
  return store;
}

/** As VectorIndexObject loads: the row count first, then each row's metadata parsed, stored, dropped. */
function loadNow(label: string): VectorStore {
  const store = new VectorStore();
  let i = 0;
  for (const row of rows(vocab)) {
    if (store.count === 0) store.reserve(COUNT, DIMS);
    store.put({ id: row.id, q: row.q, scale: row.scale, metadata: JSON.parse(row.meta) as VectorMetadata });
    progress(label, ++i);
  }
  store.fit();
  return store;
}

const vocab = vocabulary();
const started = Date.now();
console.log(`bench:memory: ${COUNT.toLocaleString("en")} vectors × ${DIMS} dims, Node ${process.version}`);

// A genre about 1 in 4 rows hold, as a user's filter would name (the orphan rule applies too).
const GENRE_FILTER: Filters = { tags: [vocab.tags[3]] };
const passes = metadataPredicate(GENRE_FILTER);
let jsonBytes = 0, tagsPerRow = 0, passing = 0;

// Memory: each representation alone in the heap.
let base = await used();
let before: ParsedObjectsStore | null = loadBefore("before (one parsed object per vector)", (metadata, json) => {
  jsonBytes += json.length;
  tagsPerRow += metadata.genres.length;
  if (passes(metadata)) passing++;
});
const beforeBytes = (await used()) - base;
const beforeArrays = before.bytes;
before = null;

base = await used();
const now = loadNow("now (VectorStore: columns)");
const nowBytes = (await used()) - base;
const nowArrays = now.bytes;

// Time: both loaded, queried alternately.
before = loadBefore("before again, for timing");
console.log(`timing ${QUERIES} queries per store and filter…`);
const genreScan = timeBoth(before, now, GENRE_FILTER);
const activeScan = timeBoth(before, now, {});

const within = nowBytes / 2 ** 20 < BUDGET_MB;
const verdict = DIMS !== BUDGET_DIMS ? `not checked (set for ${BUDGET_DIMS} dimensions)` : within ? "within" : "OVER";
const ms = (x: number) => x.toFixed(2);
const section = `<!-- bench-memory:start (written by scripts/bench-memory.ts; edit outside these markers) -->
Measured on ${new Date().toISOString().slice(0, 10)}, ${cpus().length} cores, ${Math.round(totalmem() / 2 ** 30)} GiB, Node ${process.version}.

Command: \`npx tsx --expose-gc scripts/bench-memory.ts --count ${COUNT} --dims ${DIMS} --seed ${SEED}\` (\`npm run bench:memory\`).
${COUNT.toLocaleString("en")} synthetic vectors of ${DIMS} dimensions, loaded as the local index's Durable Object loads its SQLite rows
(int8 vector, scale, metadata JSON; ${mb(jsonBytes)} MB of metadata JSON in all): ${(tagsPerRow / COUNT).toFixed(1)} genres/tags per
anime on average (20–40, from 3,000 names, popular ones more often), 1–3 studios of 1,200, enums, nullable year and score.
Heap = V8 heap used + ArrayBuffers after a full GC, minus the same before loading; both built in the same process.

| Representation | Heap | of which typed arrays | JS objects (id map, metadata, dictionaries) |
| --- | --- | --- | --- |
| before: one parsed metadata object per vector | ${mb(beforeBytes)} MB | ${mb(beforeArrays)} MB | ${mb(beforeBytes - beforeArrays)} MB |
| now: VectorStore (columns, interned ids) | **${mb(nowBytes)} MB** | ${mb(nowArrays)} MB | ${mb(nowBytes - nowArrays)} MB |

Budget: under ${BUDGET_MB} MB at ${BUDGET_DIMS} dimensions for the new one: **${verdict}**.

Exact top-10 scan over all ${COUNT.toLocaleString("en")} vectors, ${QUERIES} random queries per row, the two stores queried
alternately in one process (every answer compared: identical):

| Query | before p50 / p95 ms | now p50 / p95 ms |
| --- | --- | --- |
| genre filter (\`tags=${GENRE_FILTER.tags![0]}\`, active only: ${passing.toLocaleString("en")} vectors scored) | ${ms(genreScan.before.p50)} / ${ms(genreScan.before.p95)} | ${ms(genreScan.now.p50)} / ${ms(genreScan.now.p95)} |
| no filter but the orphan rule (all active vectors scored) | ${ms(activeScan.before.p50)} / ${ms(activeScan.before.p95)} | ${ms(activeScan.now.p50)} / ${ms(activeScan.now.p95)} |
<!-- bench-memory:end -->`;
writeBenchmarkSection("bench-memory", section, "## Vector index memory");
console.log(
  `bench:memory: ${COUNT} × ${DIMS}: before ${mb(beforeBytes)} MB, now ${mb(nowBytes)} MB (budget ${BUDGET_MB} MB: ${verdict}); genre-filtered scan p50 ${ms(genreScan.before.p50)} → ${ms(genreScan.now.p50)} ms; ${((Date.now() - started) / 1000).toFixed(0)} s — written to docs/benchmarks.md`,
);
if (DIMS === BUDGET_DIMS && !within) process.exitCode = 1;
