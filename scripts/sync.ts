/**
 * Runs a sync of the local catalog with an anime-offline-database release, through the
 * running API (`npm start`) — the same path the weekly Cron Trigger takes.
 *
 *   npm run sync -- <file.json|file.jsonl[.gz]>     # served to the Worker on 127.0.0.1
 *   npm run sync -- <https://…/release.json>
 *
 * Starts the run (POST /v1/admin/sync), follows it with progress, then embeds what changed
 * (the search index), and ends with a one-line summary. Exit code 1 when the run fails.
 */
import { createReadStream, existsSync, statSync } from "node:fs";
import { createHash } from "node:crypto";
import { createServer } from "node:http";
import { basename } from "node:path";
import { localAdminToken } from "./lib/admin-token";
import { indexUntilDone } from "./lib/search-index";

const BASE = "http://127.0.0.1:8787";
const target = process.argv.slice(2).find((a) => !a.startsWith("--"));
if (!target) {
  console.error("usage: npm run sync -- <file.json|file.jsonl[.gz]|https://…>");
  process.exit(2);
}
if (!(await fetch(`${BASE}/health/live`).catch(() => null))?.ok) {
  console.error("sync: the API is not running on 127.0.0.1:8787; start it first (npm start)");
  process.exit(2);
}
const token = localAdminToken().token;
const auth = { Authorization: `Bearer ${token}`, "Content-Type": "application/json" };

/** A file is served once, read-only, on a loopback port; its ETag is the file's SHA-256. */
async function serve(path: string): Promise<{ url: string; close: () => void }> {
  const etag = `"${createHash("sha256").update(`${statSync(path).size}:${statSync(path).mtimeMs}:${path}`).digest("hex").slice(0, 32)}"`;
  const server = createServer((req, res) => {
    if (req.headers["if-none-match"] === etag) return void res.writeHead(304, { ETag: etag }).end();
    res.writeHead(200, { "Content-Type": "application/octet-stream", "Content-Length": statSync(path).size, ETag: etag });
    createReadStream(path).pipe(res);
  });
  await new Promise<void>((r) => server.listen(0, "127.0.0.1", r));
  const port = (server.address() as { port: number }).port;
  return { url: `http://127.0.0.1:${port}/${encodeURIComponent(basename(path))}`, close: () => server.close() };
}

let served: { url: string; close: () => void } | null = null;
let source = target;
if (!/^https?:\/\//.test(target)) {
  if (!existsSync(target)) {
    console.error(`sync: no such file: ${target}`);
    process.exit(2);
  }
  served = await serve(target);
  source = served.url;
}

try {
  const started = await fetch(`${BASE}/v1/admin/sync`, { method: "POST", headers: auth, body: JSON.stringify({ source }) });
  const body = (await started.json()) as any;
  if (started.status !== 202) {
    console.error(`sync: ${started.status} ${body.code}: ${body.detail}`);
    process.exit(1);
  }
  console.log(`sync: run ${body.id} started (${target})`);
  let run = body;
  let shown = "";
  while (run.status === "running") {
    await new Promise((r) => setTimeout(r, 500));
    run = await (await fetch(`${BASE}/v1/admin/sync/runs/${body.id}`, { headers: auth })).json();
    const c = run.counts;
    const line = `sync run ${run.id}: ${run.phase}, chunk ${run.chunks.done}/${run.chunks.total ?? "?"} — ${c.read} read, ${c.added} added, ${c.updated} updated, ${c.skipped} unchanged, ${c.flagged} for review, ${c.invalid} invalid`;
    if (line !== shown) console.log((shown = line));
  }
  if (run.status === "succeeded" && run.counts.added + run.counts.updated + run.counts.orphaned + run.counts.resurrected > 0) await indexUntilDone(BASE, token);
  const c = run.counts;
  console.log(
    `sync run ${run.id} ${run.status}${run.error ? ` (${run.error})` : ""}: ${c.added} added, ${c.updated} updated, ${c.skipped} unchanged, ${c.orphaned} orphaned, ${c.resurrected} resurrected, ${c.flagged} for review, ${c.merged} merges, ${c.split} splits, ${c.invalid} invalid in ${((run.duration_ms ?? 0) / 1000).toFixed(1)} s`,
  );
  if (run.status === "failed") process.exitCode = 1;
} finally {
  served?.close();
}
