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
import { openLocalEnv } from "./lib/local-db";
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

const { env, dispose } = await openLocalEnv();
try {
  if (args.includes("--if-empty")) await importIfEmpty(env, file);
  else await runImport(env, file);
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
    const { db: again, dispose: close } = await openLocalEnv();
    try {
      const row = await again
        .prepare("SELECT count(*) AS n FROM anime a LEFT JOIN search_vector_state s ON s.anime_id = a.id WHERE s.anime_id IS NULL OR s.content_hash != a.content_hash OR s.system_status != a.system_status")
        .first<{ n: number }>();
      console.log(`search: ${row?.n ?? 0} anime await embedding; the next \`npm start\` embeds them (or run \`npm run reindex -- --pending\` while the API runs)`);
    } finally {
      await close();
    }
  }
}

