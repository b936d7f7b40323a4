/**
 * Streams the entries of an anime-offline-database release file, in either format:
 *  - JSONL (`.jsonl`): first line metadata, then one entry per line;
 *  - minified JSON (`.json`): a root object whose `data` array holds the entries
 *    (enriched files have the same root shape).
 * `.gz` and `.zst` files are decompressed on the fly. Memory stays flat: entries are yielded
 * one at a time and never collected.
 */
import { createReadStream } from "node:fs";
import { createInterface } from "node:readline";
import type { Readable } from "node:stream";
import * as zlib from "node:zlib";
import { parser } from "stream-json";
import { pick } from "stream-json/filters/pick.js";
import { streamArray } from "stream-json/streamers/stream-array.js";
import chain from "stream-chain";
import type { UnparsableEntry } from "../../src/catalog/entry";

export type ReleaseFormat = "jsonl" | "json";

export function detectFormat(path: string): ReleaseFormat {
  const base = path.replace(/\.(gz|zst)$/, "");
  if (base.endsWith(".jsonl")) return "jsonl";
  if (base.endsWith(".json")) return "json";
  throw new Error(`cannot tell the format of ${path}: expected .json or .jsonl (optionally .gz or .zst)`);
}

function open(path: string): Readable {
  const file = createReadStream(path);
  if (path.endsWith(".gz")) return file.pipe(zlib.createGunzip());
  if (path.endsWith(".zst")) {
    const zstd = (zlib as unknown as { createZstdDecompress?: () => NodeJS.ReadWriteStream }).createZstdDecompress;
    if (!zstd) throw new Error("this Node.js has no zstd support; use Node >= 22.15 (npm installs it) or decompress first");
    return file.pipe(zstd()) as unknown as Readable;
  }
  return file;
}

/** What a release says about itself: its `lastUpdate` (JSONL files; null when absent or not read). */
export type ReleaseMeta = (meta: { lastUpdate: string | null }) => void;

async function* readJsonl(path: string, meta?: ReleaseMeta): AsyncGenerator<unknown> {
  const lines = createInterface({ input: open(path), crlfDelay: Infinity });
  let first = true;
  for await (const line of lines) {
    if (!line.trim()) continue;
    if (first) {
      first = false;
      // The metadata line: its lastUpdate says which release this is (GET /v1/about).
      let lastUpdate: unknown = null;
      try {
        lastUpdate = (JSON.parse(line) as { lastUpdate?: unknown } | null)?.lastUpdate ?? null;
      } catch {
        lastUpdate = null;
      }
      meta?.({ lastUpdate: typeof lastUpdate === "string" && /^\d{4}-\d{2}-\d{2}$/.test(lastUpdate) ? lastUpdate : null });
      continue;
    }
    try {
      yield JSON.parse(line);
    } catch {
      yield { __unparsable: line.slice(0, 80) } satisfies UnparsableEntry;
    }
  }
}

async function* readJson(path: string): AsyncGenerator<unknown> {
  const pipeline = chain([open(path), parser(), pick({ filter: "data" }), streamArray()]);
  for await (const item of pipeline as AsyncIterable<{ value: unknown }>) yield item.value;
}

/** The entries of a release file; `meta` hears the JSONL metadata line (minified JSON files: not read). */
export function readRelease(path: string, meta?: ReleaseMeta): AsyncGenerator<unknown> {
  return detectFormat(path) === "jsonl" ? readJsonl(path, meta) : readJson(path);
}
