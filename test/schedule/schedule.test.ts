import { beforeAll, describe, expect, it } from "vitest";
import { env } from "cloudflare:workers";
import { createExecutionContext } from "cloudflare:test";
import { createApp } from "../../src/app";
import { BASE, testServices } from "../helpers";
import { airingSchedule, animeSchedule } from "../../src/schedule/answers";
import { at, loadScheduleFixture, NOW } from "./fixtures";

let ids: Record<number, number>;
beforeAll(async () => {
  ids = await loadScheduleFixture();
});

type Row = { airs_at: string; local: { date: string; weekday: string; time: string; utc_offset: string }; origin: { label: string; late_night: string | null }; kind: string; site: { key: string } | null; anime: { id: number; title: string }; episode: number | null; end_estimated: boolean };
const rows = async (path: string, now = NOW): Promise<Row[]> => {
  const { status, body } = await at(now, path);
  if (status !== 200) throw new Error(`${path}: ${status} ${JSON.stringify(body)}`);
  return body.data;
};
const tvOf = (rs: Row[], title: string) => rs.filter((r) => r.anime.title === title && r.kind === "broadcast");

describe("GET /v1/schedule: a Sat 25:30 JST weekly slot across both DST switches of 2026", () => {
  it.each([
    // [zone, window start, expected local date/time/offset of the two occurrences]
    ["America/Los_Angeles", "2026-03-07", [["2026-03-07", "08:30", "-08:00"], ["2026-03-14", "09:30", "-07:00"]]],
    ["America/Los_Angeles", "2026-10-31", [["2026-10-31", "09:30", "-07:00"], ["2026-11-07", "08:30", "-08:00"]]],
    ["Europe/London", "2026-03-28", [["2026-03-28", "16:30", "+00:00"], ["2026-04-04", "17:30", "+01:00"]]],
    ["Europe/London", "2026-10-24", [["2026-10-24", "17:30", "+01:00"], ["2026-10-31", "16:30", "+00:00"]]],
  ])("in %s from %s it stays on Saturday, its clock time moving with DST", async (tz, date, expected) => {
    const tv = tvOf(await rows(`/v1/schedule?tz=${tz}&date=${date}&days=14`), "Late Night Weekly");
    expect(tv.map((r) => [r.local.date, r.local.time, r.local.utc_offset])).toEqual(expected);
    expect(tv.every((r) => r.local.weekday === "Saturday" && r.origin.label === "Sun 01:30 JST" && r.origin.late_night === "Sat 25:30 JST")).toBe(true);
    expect(tv.every((r) => r.airs_at.endsWith("T16:30:00.000Z"))).toBe(true);
  });

  it("in Japan it is Sunday 01:30; `day` filters by the weekday in the caller's zone", async () => {
    const tokyo = tvOf(await rows("/v1/schedule?tz=Asia/Tokyo&date=2026-03-02"), "Late Night Weekly");
    expect(tokyo.map((r) => [r.local.weekday, r.local.time, r.episode])).toEqual([["Sunday", "01:30", 10]]);
    expect(tvOf(await rows("/v1/schedule?tz=America/New_York&date=2026-03-02&day=sat"), "Late Night Weekly").map((r) => r.local.date)).toEqual(["2026-03-07"]);
    expect(tvOf(await rows("/v1/schedule?tz=America/New_York&date=2026-03-02&day=sun"), "Late Night Weekly")).toEqual([]);
  });

  it("an ISO week is Monday to Sunday in the caller's zone", async () => {
    const { body } = await at(NOW, "/v1/schedule?tz=Europe/London&week=2026-W14");
    expect(body.window).toMatchObject({ start_date: "2026-03-30", days: 7, from: "2026-03-29T23:00:00.000Z", to: "2026-04-05T23:00:00.000Z" });
  });
});

describe("GET /v1/schedule: rules, runs and streams", () => {
  it("a monthly rule clamps to the month's length", async () => {
    const monthly = async (date: string) => tvOf(await rows(`/v1/schedule?tz=Asia/Tokyo&date=${date}&days=14`), "Monthly Shorts").map((r) => `${r.local.date} ${r.local.time}`);
    expect(await monthly("2026-02-20")).toEqual(["2026-02-28 01:00"]);
    expect(await monthly("2026-03-20")).toEqual(["2026-03-31 01:00"]);
    expect(await monthly("2026-04-20")).toEqual(["2026-04-30 01:00"]);
  });

  it("a run with no end in the data and no episode count lasts 26 weeks, flagged end_estimated", async () => {
    const [feb] = tvOf(await rows("/v1/schedule?tz=Asia/Tokyo&date=2026-02-20&days=14"), "Monthly Shorts");
    expect(feb.end_estimated).toBe(true);
    expect(await rows("/v1/schedule?tz=Asia/Tokyo&date=2026-08-20&days=14")).not.toContainEqual(expect.objectContaining({ anime: expect.objectContaining({ title: "Monthly Shorts" }) }));
    // The catalog's 52 episodes bound the weekly show: its last is 26 Dec 2026.
    const late = tvOf(await rows("/v1/schedule?tz=UTC&date=2026-12-20&days=14"), "Late Night Weekly");
    expect(late.map((r) => [r.airs_at, r.episode, r.end_estimated])).toEqual([["2026-12-26T16:30:00.000Z", 52, false]]);
  });

  it("a finished anime has no occurrences, whatever its rule says", async () => {
    const all = await rows("/v1/schedule?tz=UTC&date=2026-02-16&days=14&limit=100");
    expect(all.some((r) => r.anime.title === "Already Finished")).toBe(false);
    expect(all.some((r) => r.anime.title === "Late Night Weekly")).toBe(true);
  });

  it("a stream's time is its own rule's, not the TV slot's", async () => {
    const week = (await rows("/v1/schedule?tz=America/New_York&date=2026-02-16")).filter((r) => r.anime.title === "Late Night Weekly");
    expect(week.map((r) => [r.kind, r.site?.key ?? null, r.local.weekday, r.local.time])).toEqual([
      ["stream", "netflix", "Wednesday", "03:00"],
      ["broadcast", null, "Saturday", "11:30"],
      ["stream", "bilibili", "Saturday", "11:30"],
      ["stream", "crunchyroll", "Saturday", "12:00"],
    ]);
    const streams = await rows("/v1/schedule?tz=America/New_York&date=2026-02-16&kind=stream&site=crunchyroll,netflix");
    expect(new Set(streams.map((r) => r.site?.key))).toEqual(new Set(["crunchyroll", "netflix"]));
    const us = await rows("/v1/schedule?tz=America/New_York&date=2026-02-16&region=us");
    expect(us.some((r) => r.site?.key === "bilibili")).toBe(false);
    expect(us.some((r) => r.site?.key === "crunchyroll")).toBe(true);
  });

  it("joins by MAL id, then AniList; adult anime only with include_adult", async () => {
    const week = await rows("/v1/schedule?tz=UTC&date=2026-02-16&limit=100");
    expect(week.find((r) => r.anime.title === "AniList Only")?.anime.id).toBe(ids[98005]);
    expect(week.some((r) => r.anime.title === "Adult Weekly")).toBe(false);
    expect((await rows("/v1/schedule?tz=UTC&date=2026-02-16&limit=100&include_adult=true")).some((r) => r.anime.title === "Adult Weekly")).toBe(true);
    expect((await rows("/v1/schedule?tz=UTC&date=2026-02-16&limit=100&type=ONA")).every((r) => r.anime.title === "Monthly Shorts")).toBe(true);
  });

  it("pages with a cursor without repeating or skipping a row; carries the source and its licence", async () => {
    const whole = await rows("/v1/schedule?tz=UTC&date=2026-02-16&days=14&limit=100");
    const walked: Row[] = [];
    let cursor: string | null = null;
    do {
      const { body } = await at(NOW, `/v1/schedule?tz=UTC&date=2026-02-16&days=14&limit=3${cursor ? `&cursor=${cursor}` : ""}`);
      walked.push(...body.data);
      cursor = body.next_cursor;
      expect(body.source).toMatchObject({ name: "bangumi-data", version: "test", licence: "CC BY 4.0", url: "https://github.com/bangumi-data/bangumi-data" });
      expect(body.stale).toBe(false);
    } while (cursor);
    expect(walked).toEqual(whole);
    expect(whole.map((r) => r.airs_at)).toEqual([...whole.map((r) => r.airs_at)].sort());
  });

  it("calls the data stale once it is over 8 weeks old", async () => {
    const { body } = await at(Date.parse("2026-06-01T00:00:00Z"), "/v1/schedule?tz=UTC&date=2026-02-16");
    expect(body.stale).toBe(true);
  });

  it("is cached under the resolved date: the same window asked as today and as a date is one entry", async () => {
    const today = await at(NOW, "/v1/schedule?tz=Asia/Tokyo");
    const dated = await at(NOW, "/v1/schedule?tz=Asia/Tokyo&date=2026-02-15&days=7");
    expect(today.body.window.start_date).toBe("2026-02-15");
    expect(dated.res.headers.get("x-cache")).not.toBe("MISS");
    expect(dated.body).toEqual(today.body);
    const etag = dated.res.headers.get("etag")!;
    expect(etag).toMatch(/^"[0-9a-f]{40}"$/);
    const ctx = createExecutionContext();
    const again = await createApp({ now: () => NOW }).fetch(new Request(`${BASE}/v1/schedule?tz=Asia/Tokyo`, { headers: { "If-None-Match": etag } }), env, ctx);
    expect(again.status).toBe(304);
  });
});

describe("GET /v1/anime/{id}/schedule", () => {
  it("answers the next and previous broadcast and each stream's own next time, in_seconds counted after the cache", async () => {
    const path = `/v1/anime/${ids[98001]}/schedule?tz=America/Los_Angeles`;
    const { status, body } = await at(NOW, path);
    expect(status).toBe(200);
    expect(body).toMatchObject({ status: "airing", tz: "America/Los_Angeles", broadcast: { period: "P7D", end_estimated: false, last_airs_at: "2026-12-26T16:30:00.000Z" } });
    expect(body.broadcast.next).toMatchObject({ airs_at: "2026-02-21T16:30:00.000Z", local: { date: "2026-02-21", weekday: "Saturday", time: "08:30" }, episode: 8, in_seconds: (Date.parse("2026-02-21T16:30:00Z") - NOW) / 1000 });
    expect(body.broadcast.previous).toMatchObject({ airs_at: "2026-02-14T16:30:00.000Z", episode: 7 });
    const streams = Object.fromEntries(body.streams.map((s: any) => [s.site.key, s.next.airs_at]));
    expect(streams).toEqual({ bilibili: "2026-02-21T16:30:00.000Z", crunchyroll: "2026-02-21T17:00:00.000Z", netflix: "2026-02-18T08:00:00.000Z" });
    const later = await at(NOW + 60_000, path);
    expect(later.res.headers.get("x-cache")).not.toBe("MISS");
    expect(later.body.broadcast.next.in_seconds).toBe(body.broadcast.next.in_seconds - 60);
  });

  it("a finished anime: status finished, no next occurrence", async () => {
    const { body } = await at(NOW, `/v1/anime/${ids[98003]}/schedule`);
    expect(body.status).toBe("finished");
    expect(body.broadcast.next).toBeNull();
    expect(body.streams.every((s: { next: unknown }) => s.next === null)).toBe(true);
  });

  it("a series split into arcs: the airing arc, without episode numbers", async () => {
    const { body } = await at(NOW, `/v1/anime/${ids[98006]}/schedule?tz=Asia/Tokyo`);
    expect(body).toMatchObject({ status: "airing", item: { title: "長いシリーズ 新章" }, broadcast: { end_estimated: true, next: { airs_at: "2026-02-15T14:15:00.000Z", episode: null } } });
    expect(body.broadcast.next.origin.label).toBe("Sun 23:15 JST");
  });

  it("an anime the data does not know: status unknown; upcoming before the first occurrence", async () => {
    const { body: known } = await at(Date.parse("2025-12-01T00:00:00Z"), `/v1/anime/${ids[98001]}/schedule`);
    expect(known.status).toBe("upcoming");
    const { body: unknown } = await at(NOW, `/v1/anime/${ids[98007]}/schedule`);
    expect(unknown).toMatchObject({ status: "unknown", broadcast: null, streams: [] });
  });
});

describe("the seam the MCP tools will call (src/schedule/answers.ts)", () => {
  it("answers what the routes answer", async () => {
    const s = testServices({ now: () => NOW });
    const window = await airingSchedule(s, { tz: "UTC", date: "2026-02-16", kind: "all", sites: [], region: null, filters: {} }, { limit: 100 });
    expect(window.data).toEqual((await at(NOW, "/v1/schedule?tz=UTC&date=2026-02-16&limit=100")).body.data);
    expect(await animeSchedule(s, ids[98001], "Europe/London")).toEqual((await at(NOW, `/v1/anime/${ids[98001]}/schedule?tz=Europe/London`)).body);
    expect(await animeSchedule(s, 99999999, "UTC")).toBeNull();
  });
});

describe("CC BY 4.0 attribution", () => {
  it("GET /v1/about names bangumi-data, its licence and what it gives", async () => {
    const { body } = await at(NOW, "/v1/about");
    expect(body.attributions).toContainEqual(expect.stringMatching(/bangumi-data.*CC BY 4\.0/));
    expect(body.sources.find((s: { name: string }) => s.name === "bangumi-data")).toMatchObject({ licence: expect.stringContaining("CC BY 4.0"), use: expect.stringContaining("/v1/schedule") });
  });
});
