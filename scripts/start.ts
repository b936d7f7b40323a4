/**
 * `npm start`: applies migrations, imports the sample catalog when the catalog is empty, loads
 * the airing schedules from the installed bangumi-data package (when not loaded already),
 * serves the API on http://127.0.0.1:8787 with `wrangler dev`, then indexes whatever is not
 * yet searchable (vectors live in a Durable Object, which only the running Worker can
 * reach). No account, no network.
 */
import { spawn, spawnSync } from "node:child_process";
import { openLocalServices } from "./lib/local-db";
import { importIfEmpty } from "./lib/run-import";
import { loadSchedule } from "./lib/schedule-load";
import { localAdminToken } from "./lib/admin-token";
import { indexUntilDone, waitForServer } from "./lib/search-index";

const SAMPLE = "data/sample/anime-offline-database-sample.jsonl.gz";
const BASE = "http://127.0.0.1:8787";
const wrangler = (args: string[]) => spawnSync("npx", ["wrangler", ...args], { stdio: "inherit", env: { ...process.env, CI: "true" } });

const admin = localAdminToken();
if (admin.created) console.log(`kensho: created an admin token in .dev.vars (shown once): ${admin.token}`);

console.log("kensho: applying migrations…");
if (wrangler(["d1", "migrations", "apply", "DB", "--local"]).status !== 0) process.exit(1);

const { services, dispose } = await openLocalServices({ job: "start" });
try {
  await importIfEmpty(services, SAMPLE);
  // The airing schedules from the installed bangumi-data package (skipped when already loaded).
  await loadSchedule(services);
} finally {
  await dispose();
}

const dev = spawn("npx", ["wrangler", "dev", "--ip", "127.0.0.1", "--port", "8787", ...process.argv.slice(2)], { stdio: "inherit" });
for (const sig of ["SIGINT", "SIGTERM"] as const) process.on(sig, () => dev.kill(sig));
dev.on("exit", (code) => process.exit(code ?? 0));

try {
  await waitForServer(BASE);
  await indexUntilDone(BASE, admin.token);
  console.log("kensho: local profile: every tier's limits are raised (RATE_LIMITS in wrangler.toml), so neither 127.0.0.1 nor a local key is throttled; production uses the defaults of src/access/tiers.ts");
  console.log(`kensho: ready on ${BASE} (docs: /docs)`);
} catch (err) {
  console.error(`kensho: search indexing failed: ${err instanceof Error ? err.message : err}`);
}
