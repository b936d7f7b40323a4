import { describe, expect, it } from "vitest";
import { aboutWords } from "./about-words";
import { conceptWords } from "./concepts";

const concepts = (q: string) => conceptWords(aboutWords(q));

describe("conceptWords", () => {
  it("adds the tag a plain phrase means, matched on stems", () => {
    expect(concepts("giant robots")).toContain("mecha");
    expect(concepts("a giant robot")).toContain("mecha");
    expect(concepts("magic girl")).toEqual(expect.arrayContaining(["magical", "mahou", "shoujo"]));
    expect(concepts("reincarnated in another world")).toContain("isekai");
  });

  it("adds nothing for words with no concept, and never a word the query already has", () => {
    expect(concepts("cowboy bebop")).toEqual([]);
    expect(concepts("giant")).toEqual([]);
    expect(concepts("mecha giant robot")).not.toContain("mecha");
  });
});
