import { asc, gt } from "drizzle-orm";
import { drizzle } from "drizzle-orm/d1";
import type { CatalogEntry } from "../catalog/entry";
import type { AnimeRow } from "../catalog/serialize";
import { anime } from "../catalog/schema";

/**
 * Catalog snapshots in R2: `snapshots/<stamp>/catalog.ndjson.gz` (one anime per line, our own
 * row shape with its id and system status) and `snapshots/<stamp>/manifest.json` (count,
 * SHA-256 and size of the gzip file, the release's lastUpdate). Written by a weekly Cron
 * Trigger or POST /v1/admin/snapshots; `npm run restore` rebuilds a catalog from one.
 */
export interface SnapshotManifest {
  id: string;
  key: string;
  count: number;
  bytes: number;
  sha256: string;
  source_last_update: string | null;
  created_at: string;
}

/** One line of a snapshot: a catalog row (id, system status and times included). */
export interface SnapshotRow {
  id: number;
  entry: CatalogEntry;
  system_status: "ACTIVE" | "ORPHANED";
  /** The anime's images came from the enrichment pipeline (absent in older snapshots). */
  enriched?: boolean;
  orphaned_at: number | null;
  created_at: number;
  updated_at: number;
}

const PAGE = 500;
const PREFIX = "snapshots/";

export const rowOf = (r: AnimeRow): SnapshotRow => ({
  id: r.id,
  entry: {
    sources: r.sources, title: r.title, synonyms: r.synonyms, type: r.type, episodes: r.episodes, status: r.status, season: r.season, year: r.year,
    durationSeconds: r.durationSeconds, score: r.score, picture: r.picture, thumbnail: r.thumbnail, genres: r.genres, studios: r.studios,
    producers: r.producers, related: r.related, synopsis: r.synopsis,
  },
  system_status: r.systemStatus,
  enriched: r.enriched,
  orphaned_at: r.orphanedAt,
  created_at: r.createdAt,
  updated_at: r.updatedAt,
});

const hex = (buf: ArrayBuffer) => [...new Uint8Array(buf)].map((b) => b.toString(16).padStart(2, "0")).join("");

/** Writes a snapshot of the whole catalog (every system status); returns its manifest. */
export async function writeSnapshot(db: D1Database, bucket: R2Bucket, now: number): Promise<SnapshotManifest> {
  const orm = drizzle(db);
  const readRows = (after: number, limit: number) => orm.select().from(anime).where(gt(anime.id, after)).orderBy(asc(anime.id)).limit(limit).all();
  const gzip = new CompressionStream("gzip");
  const writer = gzip.writable.getWriter();
  const collected = new Response(gzip.readable).arrayBuffer();
  const encoder = new TextEncoder();
  let count = 0;
  for (let after = 0; ; ) {
    const rows = await readRows(after, PAGE);
    if (rows.length === 0) break;
    await writer.write(encoder.encode(rows.map((r) => JSON.stringify(rowOf(r))).join("\n") + "\n"));
    count += rows.length;
    after = rows[rows.length - 1].id;
  }
  await writer.close();
  const bytes = await collected;
  const id = new Date(now).toISOString().replace(/[:.]/g, "-");
  const key = `${PREFIX}${id}/catalog.ndjson.gz`;
  const last = await db.prepare("SELECT source_last_update FROM sync_run WHERE status = 'succeeded' ORDER BY id DESC LIMIT 1").first<{ source_last_update: string | null }>();
  const manifest: SnapshotManifest = { id, key, count, bytes: bytes.byteLength, sha256: hex(await crypto.subtle.digest("SHA-256", bytes)), source_last_update: last?.source_last_update ?? null, created_at: new Date(now).toISOString() };
  await bucket.put(key, bytes, { httpMetadata: { contentType: "application/x-ndjson", contentEncoding: "gzip" }, sha256: manifest.sha256 });
  // The manifest last: a snapshot without one is incomplete and never listed.
  await bucket.put(`${PREFIX}${id}/manifest.json`, JSON.stringify(manifest), { httpMetadata: { contentType: "application/json" } });
  return manifest;
}

/** The newest snapshots first (manifests only: a snapshot whose manifest is missing is incomplete). */
export async function listSnapshots(bucket: R2Bucket, limit: number): Promise<SnapshotManifest[]> {
  const ids: string[] = [];
  let cursor: string | undefined;
  do {
    const page = await bucket.list({ prefix: PREFIX, delimiter: "/", cursor });
    ids.push(...page.delimitedPrefixes.map((p) => p.slice(PREFIX.length, -1)));
    cursor = page.truncated ? page.cursor : undefined;
  } while (cursor);
  const newest = ids.sort().reverse().slice(0, limit);
  const manifests = await Promise.all(newest.map(async (id) => (await bucket.get(`${PREFIX}${id}/manifest.json`))?.json<SnapshotManifest>()));
  return manifests.filter((m): m is SnapshotManifest => m !== undefined);
}
