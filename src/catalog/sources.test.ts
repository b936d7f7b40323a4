import { describe, expect, it } from "vitest";
import { parseSourceUrl, sourceUrlFor } from "./sources";

describe("parseSourceUrl", () => {
  it.each([
    ["https://myanimelist.net/anime/1", "myanimelist", "1", "https://myanimelist.net/anime/1"],
    ["http://www.myanimelist.net/anime/1/", "myanimelist", "1", "https://myanimelist.net/anime/1"],
    ["https://kitsu.io/anime/9179", "kitsu", "9179", "https://kitsu.app/anime/9179"],
    ["https://anime-planet.com/anime/cowboy-bebop", "animeplanet", "cowboy-bebop", "https://anime-planet.com/anime/cowboy-bebop"],
    ["https://animecountdown.com/41243", "animecountdown", "41243", "https://animecountdown.com/41243"],
    ["https://www.animenewsnetwork.com/encyclopedia/anime.php?id=13", "animenewsnetwork", "13", "https://www.animenewsnetwork.com/encyclopedia/anime.php?id=13"],
  ])("%s → %s %s", (raw, site, siteId, url) => {
    expect(parseSourceUrl(raw)).toEqual({ site, siteId, url });
  });

  it("keeps unknown hosts under their host name", () => {
    expect(parseSourceUrl("https://new-site.example/anime/7")).toEqual({ site: "new-site.example", siteId: "anime/7", url: "https://new-site.example/anime/7" });
  });

  it.each(["not a url", "ftp://myanimelist.net/anime/1", "https://myanimelist.net/manga/1", "https://myanimelist.net/", "javascript:alert(1)"])("rejects %s", (raw) => {
    expect(parseSourceUrl(raw)).toBeNull();
  });

  it("round-trips through sourceUrlFor", () => {
    expect(sourceUrlFor("anilist", "21")).toBe("https://anilist.co/anime/21");
    expect(sourceUrlFor("nope", "1")).toBeNull();
  });
});

describe("parseSourceUrl with percent-encoding", () => {
  it("decodes ids and re-encodes them in the canonical URL, so spellings converge", () => {
    const a = parseSourceUrl("https://anime-planet.com/anime/what%3F");
    expect(a).toEqual({ site: "animeplanet", siteId: "what?", url: "https://anime-planet.com/anime/what%3F" });
    expect(parseSourceUrl(a!.url)).toEqual(a);
    const b = parseSourceUrl("https://anilist.co/anime/100%25");
    expect(b).toEqual({ site: "anilist", siteId: "100%", url: "https://anilist.co/anime/100%25" });
    expect(parseSourceUrl(b!.url)).toEqual(b);
  });

  it.each(["https://notify.moe/anime/%", "https://myanimelist.net/anime/%E0%A4%A", "https://myanimelist.net/anime/a%2Fb"])("rejects the malformed or ambiguous %s", (raw) => {
    expect(parseSourceUrl(raw)).toBeNull();
  });
});
