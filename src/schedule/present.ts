import { ApiError } from "../errors/api-error";
import { b64url, fromB64url } from "../catalog/cursor";
import type { SourceRow } from "./reads";
import { compareKeys, rowKey, type RowKey, type WindowValue } from "./window";
import { localOf, originLabels } from "./zones";

/**
 * What every schedule answer is made of after the cache: times in the caller's zone, the
 * source block and `stale` (both depend on the clock), pages of a cached window.
 */

/** The data is called stale past this age (its data_date, else its fetch). */
export const STALE_AFTER_MS = 8 * 7 * 86_400_000;
export const BANGUMI_DATA_URL = "https://github.com/bangumi-data/bangumi-data";

const iso = (ms: number | null) => (ms === null ? null : new Date(ms).toISOString());

/** The provenance every schedule answer carries (CC BY 4.0 asks for the attribution). */
export function sourceBlock(s: SourceRow, tz: string) {
  return {
    name: "bangumi-data" as const,
    version: s.version,
    fetched_at: iso(s.fetchedAt)!,
    data_date: iso(s.dataDate),
    licence: "CC BY 4.0" as const,
    licence_url: "https://creativecommons.org/licenses/by/4.0/",
    url: BANGUMI_DATA_URL,
    note: `Air times from bangumi-data, converted to ${tz} one occurrence at a time (daylight saving included). They are estimates: broadcasters move slots, and the data is filled in by volunteers.`,
  };
}

/** Whether the data is past STALE_AFTER_MS old: every schedule answer says so beside `source`. */
export const isStale = (s: SourceRow, now: number) => now - (s.dataDate ?? s.fetchedAt) > STALE_AFTER_MS;

/** One occurrence as every schedule answer shows it. */
export function occurrenceView(at: number, originTz: string, tz: string, episode: number | null) {
  return { airs_at: iso(at)!, local: localOf(at, tz), origin: { tz: originTz, ...originLabels(at, originTz) }, episode };
}

/** A page cursor: the row key of the last row served and the query it was issued for. */
const encodeCursor = (fingerprint: string, key: RowKey) => b64url(JSON.stringify(["s1", fingerprint, ...key]));

function decodeCursor(raw: string, fingerprint: string): RowKey {
  let parts: unknown;
  try {
    parts = JSON.parse(fromB64url(raw));
  } catch {
    throw new ApiError("invalid_cursor", "The cursor is not one this API issued.");
  }
  if (!Array.isArray(parts) || parts.length !== 5 || parts[0] !== "s1" || typeof parts[2] !== "number" || typeof parts[3] !== "number" || typeof parts[4] !== "string") {
    throw new ApiError("invalid_cursor", "The cursor is not one this API issued.");
  }
  if (parts[1] !== fingerprint) throw new ApiError("invalid_cursor", "The cursor was issued for another window or other filters; start again without a cursor.");
  return [parts[2], parts[3], parts[4]];
}

/** One page of a cached window: the rows after the cursor's key (so a refreshed window neither repeats nor skips a row it still has). */
export function presentWindow(v: WindowValue, page: { limit: number; cursor?: string }, fingerprint: string, now: number) {
  const after = page.cursor ? decodeCursor(page.cursor, fingerprint) : null;
  const start = after ? v.occurrences.findIndex((o) => compareKeys(rowKey(v, o), after) > 0) : 0;
  const slice = start < 0 ? [] : v.occurrences.slice(start, start + page.limit);
  const more = start >= 0 && start + page.limit < v.occurrences.length;
  const tz = v.window.tz;
  return {
    data: slice.map(([at, ruleId, episode]) => {
      const r = v.rules[ruleId];
      return { ...occurrenceView(at, r.origin_tz, tz, episode), kind: r.kind, site: r.site, anime: v.anime[r.anime], estimated: true as const, end_estimated: r.end_estimated };
    }),
    next_cursor: more ? encodeCursor(fingerprint, rowKey(v, slice[slice.length - 1])) : null,
    window: { tz, start_date: v.window.start, days: v.window.days, from: iso(v.window.from)!, to: iso(v.window.to)! },
    source: sourceBlock(v.source, tz),
    stale: isStale(v.source, now),
  };
}
