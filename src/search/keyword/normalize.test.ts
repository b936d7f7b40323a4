import { describe, expect, it } from "vitest";
import { compact, joinedPairs, nameForms, normalise, trigrams, words } from "./normalize";

describe("normalise", () => {
  it.each([
    ["Re:Zero kara Hajimeru Isekai Seikatsu", "re zero kara hajimeru isekai seikatsu"],
    ["Re：ゼロから始める異世界生活", "re ゼロから始める異世界生活"],
    ["Ｃｏｗｂｏｙ　Ｂｅｂｏｐ", "cowboy bebop"],
    ["ｶｳﾎﾞｰｲﾋﾞﾊﾞｯﾌﾟ", "カウボーイビバップ"],
    ["Tōkyō Ghoul", "tokyo ghoul"],
    ["Pokémon", "pokemon"],
    ["Lucky☆Star", "lucky star"],
    ["JoJo's Bizarre Adventure", "jojos bizarre adventure"],
    ["Hunter×Hunter (2011)", "hunter x hunter 2011"],
    ["Fullmetal Alchemist: Brotherhood!!", "fullmetal alchemist brotherhood"],
    ["進撃の巨人", "進撃の巨人"],
    ["がっこうぐらし！", "がっこうぐらし"],
    ["  --  ", ""],
  ])("%s → %s", (input, expected) => {
    expect(normalise(input)).toBe(expected);
  });

  it("makes the spellings of one title meet in compact form", () => {
    expect(new Set(["rezero", "Re:Zero", "re zero", "RE：ZERO", "Re-Zero"].map(compact))).toEqual(new Set(["rezero"]));
  });

  it("keeps kana voicing marks (a blanket mark removal would turn が into か)", () => {
    expect(normalise("ガンダム")).toBe("ガンダム");
  });
});

describe("nameForms", () => {
  it("adds the spelled-out long vowels", () => {
    expect(nameForms("Tōkyō Ghoul")).toEqual(["tokyo ghoul", "toukyou ghoul"]);
    expect(nameForms("Ōkami-san")).toEqual(["okami san", "oukami san"]);
  });
  it("gives one form to a name without long vowels, none to an empty one", () => {
    expect(nameForms("Cowboy Bebop")).toEqual(["cowboy bebop"]);
    expect(nameForms("☆")).toEqual([]);
  });
});

describe("words, pairs and trigrams", () => {
  it("splits and pairs words", () => {
    expect(words("Re:Zero kara")).toEqual(["re", "zero", "kara"]);
    expect(words("!!")).toEqual([]);
    expect(joinedPairs("re zero kara")).toEqual(["rezero", "zerokara"]);
    expect(joinedPairs("k")).toEqual([]);
  });
  it("cuts trigrams by code point, so CJK and astral characters stay whole", () => {
    expect(trigrams("bebop")).toEqual(["beb", "ebo", "bop"]);
    expect(trigrams("進撃の巨人")).toEqual(["進撃の", "撃の巨", "の巨人"]);
    expect(trigrams("ab")).toEqual(["ab"]);
    expect(trigrams("")).toEqual([]);
  });
});
