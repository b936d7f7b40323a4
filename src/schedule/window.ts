import type { Filters } from "../catalog/filters";
import { storedRecurrence } from "./recurrence";
import { runBetween, runBound } from "./run";
import type { AnimeSummary, RuleWithAnime, SourceRow } from "./reads";
import { instantOf, wallOf, wallPartsOf } from "./zones";

const DAY = 86_400_000;

/** GET /v1/schedule's question, validated (src/routes/schedule/params.ts) or built by a tool. */
export interface WindowParams {
  /** Canonical IANA name (zones.ts canonicalZone). */
  tz: string;
  /** Local date the window starts on (YYYY-MM-DD); absent: today in `tz`. */
  date?: string;
  /** 1–14, default 7. */
  days?: number;
  /** ISO week (2026-W17): Monday to Sunday in `tz`; instead of date and days. */
  week?: string;
  /** Only occurrences on this local weekday in `tz` (0 = Sunday). */
  day?: number;
  kind: "broadcast" | "stream" | "all";
  sites: string[];
  region: string | null;
  filters: Filters;
}

/** The window as instants, and the resolved local date it starts on (what cache keys use, never "today"). */
export interface ResolvedWindow {
  tz: string;
  start: string;
  days: number;
  from: number;
  to: number;
}

export const DEFAULT_DAYS = 7;

const dateText = (wall: number) => new Date(wall).toISOString().slice(0, 10);

/** Monday of an ISO 8601 week (`2026-W17` → 2026-04-20), or null when the week does not exist. */
export function isoWeekMonday(week: string): string | null {
  const m = /^(\d{4})-W(\d{2})$/.exec(week);
  if (!m) return null;
  const year = Number(m[1]);
  const n = Number(m[2]);
  // Week 1 holds 4 January; its Monday starts the ISO year.
  const jan4 = Date.UTC(year, 0, 4);
  const monday1 = jan4 - ((new Date(jan4).getUTCDay() + 6) % 7) * DAY;
  const nextMonday1 = Date.UTC(year + 1, 0, 4) - ((new Date(Date.UTC(year + 1, 0, 4)).getUTCDay() + 6) % 7) * DAY;
  const monday = monday1 + (n - 1) * 7 * DAY;
  return n >= 1 && monday < nextMonday1 ? dateText(monday) : null;
}

/** Resolves the window's local dates to instants in `tz` (each midnight converted on its own, so a DST switch inside is right). */
export function resolveWindow(p: Pick<WindowParams, "tz" | "date" | "days" | "week">, now: number): ResolvedWindow {
  const start = p.week ? isoWeekMonday(p.week)! : p.date ?? dateText(wallOf(now, p.tz));
  const days = p.week ? 7 : p.days ?? DEFAULT_DAYS;
  const startWall = Date.parse(`${start}T00:00:00Z`);
  return { tz: p.tz, start, days, from: instantOf(startWall, p.tz), to: instantOf(startWall + days * DAY, p.tz) };
}

/** A rule as a cached window keeps it: what its rows show besides the instant. */
export interface WindowRule {
  anime: number;
  kind: "broadcast" | "stream";
  site: { key: string; title: string; url: string | null; regions: string[] | null } | null;
  origin_tz: string;
  end_estimated: boolean;
}

/**
 * One window's occurrences, computed once and cached (keyed by the resolved window and the
 * filters). `occurrences` are [instant, rule id, episode number or null], in row order: by
 * instant, then anime id, the broadcast before the streams, streams by site key.
 */
export interface WindowValue {
  window: ResolvedWindow;
  source: SourceRow;
  anime: Record<number, AnimeSummary>;
  rules: Record<number, WindowRule>;
  occurrences: [number, number, number | null][];
}

/** The sort key of a row, which cursors carry: [instant, anime id, "" for the broadcast or the site key]. */
export type RowKey = [number, number, string];
export const rowKey = (v: WindowValue, o: [number, number, number | null]): RowKey => {
  const r = v.rules[o[1]];
  return [o[0], r.anime, r.site?.key ?? ""];
};
export const compareKeys = (a: RowKey, b: RowKey) => a[0] - b[0] || a[1] - b[1] || (a[2] < b[2] ? -1 : a[2] > b[2] ? 1 : 0);

/**
 * Episode numbers count from the rule's first occurrence: only when it is the run's start
 * (the rule begins with its item or site) and the MAL id is not shared by several items.
 */
const numbered = (r: RuleWithAnime) => !r.sharedMal && r.anchorAt === (r.kind === "broadcast" ? r.itemBeginAt : r.beginAt);

/** Expands the candidate rules into the window's occurrences (run bounds applied as of `asOf`, `day` filtered). */
export function computeWindow(rules: RuleWithAnime[], w: ResolvedWindow, day: number | undefined, source: SourceRow, asOf: number): WindowValue {
  const v: WindowValue = { window: w, source, anime: {}, rules: {}, occurrences: [] };
  for (const r of rules) {
    const rec = storedRecurrence(r.anchorAt, r.period, r.repeats);
    if (!rec) continue;
    const bound = runBound(rec, { untilAt: r.untilAt, episodes: r.anime.episodes, catalogStatus: r.anime.status, sharedMal: r.sharedMal, beginAt: r.beginAt }, r.originTz, asOf);
    const hits = runBetween(rec, bound, r.originTz, w.from, w.to).filter((h) => day === undefined || wallPartsOf(h.at, w.tz).weekday === day);
    if (hits.length === 0) continue;
    v.anime[r.anime.id] = r.anime;
    v.rules[r.ruleId] = { anime: r.anime.id, kind: r.kind, site: r.kind === "stream" ? { key: r.site!, title: r.siteTitle!, url: r.url, regions: r.regions } : null, origin_tz: r.originTz, end_estimated: bound.endEstimated };
    const number = numbered(r);
    for (const h of hits) v.occurrences.push([h.at, r.ruleId, number ? h.index + 1 : null]);
  }
  v.occurrences.sort((a, b) => compareKeys(rowKey(v, a), rowKey(v, b)));
  // Two items of one anime (arcs of a series) can give the same row: keep one, so row keys stay unique for cursors.
  v.occurrences = v.occurrences.filter((o, i, all) => i === 0 || compareKeys(rowKey(v, all[i - 1]), rowKey(v, o)) !== 0);
  return v;
}
