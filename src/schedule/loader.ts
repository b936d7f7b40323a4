import type { Logger } from "../logging/logger";
import { openSource, SourceUnavailable } from "../sync/source";
import { readBangumiData } from "./bangumi-data";
import { ScheduleReads } from "./reads";
import { linkedCount, markChecked, relinkSchedule, replaceSchedule } from "./store";

/** The hourly cron asks the source at most this often. */
export const REFRESH_INTERVAL_MS = 24 * 3_600_000;
/** A larger source is refused (the registry's data.json is ~7 MB). */
export const MAX_SOURCE_BYTES = 64 * 1024 * 1024;

export interface ScheduleLoaderOptions {
  db: D1Database;
  /** SCHEDULE_SOURCE_URL: a URL, r2:<key> in the catalog bucket, or `off` (the local profile: npm start loads the installed package). */
  source: string;
  bucket: R2Bucket;
  fetch: typeof fetch;
  allowPrivate: boolean;
  timeoutMs: number;
  now: () => number;
  /** Retires cached answers after the schedule or its links changed. */
  invalidate: () => Promise<unknown>;
  log: Logger;
}

export type LoadOutcome =
  | { status: "off" | "not_due" | "not_modified" | "unchanged"; relinked?: boolean }
  | { status: "loaded"; version: string; items: number; rules: number; linked: number; unreadable_rules: number };

/** The package version a URL names (`…/bangumi-data@0.3.208/dist/data.json`), else a short hash of the content. */
export function versionOf(source: string, contentHash: string): string {
  return /bangumi-data@(\d+\.\d+\.\d+)/.exec(source)?.[1] ?? `sha256:${contentHash.slice(0, 12)}`;
}

async function sha256(text: string): Promise<string> {
  const digest = await crypto.subtle.digest("SHA-256", new TextEncoder().encode(text));
  return [...new Uint8Array(digest)].map((b) => b.toString(16).padStart(2, "0")).join("");
}

async function readText(body: ReadableStream<Uint8Array>, gzip: boolean): Promise<string> {
  const reader = (gzip ? body.pipeThrough(new DecompressionStream("gzip")) : body).getReader();
  const chunks: Uint8Array[] = [];
  let size = 0;
  for (;;) {
    const { done, value } = await reader.read();
    if (done) break;
    size += value.byteLength;
    if (size > MAX_SOURCE_BYTES) {
      await reader.cancel();
      throw new SourceUnavailable(`the schedule source exceeds ${MAX_SOURCE_BYTES} bytes`);
    }
    chunks.push(value);
  }
  const all = new Uint8Array(size);
  let at = 0;
  for (const c of chunks) all.set(c, (at += c.byteLength) - c.byteLength);
  return new TextDecoder().decode(all);
}

/**
 * Loads bangumi-data into the schedule tables. Two callers: the hourly cron (`refresh`: asks
 * SCHEDULE_SOURCE_URL at most daily, with If-None-Match) and npm start (`load`: the installed
 * package's data.json, read by the script in Node: the Worker never bundles it).
 */
export class ScheduleLoader {
  constructor(private readonly o: ScheduleLoaderOptions) {}

  /** Replaces the schedule with `text` (bangumi-data's data.json) unless the same content is loaded. */
  async load(text: string, from: { source: string; version?: string; etag?: string | null }): Promise<LoadOutcome> {
    const { db, now } = this.o;
    const hash = await sha256(text);
    const current = await new ScheduleReads(db).source();
    if (current?.contentHash === hash && current.source === from.source) {
      await markChecked(db, now(), from.etag ?? null);
      const relinked = await relinkSchedule(db);
      if (relinked) await this.o.invalidate();
      return { status: "unchanged", relinked };
    }
    const data = readBangumiData(JSON.parse(text), now());
    const version = from.version ?? versionOf(from.source, hash);
    await replaceSchedule(db, data, { source: from.source, version, etag: from.etag ?? null, contentHash: hash, fetchedAt: now() });
    await this.o.invalidate();
    return { status: "loaded", version, items: data.items.length, rules: data.rules.length, linked: await linkedCount(db), unreadable_rules: data.unreadableRules };
  }

  /** The cron's step: at most daily, a conditional fetch; on "not modified" the links are still refreshed (the catalog syncs weekly). */
  async refresh(): Promise<LoadOutcome> {
    const { db, now, source } = this.o;
    if (source === "off") return { status: "off" };
    const current = await new ScheduleReads(db).source();
    if (current && now() - current.checkedAt < REFRESH_INTERVAL_MS) return { status: "not_due" };
    const etag = current?.source === source ? current.etag : null;
    const opened = await openSource(source, etag, { bucket: this.o.bucket, fetch: this.o.fetch, allowPrivate: this.o.allowPrivate, timeoutMs: this.o.timeoutMs });
    if (opened.kind === "not_modified") {
      await markChecked(db, now(), opened.etag);
      const relinked = await relinkSchedule(db);
      if (relinked) await this.o.invalidate();
      return { status: "not_modified", relinked };
    }
    return this.load(await readText(opened.body, opened.gzip), { source, etag: opened.etag });
  }
}
