import { listSnapshots, writeSnapshot, type SnapshotManifest } from "./snapshot";
import { restoreSnapshot, snapshotRows } from "./restore";

/** Catalog tables a restore empties first, the sync history with them: the restored catalog is older than the last run, and the next sync must not skip its release as "unchanged". */
const RESTORE_EMPTIES = ["search_vector_state", "anime_search_text", "anime_genre", "anime_studio", "anime_source", "anime", "review_item", "sync_event", "sync_run"];

/** Catalog snapshots in the CATALOG bucket: written weekly and on demand, listed, restored by `npm run restore`. */
export class SnapshotStore {
  constructor(
    private readonly db: D1Database,
    private readonly bucket: R2Bucket,
    private readonly now: () => number,
    /** Retires everything cached (the invalidator's purge): a restore replaces the whole catalog. */
    private readonly purgeCache: () => Promise<unknown>,
  ) {}

  list(limit: number): Promise<SnapshotManifest[]> {
    return listSnapshots(this.bucket, limit);
  }

  write(): Promise<SnapshotManifest> {
    return writeSnapshot(this.db, this.bucket, this.now());
  }

  /** A stored snapshot's manifest and gzipped bytes; null when there is no such snapshot. */
  async read(id: string): Promise<{ manifest: SnapshotManifest; gz: Uint8Array } | null> {
    const manifest = (await (await this.bucket.get(`snapshots/${id}/manifest.json`))?.json<SnapshotManifest>()) ?? null;
    const data = manifest && (await this.bucket.get(manifest.key));
    return manifest && data ? { manifest, gz: new Uint8Array(await data.arrayBuffer()) } : null;
  }

  /** Anime in the catalog now (a restore refuses a non-empty catalog unless told to replace it). */
  async catalogSize(): Promise<number> {
    return (await this.db.prepare("SELECT count(*) AS n FROM anime").first<{ n: number }>())!.n;
  }

  /**
   * Empties the catalog and its sync history, writes the snapshot's rows, then retires every
   * cached answer (they describe the catalog before); returns how many rows were written.
   */
  async restore(gz: Uint8Array, onProgress?: (count: number) => void): Promise<number> {
    await this.db.batch(RESTORE_EMPTIES.map((t) => this.db.prepare(`DELETE FROM ${t}`)));
    const count = await restoreSnapshot(this.db, snapshotRows(gz), this.now(), onProgress);
    await this.purgeCache();
    return count;
  }
}
