import { instantOf, wallOf } from "./zones";

/**
 * Broadcast rules as bangumi-data writes them: ISO 8601 repeating intervals,
 * `R/2026-04-05T14:15:00.000Z/P7D` (every 7 days from that instant), `R/…/P1M` (monthly),
 * `R/…/P0D` (once). Occurrences are computed in the broadcast's origin zone: the k-th one is
 * the anchor's wall time plus k periods there, converted back to an instant, so a slot keeps
 * its local time across that zone's DST switches, and a monthly slot on the 31st clamps to the
 * month's last day (each occurrence counted from the anchor, never from the clamped one).
 */
export interface Recurrence {
  /** The first occurrence (epoch ms). */
  anchor: number;
  /** The step: whole days, or whole months; null for a single occurrence (P0D). */
  step: { days: number } | { months: number } | null;
  /** Rn: at most n occurrences; null for R (unbounded). */
  count: number | null;
}

const DAY = 86_400_000;

/** Parses `R[n]/<instant>/<period>`; null for anything else (time-of-day periods, combined periods, a start without a zone). */
export function parseRecurrence(text: string | null | undefined): Recurrence | null {
  const m = /^R(\d*)\/([^/]+)\/P(\d+)([DWMY])$/.exec(text?.trim() ?? "");
  if (!m) return null;
  // An instant with its zone (Z or an offset): a local time without one names no instant.
  if (!/(Z|[+-]\d\d:?\d\d)$/.test(m[2])) return null;
  const anchor = Date.parse(m[2]);
  if (!Number.isFinite(anchor)) return null;
  const n = Number(m[3]);
  const count = m[1] === "" ? null : Number(m[1]);
  if (count === 0) return null;
  const step = n === 0 ? null : m[4] === "D" ? { days: n } : m[4] === "W" ? { days: 7 * n } : m[4] === "M" ? { months: n } : { months: 12 * n };
  return { anchor, step, count: step === null ? 1 : count };
}

/** The ISO 8601 period of a recurrence, as it is shown (`P7D`, `P1M`, `P0D`). */
export function periodText(r: Recurrence): string {
  if (!r.step) return "P0D";
  return "days" in r.step ? `P${r.step.days}D` : `P${r.step.months}M`;
}

const daysInMonth = (year: number, month0: number) => new Date(Date.UTC(year, month0 + 1, 0)).getUTCDate();

/** The k-th occurrence (k = 0 is the anchor), computed in `tz`. */
export function occurrence(r: Recurrence, k: number, tz: string): number {
  if (k === 0 || !r.step) return r.anchor;
  const wall = wallOf(r.anchor, tz);
  if ("days" in r.step) return instantOf(wall + k * r.step.days * DAY, tz);
  const d = new Date(wall);
  const months = d.getUTCMonth() + k * r.step.months;
  const year = d.getUTCFullYear() + Math.floor(months / 12);
  const month0 = ((months % 12) + 12) % 12;
  const day = Math.min(d.getUTCDate(), daysInMonth(year, month0));
  return instantOf(Date.UTC(year, month0, day, d.getUTCHours(), d.getUTCMinutes(), d.getUTCSeconds(), d.getUTCMilliseconds()), tz);
}

/** The last index a recurrence may reach by itself (Rn), before any run bound. */
const lastOwnIndex = (r: Recurrence) => (r.step === null ? 0 : r.count === null ? Infinity : r.count - 1);

/** A lower estimate of the first index at or after `t` (exact arithmetic would need the zone's history). */
function estimateIndex(r: Recurrence, t: number): number {
  if (!r.step || t <= r.anchor) return 0;
  // Months counted as 31 days never overshoot; two periods of slack cover a DST hour. The
  // callers step forward from here.
  const approx = "days" in r.step ? (t - r.anchor) / (r.step.days * DAY) : (t - r.anchor) / (r.step.months * 31 * DAY);
  return Math.max(0, Math.floor(approx) - 2);
}

/** The index of the first occurrence at or after `t`, or null when none is left within `lastIndex` (inclusive). */
export function firstIndexFrom(r: Recurrence, t: number, tz: string, lastIndex = Infinity): number | null {
  const last = Math.min(lastIndex, lastOwnIndex(r));
  let k = estimateIndex(r, t);
  while (k <= last && occurrence(r, k, tz) < t) k++;
  return k <= last ? k : null;
}

/** The occurrences in [from, to), with their indexes, up to `lastIndex` and not after `until`. */
export function occurrencesBetween(r: Recurrence, tz: string, from: number, to: number, lastIndex = Infinity, until = Infinity): { index: number; at: number }[] {
  const out: { index: number; at: number }[] = [];
  const first = firstIndexFrom(r, from, tz, lastIndex);
  if (first === null) return out;
  const last = Math.min(lastIndex, lastOwnIndex(r));
  for (let k = first; k <= last; k++) {
    const at = occurrence(r, k, tz);
    if (at >= to || at > until) break;
    out.push({ index: k, at });
  }
  return out;
}

/** The index of the last occurrence not after `t` (null: none), up to `lastIndex`. */
export function lastIndexUntil(r: Recurrence, t: number, tz: string, lastIndex = Infinity): number | null {
  if (t < r.anchor) return null;
  const next = firstIndexFrom(r, t + 1, tz, lastIndex);
  const last = Math.min(lastIndex, lastOwnIndex(r));
  return next === null ? last : next - 1;
}

/** A recurrence as schedule_rule stores it (anchor, periodText, Rn); null when the row has no times. */
export function storedRecurrence(anchor: number | null, period: string | null, count: number | null): Recurrence | null {
  if (anchor === null || period === null) return null;
  const m = /^P(\d+)([DM])$/.exec(period);
  if (!m) return null;
  const n = Number(m[1]);
  return { anchor, step: n === 0 ? null : m[2] === "D" ? { days: n } : { months: n }, count: n === 0 ? 1 : count };
}
