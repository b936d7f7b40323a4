import { describe, expect, it } from "vitest";
import { parseRecurrence } from "./recurrence";
import { around, ESTIMATED_RUN_MS, OPEN_UNTIL, runBetween, runBound, runEnds, type RunFacts } from "./run";

const weekly = parseRecurrence("R/2026-01-03T16:30:00.000Z/P7D")!;
const TZ = "Asia/Tokyo";
const NOW = Date.parse("2026-02-15T00:00:00Z");
const facts = (over: Partial<RunFacts> = {}): RunFacts => ({ untilAt: OPEN_UNTIL, episodes: null, catalogStatus: "ONGOING", sharedMal: false, beginAt: null, ...over });
const lastOf = (f: RunFacts, now = NOW) => new Date(runEnds(weekly, runBound(weekly, f, TZ, now), TZ)!.last).toISOString();

describe("how far a run goes", () => {
  it("the data's end first, then the catalog's episode count, else 26 weeks flagged end_estimated", () => {
    expect(lastOf(facts({ untilAt: Date.parse("2026-03-22T15:00:00Z"), episodes: 24 }))).toBe("2026-03-21T16:30:00.000Z");
    expect(lastOf(facts({ episodes: 12 }))).toBe("2026-03-21T16:30:00.000Z");
    const estimated = runBound(weekly, facts(), TZ, NOW);
    expect(estimated.endEstimated).toBe(true);
    expect(estimated.until).toBe(weekly.anchor + ESTIMATED_RUN_MS - 1);
    expect(lastOf(facts())).toBe("2026-06-27T16:30:00.000Z"); // 26 occurrences
  });

  it("ignores a count that is a placeholder (1 for a weekly rule), the series' (a shared MAL id) or used up while the catalog says ONGOING", () => {
    for (const f of [facts({ episodes: 1 }), facts({ episodes: 12, sharedMal: true }), facts({ episodes: 3 })]) expect(runBound(weekly, f, TZ, NOW).endEstimated, JSON.stringify(f)).toBe(true);
    expect(runBound(weekly, facts({ episodes: 3, catalogStatus: "UPCOMING" }), TZ, NOW).endEstimated).toBe(false);
  });

  it("starts at the rule's begin when it is later than its anchor (an old anchor kept in the data)", () => {
    const old = parseRecurrence("R/2018-10-08T16:00:00.000Z/P7D")!;
    const b = runBound(old, facts({ beginAt: Date.parse("2026-04-09T00:00:00Z") }), TZ, NOW);
    expect(runBetween(old, b, TZ, Date.parse("2020-01-01T00:00:00Z"), Date.parse("2020-02-01T00:00:00Z"))).toEqual([]);
    expect(new Date(runEnds(old, b, TZ)!.first).toISOString()).toBe("2026-04-13T16:00:00.000Z");
    expect(around(old, b, TZ, Date.parse("2026-04-10T00:00:00Z")).previous).toBeNull();
  });
});
