/**
 * Rebuilds the local catalog from a snapshot (src/sync/snapshot.ts).
 *
 *   npm run restore -- <snapshot id>           # from the local CATALOG bucket (GET /v1/admin/snapshots lists ids)
 *   npm run restore -- <catalog.ndjson.gz>     # from a file
 *   … [--replace]                              # empty a non-empty catalog first
 *
 * A snapshot from the bucket is checked against its manifest (SHA-256, count) before a row is
 * written. Ids, system status (orphans stay orphaned) and times are kept. Stop `npm start`
 * first; the next `npm start` (or `npm run reindex`) rebuilds the search index.
 */
import { existsSync, readFileSync } from "node:fs";
import { createHash } from "node:crypto";
import { openLocalServices } from "./lib/local-db";
import type { SnapshotManifest } from "../src/sync/snapshot";

const args = process.argv.slice(2);
const target = args.find((a) => !a.startsWith("--"));
if (!target) {
  console.error("usage: npm run restore -- <snapshot id | catalog.ndjson.gz> [--replace]");
  process.exit(2);
}
if ((await fetch("http://127.0.0.1:8787/health/live").catch(() => null))?.ok) {
  console.error("restore: stop `npm start` first (the restore rewrites the catalog it serves)");
  process.exit(2);
}

const { services, dispose } = await openLocalServices({ job: "restore" });
try {
  const snapshots = services.snapshots;
  let gz: Uint8Array;
  let manifest: SnapshotManifest | null = null;
  if (existsSync(target)) gz = new Uint8Array(readFileSync(target));
  else {
    const stored = await snapshots.read(target);
    if (!stored) {
      console.error(`restore: no snapshot ${target} (neither a file nor a snapshot id in the local bucket)`);
      process.exit(2);
    }
    ({ manifest, gz } = stored);
    const sha = createHash("sha256").update(gz).digest("hex");
    if (sha !== manifest.sha256 || gz.byteLength !== manifest.bytes) {
      console.error(`restore: snapshot ${target} does not match its manifest (sha256 ${sha.slice(0, 12)}… vs ${manifest.sha256.slice(0, 12)}…): not restoring`);
      process.exit(1);
    }
  }
  const n = await snapshots.catalogSize();
  if (n > 0 && !args.includes("--replace")) {
    console.error(`restore: the catalog holds ${n} anime; pass --replace to empty it first`);
    process.exit(2);
  }
  const started = Date.now();
  // The sync history goes too (SnapshotStore.restore says why).
  if (n > 0) console.log(`restore: emptying the catalog (${n} anime) and its sync history`);
  const count = await snapshots.restore(gz, (c) => {
    if (process.stdout.isTTY) process.stdout.write(`\rrestore: ${c} anime written`);
    else if (c % 5000 === 0) console.log(`restore: ${c} anime written`);
  });
  if (process.stdout.isTTY) process.stdout.write("\n");
  if (manifest && count !== manifest.count) {
    console.error(`restore: wrote ${count} anime but the manifest says ${manifest.count}`);
    process.exit(1);
  }
  console.log(`restored ${count} anime from ${manifest ? `snapshot ${manifest.id}` : target} in ${((Date.now() - started) / 1000).toFixed(1)} s; the search index is rebuilt by the next npm start (or npm run reindex)`);
} finally {
  await dispose();
}
