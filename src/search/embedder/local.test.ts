import { describe, expect, it } from "vitest";
import type { AnimeRow } from "../../catalog/serialize";
import { documentText } from "../document";
import { LocalEmbedder } from "./local";

const e = new LocalEmbedder();
const cos = (a: number[], b: number[]) => a.reduce((s, x, i) => s + x * b[i], 0);
const row = (over: Partial<AnimeRow>): AnimeRow => ({
  id: 1, title: "Untitled", titleKey: "untitled", synonyms: [], type: "TV", episodes: 12, status: "FINISHED", season: "SPRING",
  year: 2001, durationSeconds: 1440, score: null, picture: null, thumbnail: null, genres: [], studios: [],
  producers: [], sources: [], related: [], synopsis: null, systemStatus: "ACTIVE", orphanedAt: null, createdAt: 0, updatedAt: 0,
  contentHash: "h", syncRun: null, enriched: false, popularity: 0, ...over,
});
const embedOne = async (text: string) => (await e.embed([text]))[0];
const doc = (over: Partial<AnimeRow>) => embedOne(documentText(row(over)));

const bebop = row({ title: "Cowboy Bebop", synonyms: ["カウボーイビバップ"], genres: ["action", "space", "bounty hunters", "noir"], studios: ["Sunrise"] });
const chihiro = row({ title: "Sen to Chihiro no Kamikakushi", synonyms: ["Spirited Away"], genres: ["fantasy", "spirits", "bathhouse", "coming of age"] });

describe("LocalEmbedder", () => {
  it("returns one unit vector of the declared size per text, the same one every time", async () => {
    const texts = ["Cowboy Bebop", "giant robots", documentText(bebop)];
    const [a, b, c] = await e.embed(texts);
    for (const v of [a, b, c]) {
      expect(v).toHaveLength(e.dimensions);
      expect(Math.hypot(...v)).toBeCloseTo(1, 6);
    }
    expect(await e.embed(texts)).toEqual([a, b, c]);
    expect(await new LocalEmbedder().embed(texts)).toEqual([a, b, c]);
    expect(a).not.toEqual(b);
  });

  it("puts a title, its spelling variants and a typo of it nearer its anime than another anime", async () => {
    const [bebopDoc, chihiroDoc] = await e.embed([documentText(bebop), documentText(chihiro)]);
    for (const q of ["Cowboy Bebop", "COWBOY-BEBOP!", "cowby bebop"]) {
      const v = await embedOne(q);
      expect(cos(v, bebopDoc) - cos(v, chihiroDoc), q).toBeGreaterThan(0.03);
    }
    expect(cos(await embedOne("Cowboy Bebop"), await embedOne("COWBOY-BEBOP!"))).toBeCloseTo(1, 6);
  });

  it("weighs common title words down", async () => {
    const q = await embedOne("shingeki no kyojin");
    expect(cos(q, await doc({ title: "Kyojin no Hoshi" }))).toBeGreaterThan(cos(q, await doc({ title: "Kimi no Na wa" })));
  });

  it("carries meaning where the data does: 'giant robots' reaches an anime tagged mecha (no word in common)", async () => {
    const q = await embedOne("giant robots");
    for (const [mechaTags, otherTags] of [[["mecha"], ["cooking"]], [["mecha", "military", "space"], ["cooking", "school", "comedy"]]]) {
      const mecha = await doc({ title: "Ginga Kikoutai", genres: mechaTags });
      const other = await doc({ title: "Shokugeki", genres: otherTags });
      expect(cos(q, mecha) - cos(q, other), mechaTags.join()).toBeGreaterThan(0.01);
    }
  });

  it("matches a description on what an anime is about: its synopsis and tags, not its names", async () => {
    const q = await embedOne("two sisters move to the countryside and meet a giant forest spirit riding a cat bus");
    const totoro = await doc({
      title: "Tonari no Totoro",
      genres: ["fantasy", "countryside", "family friendly"],
      synopsis: "Two young sisters move with their father to an old house in the countryside, where they meet Totoro, a giant spirit of the forest, and ride the Catbus.",
    });
    // Shares one word with the description and says nothing else: it must not outrank the synopsis that shares six.
    const countryside = await doc({ title: "Inaka", genres: ["countryside"] });
    // Its title holds description words: a description's names count little.
    const titled = await doc({ title: "Giant Forest Spirit Sisters", genres: ["idol", "music"] });
    expect(cos(q, totoro)).toBeGreaterThan(cos(q, countryside) + 0.1);
    expect(cos(q, totoro)).toBeGreaterThan(cos(q, titled) + 0.1);
  });

  it("keeps a string of unknown words to the names part, under a fifth of any document's cosine", async () => {
    // The document is named like the nonsense itself: still at most the names' share (0.2).
    const named = await doc({ title: "plokmijnuhb zzqxjvw", genres: ["comedy"], synopsis: "A plokmijnuhb story." });
    for (const q of ["plokmijnuhb", "zzqxjvw kkrrt", "snorfblat quuxington"]) {
      const v = await embedOne(q);
      expect(v.slice(96).every((x) => x === 0), q).toBe(true);
      expect(cos(v, named), q).toBeLessThanOrEqual(0.2 + 1e-9);
    }
    // A plain word the catalog's tags and synopses know does reach the about part.
    expect((await embedOne("teacher")).slice(96).some((x) => x !== 0)).toBe(true);
  });

  it("embeds an anime known by its title alone as a document, not as a query of its title", async () => {
    const [asDoc, asQuery] = await e.embed([documentText(row({ title: "Soumatou", type: "UNKNOWN", year: null })), "Soumatou"]);
    expect(asDoc).not.toEqual(asQuery);
    expect(asDoc.slice(-8).every((x) => x > 0)).toBe(true); // the pad of an empty about part
    expect(asQuery.slice(-8).every((x) => x === 0)).toBe(true);
  });
});
