/**
 * Imports an anime-offline-database release file (minified .json or .jsonl, optionally
 * .gz/.zst) or an enriched-entries file into the local D1 catalog.
 *
 *   npm run import -- <file> [--if-empty]
 *
 * Migrations must be applied first (`npm run migrate`; `npm start` does it).
 * --if-empty: do nothing when the catalog already has entries (what `npm start` does).
 * Exit code 1 when the file cannot be read; invalid entries are reported, not fatal.
 */
import { existsSync } from "node:fs";
import { openLocalEnv } from "./lib/local-db";
import { importIfEmpty, runImport } from "./lib/run-import";

const args = process.argv.slice(2);
const file = args.find((a) => !a.startsWith("--"));
if (!file) {
  console.error("usage: npm run import -- <file.json|file.jsonl[.gz|.zst]> [--if-empty]");
  process.exit(2);
}
if (!existsSync(file)) {
  console.error(`import: no such file: ${file}`);
  process.exit(2);
}

const { db, dispose } = await openLocalEnv();
try {
  if (args.includes("--if-empty")) await importIfEmpty(db, file);
  else await runImport(db, file);
} catch (err) {
  console.error(`import failed: ${err instanceof Error ? err.message : String(err)}`);
  process.exitCode = 1;
} finally {
  await dispose();
}
