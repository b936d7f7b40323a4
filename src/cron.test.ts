import { describe, expect, it } from "vitest";
import { unstable_readConfig } from "wrangler";
import { canonicalCron } from "./cron";
import { JOBS, jobOf, type JobName } from "./scheduled";

/** wrangler.toml as wrangler itself reads it, for one profile. */
const cronsOf = (env?: string): string[] => unstable_readConfig({ config: "wrangler.toml", env }, { hideWarnings: true }).triggers.crons ?? [];

describe("Cloudflare cron syntax", () => {
  it.each([
    ["0 1 * * SAT", "0 1 * * 7"],
    ["0 3 * * sun", "0 3 * * 1"],
    ["0  1 * * 7", "0 1 * * 7"],
    ["*/10 * * * *", "*/10 * * * *"],
    ["0 9 * JAN-MAR MON-FRI", "0 9 * 1-3 2-6"],
    ["59 23 LW * *", "59 23 LW * *"],
    ["0 12 * * 6#2", "0 12 * * 6#2"],
    ["0 0 1,15 * *", "0 0 1,15 * *"],
  ])("accepts %s (canonical %s)", (expr, canonical) => {
    expect(canonicalCron(expr)).toBe(canonical);
  });

  it.each([
    ["0 3 * * 0", "day of week"], // Unix Sunday: Cloudflare refuses it at deploy
    ["0 3 * * 8", "day of week"],
    ["60 * * * *", "minute"],
    ["0 24 * * *", "hour"],
    ["0 0 0 * *", "day of month"],
    ["0 0 * 13 *", "month"],
    ["0 0 * * * *", "fields"],
    ["*/0 * * * *", "minute"],
    ["0 0 * * FRI-MON", "day of week"],
    ["@daily", "fields"],
    ["0 0 32W * *", "day of month"],
    ["0 0 * * 8L", "day of week"],
  ])("refuses %s (%s)", (expr, what) => {
    const problems: string[] = [];
    expect(canonicalCron(expr, problems)).toBeNull();
    expect(problems.join(" ")).toContain(what);
  });
});

describe("wrangler.toml's Cron Triggers", () => {
  for (const profile of [undefined, "production"]) {
    const label = profile ?? "local";
    it(`${label}: every expression is in Cloudflare's syntax and runs a job; every job has its cron`, () => {
      const crons = cronsOf(profile);
      const problems: string[] = [];
      for (const cron of crons) canonicalCron(cron, problems);
      expect(problems).toEqual([]);
      expect(crons.filter((c) => jobOf(c) === null)).toEqual([]);
      const covered = new Set(crons.map((c) => jobOf(c)));
      expect((Object.keys(JOBS) as JobName[]).filter((job) => !covered.has(job))).toEqual([]);
    });
  }

  it("dispatch follows the schedule, not its spelling: a normalised form reaches the same job", () => {
    expect(jobOf("0 1 * * 7")).toBe("weeklySync");
    expect(jobOf("0 1 * * sat")).toBe("weeklySync");
    expect(jobOf("0 3 * * 1")).toBe("weeklySnapshot");
    expect(jobOf("0 1 * * 6")).toBeNull(); // Friday: no job
  });
});
