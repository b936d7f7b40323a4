/**
 * Soak: sustained anonymous load on a cached mix of routes, against a running server.
 *
 *   npm start                 # in another terminal
 *   npm run bench:soak [-- --minutes 10 --connections 50 --base http://127.0.0.1:8787]
 *   npm run bench:soak -- --baseline --base …   # against a server with RATE_LIMITING=off, for comparison
 *   npm run bench:soak -- --only "search,browse" --exclude /v1/genres   # a part of the mix (to find a culprit)
 *
 * Anonymous on purpose: anonymous callers spend units their isolate leases from the caller's
 * quota object (src/access/leases.ts), the path where requests of one caller meet. The local
 * profile raises the anonymous limits (RATE_LIMITS in wrangler.toml) but keeps metering and
 * leasing on; the script checks that the server meters (RateLimit-Policy on every answer) and
 * that the quota object counted the requests it sent, and stops if metering is off.
 *
 * Every 30 s it prints the interval's requests/s, the answers that were neither 2xx nor 3xx,
 * the 5xx, and the timeouts (requests with no answer within --timeout s: hung), with the
 * server's memory: the VmRSS of the workerd process listening on the port and of its sibling
 * workerd processes (wrangler dev's runtime), summed (/proc; skipped when not found, e.g.
 * another machine or OS). At the end: whether memory reached a plateau,
 * a one-line summary, and the bench-soak section of docs/benchmarks.md. Exits 1 when any
 * request failed (non-2xx/3xx, 5xx or timeout).
 *
 * `wrangler dev` rebuilds and reloads the Worker whenever a source file changes, and requests
 * stall meanwhile (seconds; timeouts under load): edit nothing under src/ during a soak, or
 * soak a server started from a copy of the project.
 */
import autocannon from "autocannon";
import { existsSync, readdirSync, readFileSync, readlinkSync } from "node:fs";
import { cpus, totalmem } from "node:os";
import { arg, writeBenchmarkSection } from "./lib/cli";

const BASE = arg("base", "http://127.0.0.1:8787").replace(/\/$/, "");
const MINUTES = Number(arg("minutes", "10"));
const CONNECTIONS = Number(arg("connections", "50"));
const TIMEOUT_S = Number(arg("timeout", "10"));
/** --baseline: soak a server with RATE_LIMITING=off (a comparison run): no metering check, docs/benchmarks.md left alone. */
const BASELINE = process.argv.includes("--baseline");
/** --only "search,browse": soak only the groups of the mix whose kind contains one of these (to find which route misbehaves). */
const ONLY = arg("only", "").split(",").map((s) => s.trim()).filter(Boolean);
/** --exclude "/v1/genres,/v1/top": leave out the paths containing one of these. */
const EXCLUDE = arg("exclude", "").split(",").map((s) => s.trim()).filter(Boolean);
const REPORT_MS = 30_000;
const SAMPLE_MS = 5_000;

// ---------------------------------------------------------------------------------------------
// The mix: cached reads of every kind, weighted roughly as a client of the API would ask them.

/** Ids spread over the sample catalog (1…40,068); paths that do not answer 200 are dropped before the run. */
const HOT_IDS = Array.from({ length: 200 }, (_, i) => 1 + ((i * 7919) % 40_068));
const SEARCHES = ["cowboy bebop", "frieren", "attack on titan", "steins gate", "one piece", "naruto", "evangelion", "bounty hunters in space", "rezero", "mecha 90s"];
const MIX: { kind: string; weight: number; paths: string[] }[] = [
  { kind: "anime by id", weight: 35, paths: HOT_IDS.map((id) => `/v1/anime/${id}`) },
  { kind: "search", weight: 15, paths: SEARCHES.map((q) => `/v1/search?q=${encodeURIComponent(q)}&limit=10`) },
  {
    kind: "browse",
    weight: 15,
    paths: ["/v1/anime?limit=20", "/v1/anime?genres=Sci-Fi&year_from=1998&year_to=1998&limit=20", "/v1/anime?type=MOVIE&sort=score&limit=20", "/v1/anime?sort=popularity&limit=20", "/v1/anime?tags=mecha&year_from=1990&year_to=1999&type=TV"],
  },
  { kind: "seasons", weight: 10, paths: ["/v1/seasons/1998/spring", "/v1/seasons/2024/fall", "/v1/seasons/now", "/v1/seasons/upcoming"] },
  { kind: "top and popular", weight: 15, paths: ["/v1/top", "/v1/top?limit=50", "/v1/popular", "/v1/popular?limit=50"] },
  { kind: "lookup and taxonomy", weight: 10, paths: ["/v1/anime/lookup?site=myanimelist&id=1", "/v1/anime/lookup?site=anilist&id=1", "/v1/genres", "/v1/tags?prefix=mec", "/v1/studios"] },
];

// ---------------------------------------------------------------------------------------------
// The server's memory: the workerd process that listens on the port (Linux /proc only).

/** The inode of the socket listening on `port` (IPv4 or IPv6), from /proc/net/tcp*. */
function listeningInode(port: number): string | null {
  for (const file of ["/proc/net/tcp", "/proc/net/tcp6"]) {
    if (!existsSync(file)) continue;
    for (const line of readFileSync(file, "utf8").split("\n").slice(1)) {
      const f = line.trim().split(/\s+/);
      if (f.length < 10 || f[3] !== "0A") continue; // 0A: LISTEN
      if (parseInt(f[1].split(":")[1], 16) === port) return f[9];
    }
  }
  return null;
}

const comm = (pid: number) => {
  try {
    return readFileSync(`/proc/${pid}/comm`, "utf8").trim();
  } catch {
    return "";
  }
};

/** The pid of the workerd process listening on `port`, or null (not Linux, not found, not ours to read). */
function serverPid(port: number): number | null {
  const inode = listeningInode(port);
  if (!inode) return null;
  const pids = existsSync("/proc") ? readdirSync("/proc").filter((d) => /^\d+$/.test(d)) : [];
  for (const pid of pids) {
    let fds: string[];
    try {
      fds = readdirSync(`/proc/${pid}/fd`);
    } catch {
      continue;
    }
    for (const fd of fds) {
      try {
        if (readlinkSync(`/proc/${pid}/fd/${fd}`) === `socket:[${inode}]`) return comm(Number(pid)) === "workerd" ? Number(pid) : null;
      } catch {
        // gone, or not readable
      }
    }
  }
  return null;
}

/** VmRSS of `pid` in MB, or null when it cannot be read. */
function rssMb(pid: number): number | null {
  try {
    const m = /^VmRSS:\s+(\d+)\s+kB/m.exec(readFileSync(`/proc/${pid}/status`, "utf8"));
    return m ? Math.round(Number(m[1]) / 1024) : null;
  } catch {
    return null;
  }
}

const parentOf = (pid: number) => {
  try {
    return Number(readFileSync(`/proc/${pid}/stat`, "utf8").replace(/^.*\) /s, "").split(" ")[1]);
  } catch {
    return -1;
  }
};

/**
 * The server's workerd processes: the one listening on the port and its siblings. `wrangler
 * dev` runs two: one that takes the connections (its proxy) and one that runs the Worker, its
 * Durable Objects and the local D1/KV/Cache (restarted on every reload, so looked up again at
 * each sample).
 */
function serverProcesses(listening: number): { pid: number; role: string }[] {
  const parent = parentOf(listening);
  const siblings = readdirSync("/proc")
    .filter((d) => /^\d+$/.test(d))
    .map(Number)
    .filter((p) => p !== listening && parentOf(p) === parent && comm(p) === "workerd");
  return [{ pid: listening, role: "listening" }, ...siblings.map((pid) => ({ pid, role: "runtime" }))];
}

/** Least-squares slope of `ys` over `xs`, per unit of x. */
function slope(xs: number[], ys: number[]): number {
  const n = xs.length;
  const mx = xs.reduce((a, b) => a + b, 0) / n;
  const my = ys.reduce((a, b) => a + b, 0) / n;
  const num = xs.reduce((a, x, i) => a + (x - mx) * (ys[i] - my), 0);
  const den = xs.reduce((a, x) => a + (x - mx) ** 2, 0);
  return den === 0 ? 0 : num / den;
}

// ---------------------------------------------------------------------------------------------
// Before the run: the server answers, meters anonymous callers, and every path of the mix is warm.

interface Standing {
  tier: string;
  usage: { day: string; requests: number };
}

async function standing(): Promise<{ me: Standing; policy: string | null }> {
  const res = await fetch(`${BASE}/v1/me`);
  if (!res.ok) throw new Error(`bench:soak: GET /v1/me answered ${res.status}`);
  return { me: (await res.json()) as Standing, policy: res.headers.get("ratelimit-policy") };
}

const live = await fetch(`${BASE}/health/live`).catch(() => null);
if (!live?.ok) {
  console.error(`bench:soak: nothing answers at ${BASE}; run \`npm start\` in another terminal first (or pass --base)`);
  process.exit(2);
}
const before = await standing();
if (!BASELINE && (before.me.tier !== "anonymous" || !before.policy)) {
  console.error(`bench:soak: ${BASE} does not meter anonymous callers (tier ${before.me.tier}, RateLimit-Policy ${before.policy ?? "absent"}): the soak would not exercise quota leases. Is RATE_LIMITING=off?`);
  process.exit(2);
}
const daily = /"daily";q=(\d+)/.exec(before.policy ?? "")?.[1];
console.log(before.policy ? `bench:soak: ${BASE} meters anonymous callers (${before.policy}); units are leased to the isolate unless RATE_LIMIT_LEASE_MS=0` : `bench:soak: ${BASE} does not meter (baseline run)`);
if (daily && Number(daily) < 1_000_000) console.warn(`bench:soak: the anonymous daily limit is ${daily}: a long run will be refused (429) — use the local profile (RATE_LIMITS in wrangler.toml)`);

let warmed = 0;
const dropped: string[] = [];
if (ONLY.length) for (const g of MIX) if (!ONLY.some((o) => g.kind.includes(o))) g.paths = [];
for (const g of MIX) g.paths = g.paths.filter((p) => !EXCLUDE.some((x) => p.includes(x)));
for (const group of MIX) {
  const ok: string[] = [];
  for (const path of group.paths) {
    const res = await fetch(BASE + path);
    await res.arrayBuffer();
    warmed++;
    if (res.status === 200) ok.push(path);
    else dropped.push(`${path} (${res.status})`);
  }
  group.paths = ok;
}
if (dropped.length) console.warn(`bench:soak: left out of the mix (not 200 when warmed): ${dropped.join(", ")}`);
const groups = MIX.filter((g) => g.paths.length > 0);
if (ONLY.length ? groups.length === 0 : groups.length < MIX.length / 2) {
  console.error("bench:soak: most of the mix does not answer 200; is this the sample catalog (`npm start`)?");
  process.exit(2);
}
const totalWeight = groups.reduce((a, g) => a + g.weight, 0);
function nextPath(): string {
  let r = Math.random() * totalWeight;
  for (const g of groups) {
    r -= g.weight;
    if (r <= 0) return g.paths[Math.floor(Math.random() * g.paths.length)];
  }
  return groups[0].paths[0];
}

// ---------------------------------------------------------------------------------------------
// The run.

const port = Number(new URL(BASE).port || (new URL(BASE).protocol === "https:" ? 443 : 80));
const isLocal = ["127.0.0.1", "localhost", "[::1]"].includes(new URL(BASE).hostname);
const pid = isLocal ? serverPid(port) : null;
console.log(
  pid
    ? `bench:soak: sampling the memory of the server's workerd processes (${serverProcesses(pid).map((p) => `${p.role} ${p.pid}`).join(", ")}) every ${SAMPLE_MS / 1000} s`
    : `bench:soak: no workerd process found listening on ${port} here: memory is not sampled`,
);

const counts = { responses: 0, ok: 0, failed: 0, server: 0, timeouts: 0, errors: 0 };
const byStatus = new Map<number, number>();
const memory: { t: number; mb: number; parts: string }[] = [];
const intervals: { t: number; rps: number; failed: number; server: number; timeouts: number; mb: number | null }[] = [];
const t0 = Date.now();
/** The workerd processes' VmRSS, summed (MB), with each process's share. */
const sample = () => {
  if (!pid) return null;
  const parts = serverProcesses(pid).map((p) => ({ ...p, mb: rssMb(p.pid) }));
  if (parts[0].mb === null) return null;
  const mb = parts.reduce((a, p) => a + (p.mb ?? 0), 0);
  memory.push({ t: (Date.now() - t0) / 60_000, mb, parts: parts.map((p) => `${p.role} ${p.mb ?? "?"}`).join(" + ") });
  return mb;
};
sample();

let last = { at: t0, responses: 0 };
const sampler = setInterval(sample, SAMPLE_MS);
const reporter = setInterval(() => {
  const now = Date.now();
  const rps = (counts.responses - last.responses) / ((now - last.at) / 1000);
  last = { at: now, responses: counts.responses };
  const mb = memory.at(-1)?.mb ?? null;
  intervals.push({ t: (now - t0) / 60_000, rps, failed: counts.failed, server: counts.server, timeouts: counts.timeouts, mb });
  const m = Math.floor((now - t0) / 60_000);
  const s = Math.round(((now - t0) % 60_000) / 1000);
  console.log(
    `bench:soak: ${m}:${String(s).padStart(2, "0")}  ${rps.toFixed(0)} req/s  ${counts.responses} answered  non-2xx/3xx ${counts.failed}  5xx ${counts.server}  timeouts ${counts.timeouts}  errors ${counts.errors}${mb !== null ? `  workerd ${mb} MB` : ""}`,
  );
}, REPORT_MS);

console.log(`bench:soak: ${CONNECTIONS} connections for ${MINUTES} min against ${BASE} (anonymous, ${groups.map((g) => `${g.kind} ${g.weight}`).join(", ")})…`);
const result = await new Promise<autocannon.Result>((resolve, reject) => {
  const instance = autocannon(
    { url: BASE, connections: CONNECTIONS, duration: MINUTES * 60, timeout: TIMEOUT_S, requests: [{ setupRequest: (req) => ({ ...req, path: nextPath() }) }] },
    (err, res) => (err ? reject(err) : resolve(res)),
  );
  instance.on("response", (_client, answered) => {
    const status = typeof answered === "number" ? answered : 0; // 0: the connection closed before a status line
    counts.responses++;
    byStatus.set(status, (byStatus.get(status) ?? 0) + 1);
    if (status >= 200 && status < 400) counts.ok++;
    else counts.failed++;
    if (status >= 500) counts.server++;
  });
  instance.on("reqError", (err: Error) => {
    if (/timed out/.test(err.message)) counts.timeouts++;
    else counts.errors++;
  });
  process.once("SIGINT", () => instance.stop());
});
clearInterval(reporter);
clearInterval(sampler);
sample();
const seconds = (Date.now() - t0) / 1000;

// The quota object's count of this caller's requests over the run (other clients on 127.0.0.1
// would be counted too; a request the run ended while it was in flight may or may not be).
const after = await standing().catch(() => null);
// Sent: the warm-up, every request answered or given up on, and the closing GET /v1/me (the
// last request of each connection may still be in flight when the run stops).
const sent = warmed + counts.responses + counts.timeouts + counts.errors + 1;
const counted = after && after.me.usage.day === before.me.usage.day ? after.me.usage.requests - before.me.usage.requests : null;

// Memory: the plateau is read from the second half of the run (the first warms caches and
// JIT): plateau when the last quarter's mean is within 5 % of the second quarter's and the
// second half's trend is under 1 % a minute.
let plateau = "not sampled";
let memoryLine = "";
if (memory.length >= 8) {
  const end = memory.at(-1)!.t;
  const mean = (from: number, to: number) => {
    const xs = memory.filter((s) => s.t >= from * end && s.t < to * end + 1e-9).map((s) => s.mb);
    return xs.reduce((a, b) => a + b, 0) / Math.max(1, xs.length);
  };
  const half = memory.filter((s) => s.t >= end / 2);
  const perMin = slope(half.map((s) => s.t), half.map((s) => s.mb));
  const [q2, q4] = [mean(0.25, 0.5), mean(0.75, 1)];
  const peak = Math.max(...memory.map((s) => s.mb));
  const growth = `second half ${perMin >= 0 ? "+" : ""}${perMin.toFixed(1)} MB/min, last quarter ${q4 >= q2 ? "+" : ""}${(((q4 - q2) / q2) * 100).toFixed(1)} % over the second`;
  plateau = q4 <= q2 * 1.05 && perMin <= 0.01 * q4 ? `plateau at ~${Math.round(q4)} MB (${growth})` : `no plateau: still growing (${growth})`;
  memoryLine = `workerd RSS ${memory[0].mb} MB at the start (${memory[0].parts}), ${peak} MB peak, ${memory.at(-1)!.mb} MB at the end (${memory.at(-1)!.parts}); ${plateau}`;
  console.log(`bench:soak: ${memoryLine}`);
}

const rps = counts.responses / seconds;
const failures = counts.failed + counts.timeouts + counts.errors;
const statuses = [...byStatus.entries()].sort((a, b) => a[0] - b[0]).map(([s, n]) => `${s || "no status"}: ${n}`).join(", ");
const today = new Date().toISOString().slice(0, 10);
const command = `npm run bench:soak -- --minutes ${MINUTES} --connections ${CONNECTIONS}${BASE === "http://127.0.0.1:8787" ? "" : ` --base ${BASE}`}${ONLY.length ? ` --only "${ONLY.join(",")}"` : ""}${EXCLUDE.length ? ` --exclude "${EXCLUDE.join(",")}"` : ""}`;
const intervalRows = intervals
  .map((r) => `| ${r.t.toFixed(1)} | ${r.rps.toFixed(0)} | ${r.failed} | ${r.server} | ${r.timeouts} | ${r.mb ?? "–"} |`)
  .join("\n");
const section = `<!-- bench-soak:start (written by scripts/bench-soak.ts; edit outside these markers) -->
Command: \`${command}\` (${today}), ${cpus().length} cores, ${Math.round(totalmem() / 2 ** 30)} GiB, against \`npm start\` (\`wrangler dev\`,
local workerd and D1; autocannon on the same machine). Anonymous, so every request spends a unit of the caller's
quota through the isolate's leases; a cached mix: ${groups.map((g) => `${g.kind} ${Math.round((100 * g.weight) / totalWeight)} %`).join(", ")}
(each path asked once before the run). A request with no answer within ${TIMEOUT_S} s counts as a timeout (hung).

| | |
| --- | --- |
| Duration | ${(seconds / 60).toFixed(1)} min, ${CONNECTIONS} connections |
| Requests answered | ${counts.responses} (${rps.toFixed(0)} req/s; p50 ${result.latency.p50} ms, p99 ${result.latency.p99} ms) |
| Statuses | ${statuses || "–"} |
| Non-2xx/3xx | **${counts.failed}** (5xx: **${counts.server}**) |
| Timeouts (hung) | **${counts.timeouts}**; connection errors ${counts.errors} |
| Quota object's count | ${counted === null ? "not read" : `${counted} units for ${sent} requests sent (warm-up, timed-out and /v1/me included; up to ${CONNECTIONS} more were in flight at the end, and units leased to a request that was cancelled are lost to the caller)`} |
| Server memory | ${memoryLine || "not sampled (no workerd process listening on the port here)"} |

Every 30 s (cumulative failures):

| min | req/s | non-2xx/3xx | 5xx | timeouts | workerd MB |
| --- | --- | --- | --- | --- | --- |
${intervalRows}
<!-- bench-soak:end -->`;
if (!BASELINE) writeBenchmarkSection("bench-soak", section, "## Soak (sustained anonymous load)");
console.log(
  `bench:soak: ${(seconds / 60).toFixed(1)} min × ${CONNECTIONS} connections: ${counts.responses} answered (${rps.toFixed(0)} req/s), non-2xx/3xx ${counts.failed}, 5xx ${counts.server}, timeouts ${counts.timeouts}, errors ${counts.errors}; memory ${plateau}${counted === null ? "" : `; quota counted ${counted}/${sent}`} ${BASELINE ? " (baseline: docs/benchmarks.md not written)" : " — written to docs/benchmarks.md"}`,
);
process.exit(failures > 0 ? 1 : 0);
