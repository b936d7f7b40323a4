import { describe, expect, it } from "vitest";
import { firstIndexFrom, lastIndexUntil, occurrence, occurrencesBetween, parseRecurrence } from "./recurrence";

const iso = (ms: number) => new Date(ms).toISOString();

describe("ISO 8601 repeating intervals", () => {
  it("parses bangumi-data's forms and refuses what names no instant or no whole-day step", () => {
    expect(parseRecurrence("R/2026-04-05T14:15:00.000Z/P7D")).toEqual({ anchor: Date.parse("2026-04-05T14:15:00Z"), step: { days: 7 }, count: null });
    expect(parseRecurrence("R/2025-04-29T16:00:00.000Z/P1M")?.step).toEqual({ months: 1 });
    expect(parseRecurrence("R/2023-11-03T15:00:00.000Z/P0D")).toMatchObject({ step: null, count: 1 });
    expect(parseRecurrence("R5/2026-01-01T00:00:00+09:00/P2W")).toMatchObject({ step: { days: 14 }, count: 5 });
    for (const bad of ["", "R/2026-04-05T14:15:00/P7D", "R/2026-04-05T14:15:00Z/PT1H", "R/2026-04-05T14:15:00Z/P1M2D", "2026-04-05T14:15:00Z"]) expect(parseRecurrence(bad), bad).toBeNull();
  });

  it("a weekly rule keeps its wall time in the origin zone", () => {
    const r = parseRecurrence("R/2026-03-01T10:00:00Z/P7D")!; // 02:00 PST
    expect(iso(occurrence(r, 1, "America/Los_Angeles"))).toBe("2026-03-08T10:00:00.000Z"); // 02:00 skipped → 03:00 PDT
    expect(iso(occurrence(r, 2, "America/Los_Angeles"))).toBe("2026-03-15T09:00:00.000Z"); // 02:00 PDT
    expect(iso(occurrence(r, 2, "Asia/Tokyo"))).toBe("2026-03-15T10:00:00.000Z");
  });

  it("a monthly rule clamps to the month's length, counting each month from the anchor", () => {
    const r = parseRecurrence("R/2026-01-30T16:00:00.000Z/P1M")!; // 31 Jan 01:00 JST
    const inTokyo = (k: number) => new Date(occurrence(r, k, "Asia/Tokyo") + 9 * 3600_000).toISOString().slice(0, 16);
    expect([0, 1, 2, 3, 4].map(inTokyo)).toEqual(["2026-01-31T01:00", "2026-02-28T01:00", "2026-03-31T01:00", "2026-04-30T01:00", "2026-05-31T01:00"]);
    const leap = parseRecurrence("R/2027-12-30T16:00:00.000Z/P1M")!;
    expect(new Date(occurrence(leap, 2, "Asia/Tokyo") + 9 * 3600_000).toISOString().slice(0, 10)).toBe("2028-02-29");
  });

  it("finds the occurrences of a window and the neighbours of an instant", () => {
    const r = parseRecurrence("R/2026-04-05T14:15:00.000Z/P7D")!;
    const hits = occurrencesBetween(r, "Asia/Tokyo", Date.parse("2026-04-20T00:00:00Z"), Date.parse("2026-04-27T00:00:00Z"));
    expect(hits.map((h) => [h.index, iso(h.at)])).toEqual([[3, "2026-04-26T14:15:00.000Z"]]);
    expect(firstIndexFrom(r, Date.parse("2026-04-26T14:15:00Z"), "Asia/Tokyo")).toBe(3);
    expect(lastIndexUntil(r, Date.parse("2026-04-26T14:14:59Z"), "Asia/Tokyo")).toBe(2);
    expect(firstIndexFrom(r, Date.parse("2027-01-01T00:00:00Z"), "Asia/Tokyo", 11)).toBeNull();
    expect(lastIndexUntil(r, Date.parse("2026-04-01T00:00:00Z"), "Asia/Tokyo")).toBeNull();
  });
});
