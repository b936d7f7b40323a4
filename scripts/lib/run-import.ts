import { basename } from "node:path";
import type { ImportReport } from "../../src/catalog/import/importer";
import type { Services } from "../../src/services";
import { readRelease } from "./release-reader";

/**
 * Imports one release file into the catalog, printing progress and a one-line summary. The
 * running API's caches see the change through the catalog generation in KV (the services'
 * invalidator; the caller's dispose() waits for its deferred work).
 */
export async function runImport(services: Services, path: string): Promise<ImportReport> {
  const tty = process.stdout.isTTY;
  let releaseDate: string | null = null;
  const report = await services.importEntries(readRelease(path, (m) => (releaseDate = m.lastUpdate)), {
    source: basename(path),
    releaseDate: () => releaseDate,
    onProgress: (r) => {
      const line = `import ${r.source}: ${r.total} read, ${r.inserted} new, ${r.updated} updated, ${r.unchanged} unchanged, ${r.invalid} invalid (${(r.durationMs / 1000).toFixed(1)} s)`;
      if (tty) process.stdout.write(`\r${line}`);
      else if (r.batches % 5 === 0) console.log(line); // every ~5,000 entries (batches of 1,000)
    },
  });
  if (tty) process.stdout.write("\n");
  for (const s of report.invalidSamples) console.log(`  invalid entry #${s.index}${s.title ? ` (${s.title})` : ""}: ${s.reason}`);
  if (report.invalid > report.invalidSamples.length) console.log(`  … and ${report.invalid - report.invalidSamples.length} more invalid entries`);
  console.log(
    `imported ${report.source}: ${report.total} entries — ${report.inserted} inserted, ${report.updated} updated, ${report.unchanged} unchanged, ${report.invalid} invalid in ${(report.durationMs / 1000).toFixed(1)} s`,
  );
  return report;
}

/** Imports `path` only when the catalog holds no anime (npm start's first run); returns whether it did. */
export async function importIfEmpty(services: Services, path: string): Promise<boolean> {
  const n = await services.snapshots.catalogSize();
  if (n > 0) {
    console.log(`catalog already holds ${n} anime; not importing ${path}`);
    return false;
  }
  console.log(`empty catalog: importing ${path}…`);
  await runImport(services, path);
  return true;
}
