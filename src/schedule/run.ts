import { firstIndexFrom, lastIndexUntil, occurrence, occurrencesBetween, type Recurrence } from "./recurrence";

const DAY = 86_400_000;

/** Stored `until_at` when the data names no end (the largest Date). */
export const OPEN_UNTIL = 8_640_000_000_000_000;
/**
 * bangumi-data's `end` is often the last airing day at 00:00 in Japan while the slot is later
 * that day (or past midnight): an occurrence up to a day after `end` still belongs to the run.
 */
export const END_GRACE_MS = DAY;
/** A run the data and the catalog say nothing about ends this long after its first occurrence, flagged `end_estimated`. */
export const ESTIMATED_RUN_MS = 26 * 7 * DAY;

/** What bounds one rule's run besides its own Rn. */
export interface RunFacts {
  /** The stored until_at (the data's end); OPEN_UNTIL when none. */
  untilAt: number;
  /** The catalog's episode count (null or 0: unknown). */
  episodes: number | null;
  catalogStatus: string;
  /** The item's MAL id is shared by other items: the count belongs to the whole series. */
  sharedMal: boolean;
  /** The rule's `begin` in the data (the item's for the broadcast, the site's for a stream), when given. */
  beginAt: number | null;
}

export interface RunBound {
  /** No occurrence before this instant: the rule's anchor, or its `begin` when that is later (some rules keep an old anchor). */
  from: number;
  /** The last occurrence index of the run (Infinity: bounded by `until` only). */
  lastIndex: number;
  /** No occurrence after this instant. */
  until: number;
  /** Neither the data nor the catalog bounds the run: it is assumed to last ESTIMATED_RUN_MS. */
  endEstimated: boolean;
}

/**
 * Where a run starts (its `from`) and how far it goes, first rule that applies:
 * 1. the data's end (stored until_at);
 * 2. the catalog's episode count, `first + (episodes − 1) × period` — unless the MAL id is
 *    shared (the count is the series'), the count is 1 for a repeating rule (a placeholder), or
 *    the catalog says ONGOING although the count is used up at `now` (the count is stale);
 * 3. ESTIMATED_RUN_MS from its start, with `endEstimated`.
 * Whether the catalog calls the anime FINISHED is the callers' business (nothing is listed for it).
 */
export function runBound(r: Recurrence, f: RunFacts, tz: string, now: number): RunBound {
  const from = Math.max(r.anchor, f.beginAt ?? r.anchor);
  if (r.step === null) return { from: r.anchor, lastIndex: 0, until: r.anchor, endEstimated: false };
  if (f.untilAt < OPEN_UNTIL) return { from, lastIndex: Infinity, until: f.untilAt, endEstimated: false };
  const episodes = f.episodes ?? 0;
  if (episodes > 1 && !f.sharedMal) {
    const lastIndex = (firstIndexFrom(r, from, tz) ?? 0) + episodes - 1;
    if (!(f.catalogStatus === "ONGOING" && occurrence(r, lastIndex, tz) < now)) return { from, lastIndex, until: Infinity, endEstimated: false };
  }
  return { from, lastIndex: Infinity, until: from + ESTIMATED_RUN_MS - 1, endEstimated: true };
}

/** The run's occurrences in [from, to). */
export const runBetween = (r: Recurrence, b: RunBound, tz: string, from: number, to: number) => occurrencesBetween(r, tz, Math.max(from, b.from), to, b.lastIndex, b.until);

/** The run's first and last occurrences (null: the run is empty, e.g. an Rn of 0 left). */
export function runEnds(r: Recurrence, b: RunBound, tz: string): { first: number; last: number } | null {
  const first = firstIndexFrom(r, b.from, tz, b.lastIndex);
  const last = lastIndexUntil(r, b.until, tz, b.lastIndex);
  return first === null || last === null || last < first ? null : { first: occurrence(r, first, tz), last: occurrence(r, last, tz) };
}

/** The next occurrence at or after `t` and the last one before it, within the run. */
export function around(r: Recurrence, b: RunBound, tz: string, t: number): { next: { index: number; at: number } | null; previous: { index: number; at: number } | null } {
  const k = firstIndexFrom(r, Math.max(t, b.from), tz, b.lastIndex);
  const nextAt = k === null ? null : occurrence(r, k, tz);
  const next = k !== null && nextAt! <= b.until ? { index: k, at: nextAt! } : null;
  const p = lastIndexUntil(r, Math.min(t - 1, b.until), tz, b.lastIndex);
  const previousAt = p === null ? null : occurrence(r, p, tz);
  return { next, previous: p !== null && previousAt! >= b.from ? { index: p, at: previousAt! } : null };
}
