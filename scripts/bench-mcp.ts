/**
 * MCP tool calls against the same REST requests, in one run: a tool is a thin wrapper that
 * dispatches its route in-process, so a call should cost little more than the route itself
 * (target: within 1.3× at the median).
 *
 *   npm start                     # in another terminal
 *   npm run bench:mcp [-- --base http://127.0.0.1:8787 --rounds 200 --write]
 *
 * One request at a time (latency, not throughput), every kind interleaved round by round in
 * a rotating order, after one warm-up pass (so the routes answer from their caches on both
 * sides, the common case). MCP requests are raw JSON-RPC POSTs as clients send them: the 2025
 * era (no handshake needed: stateless; the answer is an event stream) and the 2026-07-28 era
 * (per-request envelope; a JSON answer). `--write` rewrites the bench-mcp section of
 * docs/benchmarks.md.
 */
import { cpus, totalmem } from "node:os";
import { arg, writeBenchmarkSection } from "./lib/cli";
import { COMPACT_FIELDS } from "../src/mcp/tools";

const BASE = arg("base", "http://127.0.0.1:8787");
const ROUNDS = Number(arg("rounds", "200"));
const WRITE = process.argv.includes("--write");
const TARGET = 1.3;
const MODERN = "2026-07-28";
const TITLES = ["cowboy bebop", "frieren", "attack on titan", "spirited away", "steins gate", "one piece", "naruto", "death note", "fullmetal alchemist", "your name", "mushishi", "k-on", "monster", "akira", "haikyuu", "clannad", "evangelion", "bocchi the rock", "vinland saga", "made in abyss"];

if (!(await fetch(`${BASE}/health/live`).catch(() => null))?.ok) {
  console.error(`bench:mcp: nothing answers at ${BASE}; run \`npm start\` first`);
  process.exit(2);
}

let rpcId = 0;
/** One tools/call as a 2025 client sends it (Accept both; the answer is an event stream) or as a 2026-07-28 client does. */
function toolCall(era: "legacy" | "modern", name: string, args: Record<string, unknown>): { path: string; init: RequestInit } {
  const params: Record<string, unknown> = { name, arguments: args };
  const headers: Record<string, string> = { "Content-Type": "application/json", Accept: "application/json, text/event-stream" };
  if (era === "modern") {
    params._meta = { "io.modelcontextprotocol/protocolVersion": MODERN, "io.modelcontextprotocol/clientInfo": { name: "bench-mcp", version: "1" }, "io.modelcontextprotocol/clientCapabilities": {} };
    Object.assign(headers, { "MCP-Protocol-Version": MODERN, "Mcp-Method": "tools/call", "Mcp-Name": name });
  }
  return { path: "/mcp", init: { method: "POST", headers, body: JSON.stringify({ jsonrpc: "2.0", id: ++rpcId, method: "tools/call", params }) } };
}

/** The tool result of an answer (JSON, or the event stream's data line); null when it is not a successful one. */
function toolResult(text: string): any {
  const json = text.startsWith("{") ? text : (/^data: (.*)$/m.exec(text)?.[1] ?? "null");
  const msg = JSON.parse(json);
  return msg?.result && !msg.result.isError ? msg.result : null;
}

// Ids of real anime for the point lookups: the first hit of each title.
const ids: number[] = [];
for (const q of TITLES) {
  const res = (await (await fetch(`${BASE}/v1/search?q=${encodeURIComponent(q)}&limit=1&fields=id`)).json()) as { data: { id: number }[] };
  if (res.data[0]) ids.push(res.data[0].id);
}

type Kind = "trivial" | "search REST" | "search MCP 2025" | "search MCP 2026" | "get REST" | "get MCP 2025" | "get MCP 2026" | "tools/list 2025";
const requestOf = (kind: Kind, i: number): { path: string; init?: RequestInit; mcp: boolean } => {
  const q = TITLES[i % TITLES.length], id = ids[i % ids.length];
  switch (kind) {
    case "trivial": return { path: "/health/live", mcp: false };
    case "search REST": return { path: `/v1/search?q=${encodeURIComponent(q)}&limit=10&fields=${COMPACT_FIELDS.join(",")}`, mcp: false };
    case "search MCP 2025": return { ...toolCall("legacy", "search_anime", { q }), mcp: true };
    case "search MCP 2026": return { ...toolCall("modern", "search_anime", { q }), mcp: true };
    case "get REST": return { path: `/v1/anime/${id}`, mcp: false };
    case "get MCP 2025": return { ...toolCall("legacy", "get_anime", { id }), mcp: true };
    case "get MCP 2026": return { ...toolCall("modern", "get_anime", { id }), mcp: true };
    case "tools/list 2025": return { path: "/mcp", init: { method: "POST", headers: { "Content-Type": "application/json", Accept: "application/json, text/event-stream" }, body: JSON.stringify({ jsonrpc: "2.0", id: ++rpcId, method: "tools/list" }) }, mcp: false };
  }
};
const KINDS: Kind[] = ["trivial", "search REST", "search MCP 2025", "search MCP 2026", "get REST", "get MCP 2025", "get MCP 2026", "tools/list 2025"];

async function timeOne(kind: Kind, i: number): Promise<number> {
  const r = requestOf(kind, i);
  const t = performance.now();
  const res = await fetch(BASE + r.path, r.init);
  const text = await res.text();
  const ms = performance.now() - t;
  if (!res.ok || (r.mcp && toolResult(text) === null)) throw new Error(`${kind}: ${res.status} ${text.slice(0, 300)}`);
  return ms;
}

// Warm-up: every request once, so both sides are served from the routes' caches.
for (let i = 0; i < TITLES.length; i++) for (const kind of KINDS) await timeOne(kind, i);
const samples = new Map<Kind, number[]>(KINDS.map((k) => [k, []]));
for (let round = 0; round < ROUNDS; round++) {
  const order = KINDS.map((_, j) => KINDS[(j + round) % KINDS.length]);
  for (const kind of order) samples.get(kind)!.push(await timeOne(kind, round));
  if ((round + 1) % 50 === 0) console.log(`bench:mcp: ${round + 1}/${ROUNDS} rounds`);
}

const quantile = (xs: number[], q: number) => {
  const s = [...xs].sort((a, b) => a - b);
  return s[Math.min(s.length - 1, Math.floor(q * s.length))];
};
const mean = (xs: number[]) => xs.reduce((a, b) => a + b, 0) / xs.length;
const stats = new Map(KINDS.map((k) => [k, { p50: quantile(samples.get(k)!, 0.5), p95: quantile(samples.get(k)!, 0.95), mean: mean(samples.get(k)!) }]));
const f = (x: number) => x.toFixed(2);
const pairs: [string, Kind, Kind][] = [
  ["search_anime (2025 era) vs GET /v1/search", "search MCP 2025", "search REST"],
  ["search_anime (2026-07-28) vs GET /v1/search", "search MCP 2026", "search REST"],
  ["get_anime (2025 era) vs GET /v1/anime/{id}", "get MCP 2025", "get REST"],
  ["get_anime (2026-07-28) vs GET /v1/anime/{id}", "get MCP 2026", "get REST"],
];
const ratios = pairs.map(([label, mcp, rest]) => ({ label, p50: stats.get(mcp)!.p50 / stats.get(rest)!.p50, mean: stats.get(mcp)!.mean / stats.get(rest)!.mean, p95: stats.get(mcp)!.p95 / stats.get(rest)!.p95 }));

const rows = KINDS.map((k) => `| ${k} | \`${k.includes("MCP") || k.startsWith("tools") ? "POST /mcp" : requestOf(k, 0).path.replace(/\?.*/, "?…")}\` | ${f(stats.get(k)!.p50)} | ${f(stats.get(k)!.p95)} | ${f(stats.get(k)!.mean)} |`);
const ratioRows = ratios.map((r) => `| ${r.label} | ${f(r.p50)} | ${f(r.mean)} | ${f(r.p95)} | ${r.p50 <= TARGET ? "yes" : "no"} |`);
for (const line of [...rows, ...ratioRows]) console.log(line);

if (WRITE) {
  const date = new Date().toISOString().slice(0, 10);
  const section = [
    "<!-- bench-mcp:start (written by scripts/bench-mcp.ts; edit outside these markers) -->",
    `Measured on ${date}, ${cpus().length} cores, ${Math.round(totalmem() / 2 ** 30)} GiB, Node ${process.version}: \`wrangler dev\` (local workerd, the sample catalog) at ${BASE}, one request at a time, ${ROUNDS} rounds of every kind interleaved in a rotating order after a warm-up pass over ${TITLES.length} titles and their ids (cache hits on both sides). MCP requests are raw JSON-RPC \`tools/call\` POSTs: the 2025 era without a handshake (stateless; answered as an event stream), the 2026-07-28 era with its envelope (a JSON answer). The REST requests are exactly what the tools dispatch (search: \`limit=10\` and the compact \`fields\`). Target: a tool call within ${TARGET}× of its REST request at the median.`,
    "",
    `Command: \`npm run bench:mcp -- --base ${BASE} --rounds ${ROUNDS} --write\``,
    "",
    "| Kind | Request | p50 ms | p95 ms | mean ms |",
    "| --- | --- | --- | --- | --- |",
    ...rows,
    "",
    "| Pair (same run) | p50 ratio | mean ratio | p95 ratio | Within 1.3× (p50) |",
    "| --- | --- | --- | --- | --- |",
    ...ratioRows,
    "<!-- bench-mcp:end -->",
  ].join("\n");
  writeBenchmarkSection("bench-mcp", section, "### MCP tool calls vs the same REST requests (`npm run bench:mcp`)");
}
const worst = Math.max(...ratios.map((r) => r.p50));
console.log(`bench:mcp: worst p50 ratio ${f(worst)}× (target ≤ ${TARGET}×)`);
