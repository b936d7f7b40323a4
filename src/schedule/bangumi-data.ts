import { lastIndexUntil, occurrence, parseRecurrence, periodText, type Recurrence } from "./recurrence";
import { END_GRACE_MS, OPEN_UNTIL } from "./run";

/**
 * bangumi-data's `dist/data.json` ({siteMeta, items}) → the rows of src/schedule/schema.ts.
 * Contracts:
 * - Only `onair` sites become streams. `resource` sites (dmhy, mikan, bangumi_moe: download
 *   sites) and sites siteMeta does not describe are dropped here and never stored; `info`
 *   sites (mal, aniList, anidb, …) only give the ids the catalog is joined on.
 * - An item is kept when it has a MAL, AniList or AniDB id and a broadcast rule or a streaming
 *   site; the others cannot be joined to the catalog or have nothing to show.
 * - A stream's run: its own `end` when the data has one, else as many occurrences as the TV
 *   rule has up to the item's `end`, else the TV end shifted by the stream's later start;
 *   OPEN_UNTIL when the item has no `end` either (bounded when read: src/schedule/run.ts).
 * - URLs: a site's own `url` when given, else siteMeta's `urlTemplate` with the id; only
 *   http(s) URLs are kept. Regions: the item's override, else siteMeta's; null = none named.
 */
export interface SiteRow {
  key: string;
  title: string;
  urlTemplate: string;
  regions: string[] | null;
}

export interface ItemRow {
  id: number;
  title: string;
  type: string;
  originTz: string;
  beginAt: number | null;
  endAt: number | null;
  malId: string | null;
  anilistId: string | null;
  anidbId: string | null;
  sharedMal: boolean;
}

export interface RuleRow {
  id: number;
  itemId: number;
  kind: "broadcast" | "stream";
  site: string | null;
  siteTitle: string | null;
  url: string | null;
  regions: string[] | null;
  beginAt: number | null;
  anchorAt: number | null;
  period: string | null;
  repeats: number | null;
  untilAt: number;
}

export interface ScheduleData {
  sites: SiteRow[];
  items: ItemRow[];
  rules: RuleRow[];
  /** The latest item `begin` not after `asOf`: new shows begin every week, so a current copy's is days old. */
  latestBegin: number | null;
  /** Rules the data writes in a form this reader does not take (time-of-day periods …): skipped. */
  unreadableRules: number;
}

export class ScheduleDataInvalid extends Error {}

/** The zone an item's times are counted in, by its language. */
const ORIGIN_ZONES: Record<string, string> = { ja: "Asia/Tokyo", "zh-Hans": "Asia/Shanghai", "zh-Hant": "Asia/Taipei" };
const ID_SITES = { mal: "malId", aniList: "anilistId", anidb: "anidbId" } as const;

type Raw = Record<string, unknown>;
const str = (v: unknown): string | null => (typeof v === "string" && v.trim() !== "" ? v.trim() : null);
const time = (v: unknown): number | null => {
  const s = str(v);
  const t = s === null ? NaN : Date.parse(s);
  return Number.isFinite(t) ? t : null;
};
const numericId = (v: unknown): string | null => {
  const s = str(v)?.replace(/^0+(?=\d)/, "") ?? null;
  return s !== null && /^[1-9]\d{0,9}$/.test(s) ? s : null;
};
const regionsOf = (v: unknown): string[] | null => (Array.isArray(v) && v.length > 0 ? [...new Set(v.filter((r): r is string => typeof r === "string" && /^[A-Za-z]{2}$/.test(r)).map((r) => r.toUpperCase()))] : null);
const httpUrl = (s: string | null): string | null => (s !== null && /^https?:\/\/[^\s]+$/i.test(s) ? s : null);

function readSites(meta: unknown): Map<string, SiteRow & { type: string }> {
  const sites = new Map<string, SiteRow & { type: string }>();
  for (const [key, m] of Object.entries((meta ?? {}) as Record<string, Raw>)) {
    const title = str(m?.title);
    const type = str(m?.type);
    const urlTemplate = str(m?.urlTemplate);
    if (title && type && urlTemplate) sites.set(key, { key, title, urlTemplate, regions: regionsOf(m.regions), type });
  }
  return sites;
}

/** The stream's run bound by the data (see the module comment). */
function streamUntil(stream: Recurrence, siteEnd: number | null, tv: Recurrence | null, item: { beginAt: number | null; endAt: number | null }, tz: string): number {
  if (siteEnd !== null) return siteEnd + END_GRACE_MS;
  if (item.endAt === null) return OPEN_UNTIL;
  const tvEnd = item.endAt + END_GRACE_MS;
  if (tv && periodText(tv) === periodText(stream)) {
    const last = lastIndexUntil(tv, tvEnd, tz);
    return last === null ? stream.anchor : occurrence(stream, last, tz);
  }
  return tvEnd + Math.max(0, stream.anchor - (tv?.anchor ?? item.beginAt ?? stream.anchor));
}

/** Reads the parsed data.json. Throws ScheduleDataInvalid when it is not bangumi-data at all. */
export function readBangumiData(data: unknown, asOf: number): ScheduleData {
  const root = data as { siteMeta?: unknown; items?: unknown };
  if (!root || typeof root !== "object" || !Array.isArray(root.items) || typeof root.siteMeta !== "object") throw new ScheduleDataInvalid("not bangumi-data: expected {siteMeta, items[]}");
  const meta = readSites(root.siteMeta);
  const items: ItemRow[] = [];
  const rules: RuleRow[] = [];
  let latestBegin: number | null = null;
  let unreadableRules = 0;
  const recurrence = (text: unknown) => {
    const r = parseRecurrence(str(text));
    if (!r && str(text)) unreadableRules++;
    return r;
  };
  for (const raw of root.items as Raw[]) {
    if (!raw || typeof raw !== "object" || !Array.isArray(raw.sites)) continue;
    const beginAt = time(raw.begin);
    if (beginAt !== null && beginAt <= asOf && (latestBegin === null || beginAt > latestBegin)) latestBegin = beginAt;
    const ids = { malId: null, anilistId: null, anidbId: null } as Record<(typeof ID_SITES)[keyof typeof ID_SITES], string | null>;
    const streams = (raw.sites as Raw[]).filter((s) => {
      const key = str(s?.site);
      if (key && key in ID_SITES) ids[ID_SITES[key as keyof typeof ID_SITES]] ??= numericId(s.id);
      return key !== null && meta.get(key)?.type === "onair";
    });
    const tv = recurrence(raw.broadcast);
    if (!ids.malId && !ids.anilistId && !ids.anidbId) continue;
    if (!tv && streams.length === 0) continue;
    const item: ItemRow = {
      id: items.length + 1,
      title: str(raw.title) ?? "",
      type: str(raw.type) ?? "tv",
      originTz: ORIGIN_ZONES[str(raw.lang) ?? ""] ?? "UTC",
      beginAt,
      endAt: time(raw.end),
      ...ids,
      sharedMal: false,
    };
    items.push(item);
    const base = { itemId: item.id };
    if (tv) {
      const until = tv.step === null ? tv.anchor : item.endAt === null ? OPEN_UNTIL : item.endAt + END_GRACE_MS;
      rules.push({ ...base, id: rules.length + 1, kind: "broadcast", site: null, siteTitle: null, url: null, regions: null, beginAt, anchorAt: tv.anchor, period: periodText(tv), repeats: tv.count, untilAt: until });
    }
    for (const s of streams) {
      const site = meta.get(str(s.site)!)!;
      const own = recurrence(s.broadcast);
      const id = str(s.id);
      const url = httpUrl(str(s.url)) ?? (id ? httpUrl(site.urlTemplate.replace("{{id}}", encodeURI(id))) : null);
      rules.push({
        ...base,
        id: rules.length + 1,
        kind: "stream",
        site: site.key,
        siteTitle: site.title,
        url,
        regions: regionsOf(s.regions) ?? site.regions,
        beginAt: time(s.begin),
        anchorAt: own?.anchor ?? null,
        period: own ? periodText(own) : null,
        repeats: own?.count ?? null,
        untilAt: own ? (own.step === null ? own.anchor : streamUntil(own, time(s.end), tv, item, item.originTz)) : 0,
      });
    }
  }
  const malCount = new Map<string, number>();
  for (const i of items) if (i.malId) malCount.set(i.malId, (malCount.get(i.malId) ?? 0) + 1);
  for (const i of items) i.sharedMal = i.malId !== null && malCount.get(i.malId)! > 1;
  const sites = [...meta.values()].filter((s) => s.type === "onair").map(({ type: _type, ...s }) => s);
  return { sites, items, rules, latestBegin, unreadableRules };
}
