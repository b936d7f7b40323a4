import { contentHash } from "../catalog/import/content-hash";
import { writeBatch } from "../catalog/import/write-batch";
import type { SnapshotRow } from "./snapshot";

const BATCH = 250;

/** The rows of a snapshot file (gzipped NDJSON); a line that does not parse is an error: a snapshot is ours, not a source. */
export async function* snapshotRows(gz: Uint8Array): AsyncGenerator<SnapshotRow> {
  const text = new Blob([gz]).stream().pipeThrough(new DecompressionStream("gzip")).pipeThrough(new TextDecoderStream());
  let rest = "";
  let n = 0;
  for await (const chunk of text as unknown as AsyncIterable<string>) {
    const lines = (rest + chunk).split("\n");
    rest = lines.pop()!;
    for (const l of lines) if (l.trim()) yield parse(l, ++n);
  }
  if (rest.trim()) yield parse(rest, ++n);
}

function parse(line: string, n: number): SnapshotRow {
  try {
    return JSON.parse(line) as SnapshotRow;
  } catch {
    throw new Error(`snapshot line ${n} is not JSON: the file is damaged`);
  }
}

/**
 * Writes snapshot rows into an empty catalog, keeping each anime's id, system status and
 * times (the caller makes sure the catalog is empty: restoring over rows would mix two
 * catalogs). Returns the count written.
 */
export async function restoreSnapshot(db: D1Database, rows: AsyncIterable<SnapshotRow>, now: number, onProgress?: (count: number) => void): Promise<number> {
  let batch: SnapshotRow[] = [];
  let count = 0;
  const flush = async () => {
    if (batch.length === 0) return;
    const writes = await Promise.all(batch.map(async (r) => ({ id: r.id, entry: r.entry, hash: await contentHash(r.entry), isNew: true, enriched: r.enriched ?? r.entry.synopsis !== null })));
    const system = db
      .prepare(
        `UPDATE anime SET system_status = j.value ->> '$.system_status', orphaned_at = j.value ->> '$.orphaned_at',
           created_at = j.value ->> '$.created_at', updated_at = j.value ->> '$.updated_at'
         FROM json_each(?1) AS j WHERE anime.id = j.value ->> '$.id'`,
      )
      .bind(JSON.stringify(batch.map(({ id, system_status, orphaned_at, created_at, updated_at }) => ({ id, system_status, orphaned_at, created_at, updated_at }))));
    await writeBatch(db, writes, [], now, [system]);
    count += batch.length;
    batch = [];
    onProgress?.(count);
  };
  for await (const row of rows) {
    batch.push(row);
    if (batch.length >= BATCH) await flush();
  }
  await flush();
  return count;
}
