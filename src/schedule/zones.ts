/**
 * Time zones through the runtime's `Intl` (workerd and Node ship the full IANA database): no
 * time-zone library. Instants are epoch milliseconds; a "wall time" is a zone's local
 * calendar date and clock time, held as the epoch milliseconds it would be in UTC.
 */

const MINUTE = 60_000;
const DAY = 86_400_000;
export const WEEKDAYS = ["Sunday", "Monday", "Tuesday", "Wednesday", "Thursday", "Friday", "Saturday"] as const;
export type Weekday = (typeof WEEKDAYS)[number];

// Deliberate per-isolate caches: a formatter is costly to build, and a zone-year's offsets
// (its DST switches) are fixed; both bounded (oldest out).
const formatters = new Map<string, Intl.DateTimeFormat>();
const years = new Map<string, YearOffsets>();
const MAX_FORMATTERS = 200;
const MAX_YEARS = 2000;

function remember<K, V>(map: Map<K, V>, max: number, key: K, value: V): V {
  if (map.size >= max) map.delete(map.keys().next().value!);
  map.set(key, value);
  return value;
}

function formatterOf(tz: string): Intl.DateTimeFormat {
  return (
    formatters.get(tz) ??
    remember(formatters, MAX_FORMATTERS, tz, new Intl.DateTimeFormat("en-US", { timeZone: tz, hourCycle: "h23", year: "numeric", month: "numeric", day: "numeric", hour: "numeric", minute: "numeric", second: "numeric" }))
  );
}

/** The offset Intl gives at an instant, in minutes (wall − UTC, to the second, rounded). */
function intlOffset(ms: number, tz: string): number {
  const p: Record<string, string> = {};
  for (const { type, value } of formatterOf(tz).formatToParts(ms)) p[type] = value;
  const wall = Date.UTC(Number(p.year), Number(p.month) - 1, Number(p.day), Number(p.hour) % 24, Number(p.minute), Number(p.second));
  return Math.round((wall - Math.floor(ms / 1000) * 1000) / MINUTE);
}

/** A zone's offsets through one UTC year: the offset at its start and each switch after. */
interface YearOffsets {
  first: number;
  changes: { at: number; offset: number }[];
}

/**
 * Probes the year day by day and pins each switch to the second by bisection (~400 Intl calls
 * once per zone and year); every conversion after that is arithmetic. A zone switching twice
 * within one day would be missed: no zone does.
 */
function yearOffsets(tz: string, year: number): YearOffsets {
  const key = `${tz}|${year}`;
  const known = years.get(key);
  if (known) return known;
  const start = Date.UTC(year, 0, 1);
  const end = Date.UTC(year + 1, 0, 1);
  const first = intlOffset(start, tz);
  const changes: YearOffsets["changes"] = [];
  let prev = first;
  for (let t = start + DAY; t <= end; t += DAY) {
    const o = intlOffset(t, tz);
    if (o === prev) continue;
    let lo = t - DAY;
    let hi = t;
    while (hi - lo > 1000) {
      const mid = lo + Math.floor((hi - lo) / 2000) * 1000;
      if (intlOffset(mid, tz) === prev) lo = mid;
      else hi = mid;
    }
    if (hi < end) changes.push({ at: hi, offset: o });
    prev = o;
  }
  return remember(years, MAX_YEARS, key, { first, changes });
}

/** A zone's local date and time of an instant. `weekday` 0 = Sunday. */
export interface WallParts {
  year: number;
  month: number;
  day: number;
  hour: number;
  minute: number;
  second: number;
  weekday: number;
}

export function wallPartsOf(ms: number, tz: string): WallParts {
  const d = new Date(wallOf(ms, tz));
  return { year: d.getUTCFullYear(), month: d.getUTCMonth() + 1, day: d.getUTCDate(), hour: d.getUTCHours(), minute: d.getUTCMinutes(), second: d.getUTCSeconds(), weekday: d.getUTCDay() };
}

/** The wall time of an instant in `tz`, as epoch milliseconds read as UTC. */
export function wallOf(ms: number, tz: string): number {
  return ms + offsetMinutes(ms, tz) * MINUTE;
}

/** The zone's offset from UTC at an instant, in minutes (east positive: Asia/Tokyo is +540). */
export function offsetMinutes(ms: number, tz: string): number {
  const { first, changes } = yearOffsets(tz, new Date(ms).getUTCFullYear());
  let offset = first;
  for (const c of changes) if (ms >= c.at) offset = c.offset;
  return offset;
}

/**
 * The instant a wall time names in `tz`. A time skipped by a DST switch is read with the
 * offset before it (02:30 on a spring-forward night becomes 03:30); a time that happens twice
 * is the earlier one: the "compatible" reading of Temporal and of RFC 5545.
 */
export function instantOf(wall: number, tz: string): number {
  const before = wall - offsetMinutes(wall - DAY, tz) * MINUTE;
  const after = wall - offsetMinutes(wall + DAY, tz) * MINUTE;
  const fits = (t: number) => wallOf(t, tz) === wall;
  if (before === after) return before;
  const candidates = [before, after].filter(fits);
  return candidates.length > 0 ? Math.min(...candidates) : before;
}

/** "+09:00", "-07:00", "+05:45". */
export function formatOffset(minutes: number): string {
  const sign = minutes < 0 ? "-" : "+";
  const m = Math.abs(minutes);
  return `${sign}${String(Math.floor(m / 60)).padStart(2, "0")}:${String(m % 60).padStart(2, "0")}`;
}

const pad = (n: number) => String(n).padStart(2, "0");

/** How an instant reads in `tz`: what a schedule row shows as `local`. */
export function localOf(ms: number, tz: string): { date: string; weekday: Weekday; time: string; utc_offset: string } {
  const p = wallPartsOf(ms, tz);
  return { date: `${p.year}-${pad(p.month)}-${pad(p.day)}`, weekday: WEEKDAYS[p.weekday], time: `${pad(p.hour)}:${pad(p.minute)}`, utc_offset: formatOffset(offsetMinutes(ms, tz)) };
}

/** Abbreviations of the origin zones bangumi-data's items air in; others read as UTC offsets. */
const ORIGIN_ABBREVIATIONS: Record<string, string> = { "Asia/Tokyo": "JST", UTC: "UTC" };

/**
 * The origin slot as a Japanese listing gives it: "Sun 23:15 JST". A slot before 05:00 is also
 * given as the previous broadcast day's late night (`late_night`: "Sat 25:30 JST"), the form
 * TV listings use; null otherwise.
 */
export function originLabels(ms: number, tz: string): { label: string; late_night: string | null } {
  const p = wallPartsOf(ms, tz);
  const abbr = ORIGIN_ABBREVIATIONS[tz] ?? `UTC${formatOffset(offsetMinutes(ms, tz))}`;
  const day = (w: number) => WEEKDAYS[(w + 7) % 7].slice(0, 3);
  const label = `${day(p.weekday)} ${pad(p.hour)}:${pad(p.minute)} ${abbr}`;
  const lateNight = p.hour < 5 ? `${day(p.weekday - 1)} ${p.hour + 24}:${pad(p.minute)} ${abbr}` : null;
  return { label, late_night: lateNight };
}

/** Common abbreviations people send as a zone, and the IANA names to send instead. */
const ABBREVIATION_HINTS: Record<string, string[]> = {
  JST: ["Asia/Tokyo"],
  KST: ["Asia/Seoul"],
  EST: ["America/New_York", "America/Toronto"],
  EDT: ["America/New_York", "America/Toronto"],
  CST: ["America/Chicago", "Asia/Shanghai"],
  CDT: ["America/Chicago"],
  MST: ["America/Denver", "America/Phoenix"],
  MDT: ["America/Denver"],
  PST: ["America/Los_Angeles"],
  PDT: ["America/Los_Angeles"],
  GMT: ["Europe/London", "UTC"],
  BST: ["Europe/London"],
  CET: ["Europe/Paris", "Europe/Berlin"],
  CEST: ["Europe/Paris", "Europe/Berlin"],
  IST: ["Asia/Kolkata", "Europe/Dublin"],
  AEST: ["Australia/Sydney"],
  AEDT: ["Australia/Sydney"],
  HKT: ["Asia/Hong_Kong"],
  SGT: ["Asia/Singapore"],
};

/**
 * The canonical IANA name of a zone the caller sent, or an error message. Only Area/Location
 * names and UTC are accepted: `Intl` also takes a few legacy abbreviations (EST, MST, HST are
 * fixed offsets without DST, never what a caller in New York means), so any name without a
 * slash other than UTC is refused with the IANA names to use instead. Case-insensitive.
 */
export function canonicalZone(raw: string): { tz: string } | { error: string } {
  const name = raw.trim();
  if (/^(utc|etc\/utc|z)$/i.test(name)) return { tz: "UTC" };
  let resolved: string | null = null;
  if (name.includes("/") && name.length <= 64) {
    try {
      resolved = new Intl.DateTimeFormat("en-US", { timeZone: name }).resolvedOptions().timeZone;
    } catch {
      resolved = null;
    }
  }
  if (resolved) return { tz: resolved === "Etc/UTC" || resolved === "Etc/GMT" ? "UTC" : resolved };
  const hint = ABBREVIATION_HINTS[name.toUpperCase()];
  const shown = name.length > 40 ? `${name.slice(0, 39)}…` : name;
  const examples = hint ? `${hint.join(" or ")}` : "Asia/Tokyo, America/New_York, Europe/London";
  const what = hint || /^[A-Za-z]{2,5}$/.test(name) ? "an abbreviation, not a time zone (it names no DST rules)" : "not a time zone name";
  return { error: `"${shown}" is ${what}: send an IANA name such as ${examples}, or UTC` };
}
