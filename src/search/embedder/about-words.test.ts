import { describe, expect, it } from "vitest";
import { aboutWords } from "./about-words";
import { LOCAL_VOCABULARY } from "./local-vocabulary";

describe("aboutWords", () => {
  it("keeps the stemmed content words of a text, in order, repeats included", () => {
    expect(aboutWords("Two sisters move to the countryside, and the sisters meet a forest spirit!")).toEqual(["two", "sist", "move", "countryside", "sist", "meet", "forest", "spirit"]);
    expect(aboutWords("Giant ROBOTS")).toEqual(["giant", "robot"]);
  });

  it("drops stop words, numbers and words under three letters", () => {
    expect(aboutWords("an anime about it in 1998, by me")).toEqual([]);
  });

  it("the vocabulary knows the words of common tags and descriptions, in the same stemmed form", () => {
    const known = new Set(LOCAL_VOCABULARY.split(" "));
    for (const w of ["mecha", "robot", "school", "magical", "sist", "countryside", "teach"]) expect(known.has(w), w).toBe(true);
    for (const w of ["plokmijnuhb", "zzqxjvw"]) expect(known.has(w), w).toBe(false);
  });
});
