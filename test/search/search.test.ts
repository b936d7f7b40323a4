import { beforeAll, describe, expect, it } from "vitest";
import { env } from "cloudflare:workers";
import { expectProblem, getJson, call, importFixture, indexSearch } from "../helpers";

beforeAll(async () => {
  await importFixture();
  await indexSearch();
});

const titlesOf = (body: { data: { title: string }[] }) => body.data.map((d) => d.title);

describe("GET /v1/search ranks the intended anime first", () => {
  it.each([
    // The queries the search issue names.
    ["cowboy bebop", "Cowboy Bebop"],
    ["cowby bebop", "Cowboy Bebop"],
    ["rezero", "Re:Zero kara Hajimeru Isekai Seikatsu"],
    ["Re:Zero", "Re:Zero kara Hajimeru Isekai Seikatsu"],
    ["re zero", "Re:Zero kara Hajimeru Isekai Seikatsu"],
    ["shingeki no kyojin", "Shingeki no Kyojin"],
    ["Attack on Titan", "Shingeki no Kyojin"],
    ["進撃の巨人", "Shingeki no Kyojin"],
    ["shingeki no kyojn", "Shingeki no Kyojin"],
    // Spelling variants, English and Japanese titles of the fixture.
    ["cowboy bebop", "Cowboy Bebop"],
    ["cowby bebop", "Cowboy Bebop"],
    ["Cowboy:Bebop", "Cowboy Bebop"],
    ["cowboybebop", "Cowboy Bebop"],
    ["カウボーイビバップ", "Cowboy Bebop"],
    ["Spirited Away", "Sen to Chihiro no Kamikakushi"],
    ["千と千尋の神隠し", "Sen to Chihiro no Kamikakushi"],
    ["honey and clover", "Hachimitsu to Clover"],
    ["neon genesis evangelon", "Neon Genesis Evangelion"],
    ["rurouni kenshin", "Rurouni Kenshin: Meiji Kenkaku Romantan"],
  ])("%s → %s", async (q, expected) => {
    for (const mode of ["hybrid", "keyword"]) {
      const { status, body } = await getJson(`/v1/search?q=${encodeURIComponent(q)}&mode=${mode}&limit=5`);
      expect(status).toBe(200);
      expect(titlesOf(body)[0], `${mode}: ${titlesOf(body).join(" | ")}`).toBe(expected);
    }
  });
});

describe("short CJK words", () => {
  it("a two-character word inside a Japanese title finds it (below the trigram index's reach)", async () => {
    const { body } = await getJson(`/v1/search?q=${encodeURIComponent("巨人")}&mode=keyword&limit=50`);
    expect(titlesOf(body)).toContain("Shingeki no Kyojin");
  });
});

