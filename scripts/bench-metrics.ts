/**
 * What writing a request's data point costs a cached read (issue 19: ≤ 1 ms at p95), in one
 * run: two `wrangler dev` servers of this checkout on fresh states, one writing data points
 * (the default) and one with METRICS_WRITES=off, asked in turn, one request at a time, for
 * the same cached path; the p50/p95/p99 of each and their differences.
 *
 *   npm run bench:metrics [-- --requests 3000 --path /v1/genres]
 *
 * Rewrites the bench-metrics section of docs/benchmarks.md and prints a one-line summary.
 */
import { cpus, totalmem } from "node:os";
import { arg, writeBenchmarkSection } from "./lib/cli";
import { startDevServer } from "./lib/dev-server";

const REQUESTS = Number(arg("requests", "3000"));
const PATH = arg("path", "/v1/genres");

const pct = (xs: number[], p: number) => {
  const s = [...xs].sort((a, b) => a - b);
  return s[Math.min(s.length - 1, Math.floor((p / 100) * s.length))];
};

console.log("bench:metrics: starting two servers (data points on :8796, off :8797)…");
const [on, off] = await Promise.all([
  startDevServer({ port: 8796, label: "metrics-on" }),
  startDevServer({ port: 8797, label: "metrics-off", vars: ["METRICS_WRITES:off"] }),
]);
try {
  const time = async (base: string) => {
    const t = performance.now();
    const res = await fetch(base + PATH);
    await res.arrayBuffer();
    if (res.status !== 200) throw new Error(`${base}${PATH} answered ${res.status}`);
    return performance.now() - t;
  };
  // Warm both: the path cached (L0) and the isolates compiled.
  for (let i = 0; i < 50; i++) await Promise.all([time(on.base), time(off.base)]);
  const lat = { on: [] as number[], off: [] as number[] };
  for (let i = 0; i < REQUESTS; i++) {
    // Alternate which goes first, so neither always follows the other.
    if (i % 2) { lat.on.push(await time(on.base)); lat.off.push(await time(off.base)); }
    else { lat.off.push(await time(off.base)); lat.on.push(await time(on.base)); }
    if ((i + 1) % 1000 === 0) console.log(`bench:metrics: ${i + 1}/${REQUESTS} pairs`);
  }
  const row = (name: string, xs: number[]) => `| ${name} | ${xs.length} | ${pct(xs, 50).toFixed(2)} | ${pct(xs, 95).toFixed(2)} | ${pct(xs, 99).toFixed(2)} |`;
  const d = (p: number) => pct(lat.on, p) - pct(lat.off, p);
  const signed = (x: number) => `${x >= 0 ? "+" : "−"}${Math.abs(x).toFixed(2)}`;
  const section = `<!-- bench-metrics:start (written by scripts/bench-metrics.ts; edit outside these markers) -->
Measured on ${new Date().toISOString().slice(0, 10)}, ${cpus().length} cores, ${Math.round(totalmem() / 2 ** 30)} GiB, Node ${process.version}: two \`wrangler dev\` servers of this
checkout on fresh states, asked in turn (one request at a time, alternating which goes first) for the
cached \`${PATH}\`. Command: \`npm run bench:metrics -- --requests ${REQUESTS} --path ${PATH}\`.

| Server | Requests | p50 ms | p95 ms | p99 ms |
| --- | --- | --- | --- | --- |
${row("data points written (default)", lat.on)}
${row("METRICS_WRITES=off", lat.off)}

Added by the data point: p50 ${signed(d(50))} ms, **p95 ${signed(d(95))} ms**, p99 ${signed(d(99))} ms (target: ≤ 1 ms at p95; a negative difference is the machine's noise).
<!-- bench-metrics:end -->`;
  writeBenchmarkSection("bench-metrics", section, "## Request metrics: the cost of a data point");
  console.log(`bench:metrics: ${REQUESTS} pairs; p95 ${pct(lat.on, 95).toFixed(2)} ms with data points vs ${pct(lat.off, 95).toFixed(2)} ms without: ${signed(d(95))} ms — written to docs/benchmarks.md`);
} finally {
  await Promise.all([on.stop(), off.stop()]);
}
