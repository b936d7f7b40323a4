import type { Services } from "../services";
import type { Cached } from "../cache/response-cache";
import { filtersFingerprint } from "../catalog/cursor";
import { ApiError, validationError } from "../errors/api-error";
import { withKnownTags } from "../routes/known-tags";
import { nearestNames } from "../catalog/nearest";
import { presentAnimeSchedule, type AnimeScheduleValue } from "./anime-schedule";
import { isStale, presentWindow, STALE_AFTER_MS } from "./present";
import { computeWindow, resolveWindow, type ResolvedWindow, type WindowParams, type WindowValue } from "./window";

/**
 * The schedule's answers, whoever asks: the routes (src/routes/schedule) and, once the MCP
 * endpoint exists, its tools `airing_schedule` (→ airingSchedule) and `next_episode`
 * (→ animeSchedule). Both read through the response cache; a route passes its own
 * read-through (src/routes/cached.ts, which also sets the cache headers).
 */
export type ReadThrough = <T>(kind: string, key: Record<string, unknown>, load: () => Promise<T | null>) => Promise<Cached<T>>;

const plainCache = (s: Services): ReadThrough => (kind, key, load) => s.cache.list(kind, key, load);

const NOT_LOADED = "The airing schedule has not been loaded yet: it is loaded by `npm start` locally and by the hourly cron in production. Retry later.";

/**
 * A window's cache key: the resolved start date and zone (never "today"), and everything that
 * selects rows. Not the page (limit, cursor): pages are cut after the cache.
 */
export function windowKey(w: ResolvedWindow, p: WindowParams): Record<string, unknown> {
  return { v: 1, tz: w.tz, start: w.start, days: w.days, day: p.day, kind: p.kind, sites: [...p.sites].sort(), region: p.region, ...p.filters };
}

/** `site=` values must be streaming sites of the loaded data: an unknown one is a 400 naming the nearest. */
async function checkSites(s: Services, sites: string[]): Promise<void> {
  if (sites.length === 0) return;
  const known = await s.schedule.siteKeys();
  const unknown = sites.filter((x) => !known.includes(x));
  if (unknown.length === 0) return;
  throw validationError(unknown.map((x) => ({ param: "site", message: `"${x}" is not a streaming site of the schedule${nearestNames(x, known).length ? `; nearest: ${nearestNames(x, known).join(", ")}` : ""}. Sites: ${known.join(", ")}` })));
}

/** Computes a window from D1 (the cache's loader), as of the start of `asOf`'s day. */
async function loadWindow(s: Services, w: ResolvedWindow, p: WindowParams, asOf: number): Promise<WindowValue> {
  const source = await s.schedule.source();
  if (!source) throw new ApiError("service_unavailable", NOT_LOADED);
  await checkSites(s, p.sites);
  const filters = await withKnownTags(s.catalog, p.filters);
  const rules = await s.schedule.windowRules({ from: w.from, to: w.to, kind: p.kind, sites: p.sites, region: p.region, filters });
  return computeWindow(rules, w, p.day, source, asOf);
}

type Page = { limit: number; cursor?: string };

/**
 * The window read through the cache. Its value depends on the clock only through `asOf` (the
 * UTC date: a catalog count used up by then is not trusted, src/schedule/run.ts), which is in
 * the key but not in the cursors' fingerprint, so a walk goes on across midnight.
 */
async function windowThrough(s: Services, p: WindowParams, through: ReadThrough) {
  const w = resolveWindow(p, s.now());
  const key = windowKey(w, p);
  const asOf = new Date(s.now()).toISOString().slice(0, 10);
  return { cached: await through("schedule", { ...key, as_of: asOf }, () => loadWindow(s, w, p, Date.parse(asOf))), fingerprint: filtersFingerprint(key) };
}

/** GET /v1/schedule's answer as an object; the MCP tool `airing_schedule`. */
export async function airingSchedule(s: Services, p: WindowParams, page: Page, through: ReadThrough = plainCache(s)) {
  const { cached, fingerprint } = await windowThrough(s, p, through);
  return presentWindow(cached.value!, page, fingerprint, s.now());
}

// Deliberate per-isolate memo: a window record held by L0 is the same object on every hit, so
// each of its pages is presented, serialised and hashed once per isolate, and a hit neither
// parses the record nor builds the page again; entries die with the record (weak keys). A page
// depends on the clock only through `stale`, which flips once, at `flipsAt`.
type MemoPage = { json: string; etag: string; stale: boolean; flipsAt: number };
const pages = new WeakMap<object, Map<string, MemoPage>>();
const PAGES_PER_RECORD = 64;

/** GET /v1/schedule's answer as the JSON text the route sends, with its strong ETag (SHA-1 of the body, as the etag middleware computes it). */
export async function airingScheduleJson(s: Services, p: WindowParams, page: Page, through: ReadThrough): Promise<{ json: string; etag: string }> {
  const { cached, fingerprint } = await windowThrough(s, p, through);
  const now = s.now();
  const memo = pages.get(cached.read.record) ?? new Map<string, MemoPage>();
  const id = `${page.limit}|${page.cursor ?? ""}`;
  const known = memo.get(id);
  if (known && now > known.flipsAt === known.stale) return known;
  const v = cached.value!;
  const json = JSON.stringify(presentWindow(v, page, fingerprint, now));
  const digest = await crypto.subtle.digest("SHA-1", new TextEncoder().encode(json));
  const made = { json, etag: `"${[...new Uint8Array(digest)].map((b) => b.toString(16).padStart(2, "0")).join("")}"`, stale: isStale(v.source, now), flipsAt: (v.source.dataDate ?? v.source.fetchedAt) + STALE_AFTER_MS };
  if (memo.size >= PAGES_PER_RECORD) memo.delete(memo.keys().next().value!);
  memo.set(id, made);
  pages.set(cached.read.record, memo);
  return made;
}

async function loadAnimeSchedule(s: Services, animeId: number): Promise<AnimeScheduleValue | null> {
  const [source, anime, rules] = await Promise.all([s.schedule.source(), s.schedule.summary(animeId), s.schedule.animeRules(animeId)]);
  if (!anime) return null;
  if (!source) throw new ApiError("service_unavailable", NOT_LOADED);
  return { source, anime, rules };
}

/** GET /v1/anime/{id}/schedule; the MCP tool `next_episode`. Null: no anime with this id. */
export async function animeSchedule(s: Services, animeId: number, tz: string, through: ReadThrough = plainCache(s)) {
  // The key holds no date: the cached value is the stored rows, and the clock is applied after the cache.
  const cached = await through("anime-schedule", { v: 1, id: animeId }, () => loadAnimeSchedule(s, animeId));
  return cached.value ? presentAnimeSchedule(cached.value, tz, s.now()) : null;
}
