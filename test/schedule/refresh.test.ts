import { afterEach, describe, expect, it, vi } from "vitest";
import { env } from "cloudflare:workers";
import { createExecutionContext, createScheduledController, waitOnExecutionContext } from "cloudflare:test";
import worker from "../../src/index";
import { JOBS } from "../../src/scheduled";
import { REFRESH_INTERVAL_MS } from "../../src/schedule/loader";
import { importEntries, invalidateCache, testServices } from "../helpers";
import { entry } from "../sync/fixtures";
import { CATALOG, SCHEDULE } from "./fixtures";

afterEach(() => vi.restoreAllMocks());

const HOUR = 3_600_000;
const T0 = Date.parse("2026-02-15T12:00:00Z");
const source = () => env.DB.prepare("SELECT version, etag, fetched_at, checked_at, items FROM schedule_source WHERE id = 1").first<Record<string, any>>();
const loader = (now: number, over: Record<string, unknown> = {}) => testServices({ now: () => now }).scheduleLoader({ invalidate: () => invalidateCache([]), ...over });

describe("the hourly cron's schedule refresh", () => {
  it("asks SCHEDULE_SOURCE_URL at most daily, with If-None-Match, and relinks when the catalog changed", async () => {
    await importEntries(env.DB, CATALOG, { source: "refresh test" });
    const asked: (string | null)[] = [];
    let body = JSON.stringify(SCHEDULE);
    const fakeFetch = (async (_url: string, init?: RequestInit) => {
      const sent = new Headers(init?.headers).get("If-None-Match");
      asked.push(sent);
      const etag = `"${body.length}"`;
      return sent === etag ? new Response(null, { status: 304, headers: { ETag: etag } }) : new Response(body, { headers: { ETag: etag } });
    }) as typeof fetch;
    const url = "https://data.example.org/bangumi-data@0.3.999/dist/data.json";
    const at = (now: number) => loader(now, { source: url, fetch: fakeFetch }).refresh();

    expect(await at(T0)).toMatchObject({ status: "loaded", version: "0.3.999", items: 7 });
    expect(await at(T0 + HOUR)).toEqual({ status: "not_due" });
    // A new catalog anime the data already names (MAL 98999 of the AniList-only item) is linked at the next check.
    await importEntries(env.DB, [entry(98999, { title: "Now In The Catalog", status: "ONGOING" })], { source: "refresh test 2" });
    expect(await at(T0 + REFRESH_INTERVAL_MS)).toEqual({ status: "not_modified", relinked: true });
    expect(await source()).toMatchObject({ fetched_at: T0, checked_at: T0 + REFRESH_INTERVAL_MS });
    const linked = await env.DB.prepare("SELECT a.title FROM schedule_item i JOIN anime a ON a.id = i.anime_id WHERE i.mal_id = '98999'").first<{ title: string }>();
    expect(linked?.title).toBe("Now In The Catalog");
    body = JSON.stringify({ ...SCHEDULE, items: SCHEDULE.items.slice(0, 2) });
    expect(await at(T0 + 2 * REFRESH_INTERVAL_MS)).toMatchObject({ status: "loaded", items: 2 });
    expect(asked).toEqual([null, `"${JSON.stringify(SCHEDULE).length}"`, `"${JSON.stringify(SCHEDULE).length}"`]);
    expect(await loader(T0, { source: "off" }).refresh()).toEqual({ status: "off" });
  });

  it("runs in the hourly cron before the curated lists; a failing source is logged and the lists still refresh", async () => {
    await env.CATALOG.put("schedule/data.json", JSON.stringify(SCHEDULE));
    await env.DB.prepare("DELETE FROM schedule_source").run();
    const run = async (vars: Record<string, string>) => {
      const lines: string[] = [];
      for (const m of ["log", "warn", "error"] as const) vi.spyOn(console, m).mockImplementation((line: unknown) => void lines.push(String(line)));
      const ctx = createExecutionContext();
      await worker.scheduled(createScheduledController({ cron: JOBS.curatedLists.cron, scheduledTime: Date.now() }), { ...env, LOG_LEVEL: "info", ...vars } as Env, ctx);
      await waitOnExecutionContext(ctx);
      vi.restoreAllMocks();
      return lines.map((l) => JSON.parse(l));
    };
    const ok = await run({ SCHEDULE_SOURCE_URL: "r2:schedule/data.json" });
    expect(ok.map((l) => l.event)).toEqual(["schedule.refreshed", "curated.refreshed", "scheduled.done"]);
    expect(ok[0]).toMatchObject({ status: "loaded", job: "curatedLists" });
    await env.DB.prepare("DELETE FROM schedule_source").run();
    const failing = await run({ SCHEDULE_SOURCE_URL: "r2:schedule/missing.json" });
    expect(failing.map((l) => l.event)).toEqual(["scheduled.job_failed", "curated.refreshed", "scheduled.done"]);
  });
});
