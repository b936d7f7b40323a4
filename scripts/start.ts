/**
 * `npm start`: applies migrations, imports the sample catalog when the catalog is empty,
 * then serves the API on http://127.0.0.1:8787 with `wrangler dev`. No account, no network.
 */
import { spawn, spawnSync } from "node:child_process";
import { openLocalEnv } from "./lib/local-db";
import { importIfEmpty } from "./lib/run-import";

const SAMPLE = "data/sample/anime-offline-database-sample.jsonl.gz";
const wrangler = (args: string[]) => spawnSync("npx", ["wrangler", ...args], { stdio: "inherit", env: { ...process.env, CI: "true" } });

console.log("kensho: applying migrations…");
if (wrangler(["d1", "migrations", "apply", "DB", "--local"]).status !== 0) process.exit(1);

const { db, dispose } = await openLocalEnv();
try {
  await importIfEmpty(db, SAMPLE);
} finally {
  await dispose();
}

console.log("kensho: serving on http://127.0.0.1:8787 (docs: /docs)");
const dev = spawn("npx", ["wrangler", "dev", "--ip", "127.0.0.1", "--port", "8787", ...process.argv.slice(2)], { stdio: "inherit" });
for (const sig of ["SIGINT", "SIGTERM"] as const) process.on(sig, () => dev.kill(sig));
dev.on("exit", (code) => process.exit(code ?? 0));
