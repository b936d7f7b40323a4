/**
 * `npm run fuzz:search [-- --count 2500 --base http://127.0.0.1:8787]`: sends random and
 * hostile inputs to GET /v1/search, GET /v1/anime/{id}/similar and POST /v1/query of a running
 * API (npm start) and checks that none answers 5xx and every error is problem+json with a
 * code and the request id. Prints progress and a one-line summary; writes the counts to
 * docs/benchmarks.md. Exit 1 on any violation.
 */
import { arg, writeBenchmarkSection } from "./lib/cli";
import { queryBody, searchPath, seeded } from "./lib/hostile-inputs";

const BASE = arg("base", "http://127.0.0.1:8787");
const COUNT = Number(arg("count", "2500"));
const SEED = Number(arg("seed", "7"));
const r = seeded(SEED);

if (!(await fetch(`${BASE}/health/live`).catch(() => null))?.ok) {
  console.error(`fuzz:search: nothing answers at ${BASE}; run \`npm start\` first`);
  process.exit(2);
}

const statuses = new Map<string, number>();
const violations: string[] = [];
const started = Date.now();
for (let i = 0; i < COUNT; i++) {
  const roll = r();
  let label: string, res: Response;
  if (roll < 0.6) {
    label = searchPath(r);
    res = await fetch(BASE + label);
  } else if (roll < 0.7) {
    label = `/v1/anime/${[1, 0, -1, 99999999, "abc", "1e3"][Math.floor(r() * 6)]}/similar?limit=${Math.floor(r() * 60)}&exclude_related=${r() < 0.5}`;
    res = await fetch(BASE + label);
  } else {
    const body = r() < 0.01 ? "x".repeat(70_000) : queryBody(r);
    label = `POST /v1/query ${body.slice(0, 60)}`;
    res = await fetch(`${BASE}/v1/query`, { method: "POST", headers: { "Content-Type": r() < 0.9 ? "application/json" : "text/plain" }, body });
  }
  const text = await res.text();
  const key = `${Math.floor(res.status / 100)}xx`;
  statuses.set(key, (statuses.get(key) ?? 0) + 1);
  if (res.status >= 500) violations.push(`${res.status} ${label}`);
  else if (res.status >= 400) {
    let body: Record<string, unknown> = {};
    try {
      body = JSON.parse(text);
    } catch {
      violations.push(`non-JSON ${res.status} ${label}`);
    }
    if (!res.headers.get("content-type")?.startsWith("application/problem+json") || typeof body.code !== "string" || body.request_id !== res.headers.get("x-request-id")) {
      violations.push(`bad problem ${res.status} ${label}`);
    }
  } else if (res.status === 200) {
    try {
      if (!Array.isArray(JSON.parse(text).data)) violations.push(`200 without data ${label}`);
    } catch {
      violations.push(`200 non-JSON ${label}`);
    }
  }
  if ((i + 1) % 500 === 0) console.log(`fuzz:search: ${i + 1}/${COUNT} sent, ${violations.length} violations`);
}

const counts = [...statuses.entries()].sort().map(([k, n]) => `${k}: ${n}`).join(", ");
const secs = ((Date.now() - started) / 1000).toFixed(1);
const section = `<!-- fuzz-search:start (written by scripts/fuzz-search.ts) -->
Command: \`npm start\`, then \`npm run fuzz:search -- --count ${COUNT} --seed ${SEED}\` (${new Date().toISOString().slice(0, 10)}).
${COUNT} random and hostile requests (FTS5 syntax, SQL, unicode edge cases, 1,000+ character and
malformed percent-encoded queries, wrong parameter values, non-JSON and oversized bodies) to
GET /v1/search, GET /v1/anime/{id}/similar and POST /v1/query in ${secs} s: ${counts};
**${violations.length} violations** (a 5xx, or an error that is not problem+json with code and request_id).
<!-- fuzz-search:end -->`;
writeBenchmarkSection("fuzz-search", section, "### Fuzzing search and query");
for (const v of violations.slice(0, 20)) console.log(`  ${v}`);
console.log(`fuzz:search: ${COUNT} requests (${counts}), ${violations.length} violations in ${secs} s — written to docs/benchmarks.md`);
process.exit(violations.length ? 1 : 0);
