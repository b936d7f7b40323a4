import { describe, expect, it } from "vitest";
import { canonicalZone, instantOf, localOf, offsetMinutes, originLabels } from "./zones";

const at = (iso: string) => Date.parse(iso);

describe("time zones through Intl", () => {
  it("reads an instant in a zone, DST included", () => {
    expect(localOf(at("2026-03-07T16:30:00Z"), "America/Los_Angeles")).toEqual({ date: "2026-03-07", weekday: "Saturday", time: "08:30", utc_offset: "-08:00" });
    expect(localOf(at("2026-03-14T16:30:00Z"), "America/Los_Angeles")).toEqual({ date: "2026-03-14", weekday: "Saturday", time: "09:30", utc_offset: "-07:00" });
    expect(localOf(at("2026-04-05T14:15:00Z"), "Asia/Kolkata").utc_offset).toBe("+05:30");
    expect(offsetMinutes(at("2026-07-01T00:00:00Z"), "Europe/London")).toBe(60);
  });

  it("turns a wall time into an instant: a skipped time moves forward, a repeated one is the earlier", () => {
    const wall = (iso: string) => Date.parse(`${iso}Z`);
    expect(instantOf(wall("2026-04-05T23:15:00"), "Asia/Tokyo")).toBe(at("2026-04-05T14:15:00Z"));
    expect(instantOf(wall("2026-03-08T02:30:00"), "America/Los_Angeles")).toBe(at("2026-03-08T10:30:00Z")); // 03:30 PDT
    expect(instantOf(wall("2026-11-01T01:30:00"), "America/Los_Angeles")).toBe(at("2026-11-01T08:30:00Z")); // the PDT one
    expect(instantOf(wall("2026-10-25T01:30:00"), "Europe/London")).toBe(at("2026-10-25T00:30:00Z"));
  });

  it("labels the origin slot, with the late-night form of Japanese listings", () => {
    expect(originLabels(at("2026-04-05T14:15:00Z"), "Asia/Tokyo")).toEqual({ label: "Sun 23:15 JST", late_night: null });
    expect(originLabels(at("2026-04-04T16:30:00Z"), "Asia/Tokyo")).toEqual({ label: "Sun 01:30 JST", late_night: "Sat 25:30 JST" });
    expect(originLabels(at("2026-04-04T16:30:00Z"), "Asia/Shanghai").label).toBe("Sun 00:30 UTC+08:00");
  });

  it("accepts IANA names in any case and UTC; refuses abbreviations, naming the IANA names to send", () => {
    expect(canonicalZone("america/new_york")).toEqual({ tz: "America/New_York" });
    expect(canonicalZone("UTC")).toEqual({ tz: "UTC" });
    expect(canonicalZone("Etc/UTC")).toEqual({ tz: "UTC" });
    for (const [abbr, hint] of [["JST", "Asia/Tokyo"], ["EST", "America/New_York"], ["pst", "America/Los_Angeles"], ["GMT", "Europe/London"]]) {
      const r = canonicalZone(abbr) as { error: string };
      expect(r.error, abbr).toContain("abbreviation");
      expect(r.error, abbr).toContain(hint);
    }
    expect((canonicalZone("Mars/Olympus") as { error: string }).error).toContain("IANA name");
    expect((canonicalZone("EST5EDT") as { error: string }).error).toContain("IANA name");
  });
});
