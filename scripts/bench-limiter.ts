/**
 * What the rate limiter costs: the same route, anonymous with the limiter switched off
 * (RATE_LIMITING=off) against an enterprise key with it on, in one run.
 *
 *   npm run bench:limiter [-- --requests 2000]      # with npm start NOT running
 *
 * Starts `wrangler dev` three times on the local catalog, in turn: off, on, off again (the
 * second "off" shows the machine's drift). Each phase sends sequential requests to
 * GET /v1/genres (a cached route, so the limiter's share is not hidden behind D1).
 * Rewrites the bench-limiter section of docs/benchmarks.md; prints a one-line summary.
 */
import { spawn, spawnSync, type ChildProcess } from "node:child_process";
import { arg, writeBenchmarkSection } from "./lib/cli";
import { waitForServer } from "./lib/search-index";
import { localAdminToken } from "./lib/admin-token";

const PORT = 8795;
const BASE = `http://127.0.0.1:${PORT}`;
const REQUESTS = Number(arg("requests", "2000"));
const PATH = "/v1/genres";

if ((await fetch("http://127.0.0.1:8787/health/live").catch(() => null))?.ok) {
  console.error("bench:limiter: stop `npm start` first (this benchmark starts its own servers on the same local state)");
  process.exit(2);
}

// The same numbered migrations npm start applies (the key table must exist).
if (spawnSync("node_modules/.bin/wrangler", ["d1", "migrations", "apply", "DB", "--local"], { stdio: "ignore", env: { ...process.env, CI: "true" } }).status !== 0) {
  console.error("bench:limiter: applying the migrations failed");
  process.exit(1);
}

async function withServer<T>(vars: string[], run: () => Promise<T>): Promise<T> {
  // stdin stays open: wrangler dev quits when its stdin closes.
  // wrangler itself, not through npx: npx does not pass SIGTERM on, and the server would linger.
  const child: ChildProcess = spawn("node_modules/.bin/wrangler", ["dev", "--ip", "127.0.0.1", "--port", String(PORT), ...vars.flatMap((v) => ["--var", v])], { stdio: ["pipe", "pipe", "pipe"], env: { ...process.env, CI: "true" } });
  child.stdout?.resume();
  child.stderr?.resume();
  const exited = new Promise((r) => child.once("exit", r));
  try {
    await waitForServer(BASE, 90_000);
    return await run();
  } finally {
    if (child.exitCode === null) child.kill("SIGTERM");
    const forced = setTimeout(() => child.kill("SIGKILL"), 10_000);
    await exited;
    clearTimeout(forced);
    // npx may leave wrangler's workerd behind for a moment; wait until the port is free.
    for (let i = 0; i < 40 && (await fetch(`${BASE}/health/live`).catch(() => null)); i++) await new Promise((r) => setTimeout(r, 250));
  }
}

async function measure(headers: Record<string, string>): Promise<number[]> {
  const ms: number[] = [];
  for (let i = 0; i < 200; i++) await (await fetch(BASE + PATH, { headers })).arrayBuffer(); // warm-up
  for (let i = 0; i < REQUESTS; i++) {
    const t = performance.now();
    const res = await fetch(BASE + PATH, { headers });
    await res.arrayBuffer();
    if (res.status !== 200) throw new Error(`bench:limiter: ${PATH} answered ${res.status}`);
    ms.push(performance.now() - t);
  }
  return ms;
}

const pct = (xs: number[], p: number) => {
  const s = [...xs].sort((a, b) => a - b);
  return Math.round((s[Math.min(s.length - 1, Math.floor((p / 100) * s.length))] ?? NaN) * 100) / 100;
};

console.log("bench:limiter: phase 1/3, limiter off, anonymous…");
const off1 = await withServer(["RATE_LIMITING:off"], () => measure({}));
console.log("bench:limiter: phase 2/3, limiter on, enterprise key…");
const on = await withServer([], async () => {
  const res = await fetch(`${BASE}/v1/admin/keys`, { method: "POST", headers: { Authorization: `Bearer ${localAdminToken().token}`, "Content-Type": "application/json" }, body: JSON.stringify({ name: "bench:limiter", tier: "enterprise" }) });
  if (!res.ok) throw new Error(`bench:limiter: creating a key failed (${res.status})`);
  const { key, id } = (await res.json()) as { key: string; id: number };
  try {
    return await measure({ Authorization: `Bearer ${key}` });
  } finally {
    await fetch(`${BASE}/v1/admin/keys/${id}`, { method: "DELETE", headers: { Authorization: `Bearer ${localAdminToken().token}` } });
  }
});
console.log("bench:limiter: phase 3/3, limiter off again (drift)…");
const off2 = await withServer(["RATE_LIMITING:off"], () => measure({}));

const row = (label: string, xs: number[]) => `| ${label} | ${xs.length} | ${pct(xs, 50)} | ${pct(xs, 95)} |`;
const baseP95 = (pct(off1, 95) + pct(off2, 95)) / 2;
const added = Math.round((pct(on, 95) - baseP95) * 100) / 100;
const section = `<!-- bench-limiter:start (written by scripts/bench-limiter.ts; edit outside these markers) -->
Command: \`npm run bench:limiter -- --requests ${REQUESTS}\` (${new Date().toISOString().slice(0, 10)}), with \`npm start\` stopped: three
\`wrangler dev\` servers in turn on the local catalog, ${REQUESTS} sequential \`GET ${PATH}\` each (a cached route) after 200 warm-up requests.

| Phase | n | p50 ms | p95 ms |
| --- | --- | --- | --- |
${row("limiter off, anonymous", off1)}
${row("limiter on, enterprise key (quota object per request)", on)}
${row("limiter off again (drift check)", off2)}

p95 added by the limiter: **${added} ms** (against the mean p95 of the two "off" phases; target ≤ 2 ms).
<!-- bench-limiter:end -->`;
writeBenchmarkSection("bench-limiter", section, "## Rate limiter");
console.log(`bench:limiter: p95 ${pct(on, 95)} ms with the limiter vs ${baseP95.toFixed(2)} ms without — ${added} ms added — written to docs/benchmarks.md`);
