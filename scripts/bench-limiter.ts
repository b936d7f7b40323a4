/**
 * What the rate limiter costs: the same route, anonymous with the limiter switched off
 * (RATE_LIMITING=off) against an enterprise key with it on, in one run.
 *
 *   npm run bench:limiter [-- --requests 2000]      # with npm start NOT running
 *
 * Starts three `wrangler dev` servers side by side, each on its own copy of the local state:
 * limiter off (anonymous); limiter on with an enterprise key (a quota-object call per
 * request, as for every key); limiter on, anonymous (units leased to the isolate). Requests go to the three in
 * turn, rotating the order every round, so the machine's drift touches all three alike.
 * Each sends sequential GET /v1/genres (a cached route, so the limiter's share is not hidden
 * behind D1). Rewrites the bench-limiter section of docs/benchmarks.md; prints a one-line summary.
 */
import { spawnSync } from "node:child_process";
import { arg, writeBenchmarkSection } from "./lib/cli";
import { startDevServer } from "./lib/dev-server";
import { localAdminToken } from "./lib/admin-token";

const REQUESTS = Number(arg("requests", "2000"));
const PATH = "/v1/genres";

if ((await fetch("http://127.0.0.1:8787/health/live").catch(() => null))?.ok) {
  console.error("bench:limiter: stop `npm start` first (this benchmark copies the local state it writes to)");
  process.exit(2);
}

// The same numbered migrations npm start applies (the key table must exist).
if (spawnSync("node_modules/.bin/wrangler", ["d1", "migrations", "apply", "DB", "--local"], { stdio: "ignore", env: { ...process.env, CI: "true" } }).status !== 0) {
  console.error("bench:limiter: applying the migrations failed");
  process.exit(1);
}

interface Server {
  label: string;
  base: string;
  headers: Record<string, string>;
  ms: number[];
  stop: () => Promise<void>;
}

/** A wrangler dev on its own copy of the local state (so three can run at once without sharing SQLite files). */
async function start(label: string, port: number, vars: string[]): Promise<Server> {
  const { base, stop } = await startDevServer({ port, vars, copyState: true, label: "bench-limiter" });
  return { label, base, headers: {}, ms: [], stop };
}

/** An enterprise key on `s` (its own state, so its own key table). */
async function withKey(s: Server): Promise<Server> {
  const res = await fetch(`${s.base}/v1/admin/keys`, { method: "POST", headers: { Authorization: `Bearer ${localAdminToken().token}`, "Content-Type": "application/json" }, body: JSON.stringify({ name: "bench:limiter", tier: "enterprise" }) });
  if (!res.ok) throw new Error(`bench:limiter: creating a key failed (${res.status})`);
  s.headers = { Authorization: `Bearer ${((await res.json()) as { key: string }).key}` };
  return s;
}

async function once(s: Server, record: boolean): Promise<void> {
  const t = performance.now();
  const res = await fetch(s.base + PATH, { headers: s.headers });
  await res.arrayBuffer();
  if (res.status !== 200) throw new Error(`bench:limiter: ${PATH} answered ${res.status} (${s.label})`);
  if (record) s.ms.push(performance.now() - t);
}

const pct = (xs: number[], p: number) => {
  const s = [...xs].sort((a, b) => a - b);
  return Math.round((s[Math.min(s.length - 1, Math.floor((p / 100) * s.length))] ?? NaN) * 100) / 100;
};

console.log("bench:limiter: starting three servers (limiter off / on with a key / on, anonymous)…");
const servers: Server[] = [];
try {
  servers.push(await start("limiter off, anonymous", 8795, ["RATE_LIMITING:off"]));
  servers.push(await withKey(await start("limiter on, enterprise key (quota object per request)", 8796, [])));
  servers.push(await start("limiter on, anonymous (units leased to the isolate)", 8797, []));
  for (let i = 0; i < 200; i++) for (const s of servers) await once(s, false); // warm-up
  for (let i = 0; i < REQUESTS; i++) {
    for (let j = 0; j < servers.length; j++) await once(servers[(i + j) % servers.length], true);
    if ((i + 1) % 500 === 0) console.log(`bench:limiter: ${i + 1}/${REQUESTS} rounds`);
  }
} finally {
  await Promise.all(servers.map((s) => s.stop()));
}
const [off, keyed, anonymous] = servers;

const row = (s: Server) => `| ${s.label} | ${s.ms.length} | ${pct(s.ms, 50)} | ${pct(s.ms, 95)} |`;
const added = (s: Server) => Math.round((pct(s.ms, 95) - pct(off.ms, 95)) * 100) / 100;
const section = `<!-- bench-limiter:start (written by scripts/bench-limiter.ts; edit outside these markers) -->
Command: \`npm run bench:limiter -- --requests ${REQUESTS}\` (${new Date().toISOString().slice(0, 10)}), with \`npm start\` stopped: three
\`wrangler dev\` servers side by side on copies of the local catalog, ${REQUESTS} rounds of one sequential \`GET ${PATH}\` (a cached
route) to each in rotating order, after 200 warm-up rounds.

| Server | n | p50 ms | p95 ms |
| --- | --- | --- | --- |
${servers.map(row).join("\n")}

p95 added by the limiter: **${added(keyed)} ms with a key** (target ≤ 2 ms), ${added(anonymous)} ms anonymous (leased units).
p95 ratio to the limiter-off server: ${(pct(keyed.ms, 95) / pct(off.ms, 95)).toFixed(2)} with a key, ${(pct(anonymous.ms, 95) / pct(off.ms, 95)).toFixed(2)} anonymous.
<!-- bench-limiter:end -->`;
writeBenchmarkSection("bench-limiter", section, "## Rate limiter");
console.log(`bench:limiter: p95 added ${added(keyed)} ms with a key, ${added(anonymous)} ms anonymous (off ${pct(off.ms, 95)} ms) — written to docs/benchmarks.md`);
