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
import { existsSync } from "node:fs";
import { serveFile } from "./lib/serve-file";
import { localAdminToken } from "./lib/admin-token";
import { indexUntilDone } from "./lib/search-index";
import { runSummary, runSync } from "./lib/sync-run";

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

let served: { url: string; close: () => void } | null = null;
let source = target;
if (!/^https?:\/\//.test(target)) {
  if (!existsSync(target)) {
    console.error(`sync: no such file: ${target}`);
    process.exit(2);
  }
  served = await serveFile(target);
  source = served.url;
}

try {
  console.log(`sync: ${target}`);
  const run = await runSync(BASE, token, source);
  if (run.status === "succeeded" && run.counts.added + run.counts.updated + run.counts.orphaned + run.counts.resurrected > 0) await indexUntilDone(BASE, token);
  console.log(runSummary(run));
  if (run.status === "failed") process.exitCode = 1;
} catch (err) {
  console.error(err instanceof Error ? err.message : String(err));
  process.exitCode = 1;
} finally {
  served?.close();
}
