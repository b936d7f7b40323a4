import type { AnimeSummary, RuleWithAnime, SourceRow } from "./reads";
import { storedRecurrence, type Recurrence } from "./recurrence";
import { around, runBound, runEnds, type RunBound } from "./run";
import { isStale, occurrenceView, sourceBlock } from "./present";

/**
 * GET /v1/anime/{id}/schedule: one anime's broadcast rule and streams with their next and
 * previous occurrences. The cached value is the stored rows (no clock in it); everything that
 * depends on the clock (`next`, `previous`, `in_seconds`, status, stale) is worked out here,
 * after the cache.
 */
export interface AnimeScheduleValue {
  source: SourceRow;
  anime: AnimeSummary;
  rules: RuleWithAnime[];
}

export type AnimeScheduleStatus = "airing" | "upcoming" | "finished" | "unknown";

interface Timed {
  rule: RuleWithAnime;
  rec: Recurrence;
  bound: RunBound;
  ends: { first: number; last: number } | null;
}

function timed(rule: RuleWithAnime, now: number): Timed | null {
  const rec = storedRecurrence(rule.anchorAt, rule.period, rule.repeats);
  if (!rec) return null;
  const bound = runBound(rec, { untilAt: rule.untilAt, episodes: rule.anime.episodes, catalogStatus: rule.anime.status, sharedMal: rule.sharedMal, beginAt: rule.beginAt }, rule.originTz, now);
  return { rule, rec, bound, ends: runEnds(rec, bound, rule.originTz) };
}

/** The item a caller means (a series split into arcs has several): the one airing, else the next to begin, else the latest. */
function currentItem(byItem: Map<number, Timed | null>, items: Map<number, RuleWithAnime>, now: number): number {
  const spans = [...byItem].map(([id, t]) => ({ id, first: t?.ends?.first ?? items.get(id)!.itemBeginAt ?? -Infinity, last: t?.ends?.last ?? items.get(id)!.itemEndAt ?? -Infinity }));
  const airing = spans.filter((s) => s.first <= now && now <= s.last).sort((a, b) => b.first - a.first)[0];
  const upcoming = spans.filter((s) => s.first > now).sort((a, b) => a.first - b.first)[0];
  return (airing ?? upcoming ?? spans.sort((a, b) => b.last - a.last || b.first - a.first)[0]).id;
}

function statusOf(anime: AnimeSummary, main: Timed | null, beginAt: number | null, now: number): AnimeScheduleStatus {
  if (anime.status === "FINISHED") return "finished";
  if (!main?.ends) return beginAt !== null && beginAt > now ? "upcoming" : "unknown";
  if (now < main.ends.first) return "upcoming";
  if (now > main.ends.last) return main.bound.endEstimated ? "unknown" : "finished";
  return "airing";
}

/** A rule's run and its neighbours of `now` (nothing after now for an anime the catalog calls FINISHED). */
function runView(t: Timed | null, anime: AnimeSummary, tz: string, now: number) {
  if (!t) return { period: null, first_airs_at: null, last_airs_at: null, end_estimated: false, next: null, previous: null };
  const { next, previous } = around(t.rec, t.bound, t.rule.originTz, now);
  const numbered = !t.rule.sharedMal && t.rule.anchorAt === (t.rule.kind === "broadcast" ? t.rule.itemBeginAt : t.rule.beginAt);
  const view = (o: { index: number; at: number } | null) =>
    o && { ...occurrenceView(o.at, t.rule.originTz, tz, numbered ? o.index + 1 : null), in_seconds: Math.round((o.at - now) / 1000) };
  return {
    period: t.rule.period,
    first_airs_at: t.ends ? new Date(t.ends.first).toISOString() : null,
    last_airs_at: t.ends ? new Date(t.ends.last).toISOString() : null,
    end_estimated: t.bound.endEstimated,
    next: anime.status === "FINISHED" ? null : view(next),
    previous: view(previous),
  };
}

export function presentAnimeSchedule(v: AnimeScheduleValue, tz: string, now: number) {
  const items = new Map<number, RuleWithAnime>();
  for (const r of v.rules) if (!items.has(r.itemId)) items.set(r.itemId, r);
  // Each item's times: its broadcast rule, else its first stream with times.
  const main = new Map<number, Timed | null>();
  for (const id of items.keys()) {
    const own = v.rules.filter((r) => r.itemId === id && r.anchorAt !== null);
    const primary = own.find((r) => r.kind === "broadcast") ?? own[0];
    main.set(id, primary ? timed(primary, now) : null);
  }
  const itemId = items.size ? currentItem(main, items, now) : null;
  const rules = v.rules.filter((r) => r.itemId === itemId);
  const item = itemId === null ? null : items.get(itemId)!;
  const broadcast = rules.find((r) => r.kind === "broadcast");
  return {
    anime: v.anime,
    status: statusOf(v.anime, itemId === null ? null : main.get(itemId)!, item?.itemBeginAt ?? null, now),
    tz,
    item: item && { title: item.itemTitle, begin: item.itemBeginAt === null ? null : new Date(item.itemBeginAt).toISOString(), end: item.itemEndAt === null ? null : new Date(item.itemEndAt).toISOString() },
    broadcast: broadcast ? runView(timed(broadcast, now), v.anime, tz, now) : null,
    streams: rules
      .filter((r) => r.kind === "stream")
      .sort((a, b) => (a.site! < b.site! ? -1 : 1))
      .map((r) => ({ site: { key: r.site!, title: r.siteTitle!, url: r.url, regions: r.regions }, ...runView(timed(r, now), v.anime, tz, now) })),
    source: sourceBlock(v.source, tz),
    stale: isStale(v.source, now),
  };
}
