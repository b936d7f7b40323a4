/**
 * Imports an anime-offline-database release file (minified .json or .jsonl, optionally
 * .gz/.zst) or an enriched-entries file into the local D1 catalog.
 *
 *   npm run import -- <file> [--if-empty]
 *
 * Migrations must be applied first (`npm run migrate`; `npm start` does it).
 * --if-empty: do nothing when the catalog already has entries (what `npm start` does).
 * Exit code 1 when the file cannot be read; invalid entries are reported, not fatal.
 *
 * Keyword search rows are written with each batch. Embeddings live in the vector index,
 * which only the running Worker reaches: when the local API answers on 127.0.0.1:8787, the
 * import goes on to embed the new and changed anime there, with progress; otherwise it says
 * how many wait (the next `npm start` embeds them).
 */
import { existsSync } from "node:fs";
import { openLocalServices } from "./lib/local-db";
import { importIfEmpty, runImport } from "./lib/run-import";
import { localAdminToken } from "./lib/admin-token";
import { indexUntilDone, waitForServer } from "./lib/search-index";

const BASE = "http://127.0.0.1:8787";

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

const { services, dispose } = await openLocalServices({ job: "import" });
try {
  if (args.includes("--if-empty")) await importIfEmpty(services, file);
  else await runImport(services, file);
} catch (err) {
  console.error(`import failed: ${err instanceof Error ? err.message : String(err)}`);
  process.exitCode = 1;
} finally {
  await dispose();
}

if (!process.exitCode) {
  try {
    await waitForServer(BASE, 1500);
    await indexUntilDone(BASE, localAdminToken().token);
  } catch {
    const { services: again, dispose: close } = await openLocalServices({ job: "import" });
    try {
      const waiting = (await again.indexer.pending()).vectors;
      console.log(`search: ${waiting} anime await embedding; the next \`npm start\` embeds them (or run \`npm run reindex -- --pending\` while the API runs)`);
    } finally {
      await close();
    }
  }
}

