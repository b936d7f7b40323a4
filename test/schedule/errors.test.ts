import { beforeAll, describe, expect, it } from "vitest";
import { env } from "cloudflare:workers";
import { expectProblem, invalidateCache } from "../helpers";
import { at, loadScheduleFixture, NOW } from "./fixtures";
import { createApp } from "../../src/app";
import { createExecutionContext } from "cloudflare:test";

let ids: Record<number, number>;
beforeAll(async () => {
  ids = await loadScheduleFixture();
});

const send = (path: string) => createApp({ now: () => NOW }).fetch(new Request(`http://kensho.test${path}`), env, createExecutionContext());

describe("schedule: refused requests", () => {
  it.each([
    ["JST", "Asia/Tokyo"],
    ["EST", "America/New_York"],
    ["PST", "America/Los_Angeles"],
  ])("an abbreviation (%s) is a 400 problem suggesting IANA names (%s)", async (tz, hint) => {
    for (const path of [`/v1/schedule?tz=${tz}`, `/v1/anime/${ids[98001]}/schedule?tz=${tz}`]) {
      const body = await expectProblem(await send(path), 400, "validation_failed");
      expect(body.errors).toEqual([{ param: "tz", message: expect.stringContaining(hint) }]);
      expect(body.detail).toContain("IANA");
    }
  });

  it.each([
    ["/v1/schedule?tz=Mars/Olympus_Mons", "tz"],
    ["/v1/schedule?days=15", "days"],
    ["/v1/schedule?days=0", "days"],
    ["/v1/schedule?date=2026-02-30", "date"],
    ["/v1/schedule?week=2026-W54", "week"],
    ["/v1/schedule?week=2026-W10&date=2026-03-02", "week"],
    ["/v1/schedule?day=someday", "day"],
    ["/v1/schedule?kind=download", "kind"],
    ["/v1/schedule?region=USA", "region"],
    ["/v1/schedule?genres=Foo", "genres"],
    ["/v1/schedule?limit=101", "limit"],
  ])("%s is a 400 naming %s", async (path, param) => {
    const body = await expectProblem(await send(path), 400, "validation_failed");
    expect(body.errors.map((e: { param: string }) => e.param)).toContain(param);
  });

  it("a cursor of another window is refused; an unknown anime is a 404", async () => {
    const { body } = await at(NOW, "/v1/schedule?tz=UTC&date=2026-02-16&limit=1");
    await expectProblem(await send(`/v1/schedule?tz=UTC&date=2026-02-23&limit=1&cursor=${body.next_cursor}`), 400, "invalid_cursor");
    await expectProblem(await send("/v1/schedule?cursor=nonsense"), 400, "invalid_cursor");
    await expectProblem(await send("/v1/anime/99999999/schedule"), 404, "not_found");
  });
});

describe("schedule: resource (download) sites never appear", () => {
  it("not in any answer, and asking for one is a 400 listing the streaming sites", async () => {
    for (const path of ["/v1/schedule?tz=UTC&date=2026-02-16&days=14&limit=100", `/v1/anime/${ids[98001]}/schedule`, `/v1/anime/${ids[98002]}/schedule`]) {
      const text = await (await send(path)).text();
      for (const site of ["dmhy", "mikan", "bangumi_moe", "share.dmhy.org", "mikanani.me"]) expect(text, `${path} ${site}`).not.toContain(site);
    }
    for (const site of ["dmhy", "mikan", "bangumi_moe"]) {
      const body = await expectProblem(await send(`/v1/schedule?site=${site}`), 400, "validation_failed");
      expect(body.errors[0]).toMatchObject({ param: "site", message: expect.stringContaining("crunchyroll") });
    }
    const stored = await env.DB.prepare("SELECT count(*) AS n FROM schedule_rule WHERE site IN ('dmhy', 'mikan', 'bangumi_moe') OR url LIKE '%dmhy%' OR url LIKE '%mikan%'").first<{ n: number }>();
    expect(stored!.n).toBe(0);
  });
});

describe("schedule: not loaded yet", () => {
  it("is a 503 saying how it gets loaded, not an empty list", async () => {
    await env.DB.prepare("DELETE FROM schedule_source").run();
    await invalidateCache([]);
    try {
      const body = await expectProblem(await send("/v1/schedule?tz=UTC"), 503, "service_unavailable");
      expect(body.detail).toContain("npm start");
    } finally {
      await loadScheduleFixture();
    }
  });
});
