import { describe, expect, it } from "vitest";
import { relativeYears } from "./relative-years";

const anime = (title: string, year: number | null) => ({ title, season: { season: "SPRING" as const, year } });

describe("relativeYears", () => {
  it("newer → the year after the anime's, older → the year before, with a note naming it", () => {
    const notes: string[] = [];
    const out = relativeYears({ genres: ["Mecha"] }, { newer: { title: "bebop", anime: anime("Cowboy Bebop", 1998) }, older: { title: "frieren", anime: anime("Frieren", 2023) } }, notes);
    expect(out).toEqual({ genres: ["Mecha"], year_from: 1999, year_to: 2022 });
    expect(notes).toEqual(["newer than Cowboy Bebop (1998) → years 1999 onwards", "older than Frieren (2023) → years up to 2022"]);
  });

  it("narrows the query's own years, and drops the bound a comparison contradicts", () => {
    expect(relativeYears({ year_from: 2005, year_to: 2010 }, { newer: { title: "b", anime: anime("B", 1998) } }, [])).toEqual({ year_from: 2005, year_to: 2010 });
    const notes: string[] = [];
    expect(relativeYears({ year_from: 1990, year_to: 1999 }, { newer: { title: "f", anime: anime("Frieren", 2023) } }, notes)).toEqual({ year_from: 2024 });
    expect(notes[0]).toBe("years up to 1999 dropped: they end before Frieren");
  });

  it("invents no year for a title not found or an anime without one", () => {
    const notes: string[] = [];
    const out = relativeYears({}, { newer: { title: "qwzxv", anime: null }, older: { title: "x", anime: anime("Undated", null) } }, notes);
    expect(out).toEqual({});
    expect(notes).toEqual(['"qwzxv" was not found: no "newer than" year applied', 'Undated has no known year: no "older than" year applied']);
  });

  it("applies no bound outside the years filters accept", () => {
    const notes: string[] = [];
    expect(relativeYears({}, { older: { title: "o", anime: anime("Oldest", 1907) } }, notes)).toEqual({});
    expect(notes).toEqual(["nothing can be older than Oldest (1907): no year applied"]);
  });
});
