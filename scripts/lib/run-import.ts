import { basename } from "node:path";
import { importEntries, type ImportReport } from "../../src/catalog/import/importer";
import { readRelease } from "./release-reader";
import { CatalogInvalidator } from "../../src/cache/generation";
import type { CatalogBindings } from "./local-db";

/** Imports one release file into `db`, printing progress and a one-line summary. */
export async function runImport(env: CatalogBindings, path: string): Promise<ImportReport> {
  const tty = process.stdout.isTTY;
  const invalidator = new CatalogInvalidator(env.CACHE);
  const report = await importEntries(env.DB, readRelease(path), {
    source: basename(path),
    // The running API's caches see the change through the catalog generation in KV.
    invalidate: async (ids) => void (await invalidator.changed(ids)),
    onProgress: (r) => {
      const line = `import ${r.source}: ${r.total} read, ${r.inserted} new, ${r.updated} updated, ${r.unchanged} unchanged, ${r.invalid} invalid (${(r.durationMs / 1000).toFixed(1)} s)`;
      if (tty) process.stdout.write(`\r${line}`);
      else if (r.batches % 20 === 0) console.log(line);
    },
  });
  await invalidator.settled();
  if (tty) process.stdout.write("\n");
  for (const s of report.invalidSamples) console.log(`  invalid entry #${s.index}${s.title ? ` (${s.title})` : ""}: ${s.reason}`);
  if (report.invalid > report.invalidSamples.length) console.log(`  … and ${report.invalid - report.invalidSamples.length} more invalid entries`);
  console.log(
    `imported ${report.source}: ${report.total} entries — ${report.inserted} inserted, ${report.updated} updated, ${report.unchanged} unchanged, ${report.invalid} invalid in ${(report.durationMs / 1000).toFixed(1)} s`,
  );
  return report;
}

/** Imports `path` only when the catalog holds no anime (npm start's first run); returns whether it did. */
export async function importIfEmpty(env: CatalogBindings, path: string): Promise<boolean> {
  const { n } = (await env.DB.prepare("SELECT count(*) AS n FROM anime").first<{ n: number }>())!;
  if (n > 0) {
    console.log(`catalog already holds ${n} anime; not importing ${path}`);
    return false;
  }
  console.log(`empty catalog: importing ${path}…`);
  await runImport(env, path);
  return true;
}
