import { describe, expect, it } from "vitest";
import { KNOWN_HOSTS, KNOWN_SITES, parseSourceUrl, resolveSiteId, resolveSourceUrl, sourceUrlFor, type SourceRefusal } from "./sources";

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

/** One anime page per site, in the form the 2026-02 release lists it (Cowboy Bebop where the site has it). */
const RELEASE_FORMS: [site: string, siteId: string, releaseUrl: string, canonical: string][] = [
  ["myanimelist", "1", "https://myanimelist.net/anime/1", "https://myanimelist.net/anime/1"],
  ["anilist", "1", "https://anilist.co/anime/1", "https://anilist.co/anime/1"],
  ["kitsu", "1", "https://kitsu.app/anime/1", "https://kitsu.app/anime/1"],
  ["anidb", "23", "https://anidb.net/anime/23", "https://anidb.net/anime/23"],
  ["animeplanet", "cowboy-bebop", "https://anime-planet.com/anime/cowboy-bebop", "https://anime-planet.com/anime/cowboy-bebop"],
  ["anisearch", "1572", "https://anisearch.com/anime/1572", "https://anisearch.com/anime/1572"],
  ["livechart", "3418", "https://livechart.me/anime/3418", "https://livechart.me/anime/3418"],
  ["notify", "-cQb5Fmmg", "https://notify.moe/anime/-cQb5Fmmg", "https://notify.moe/anime/-cQb5Fmmg"],
  ["simkl", "37089", "https://simkl.com/anime/37089", "https://simkl.com/anime/37089"],
  ["animecountdown", "37089", "https://animecountdown.com/37089", "https://animecountdown.com/37089"],
  ["animenewsnetwork", "13", "https://animenewsnetwork.com/encyclopedia/anime.php?id=13", "https://www.animenewsnetwork.com/encyclopedia/anime.php?id=13"],
];

describe("resolveSourceUrl", () => {
  it("covers every known site", () => {
    expect(RELEASE_FORMS.map(([site]) => site).sort()).toEqual([...KNOWN_SITES].sort());
  });

  it.each(RELEASE_FORMS)("%s: the release's form %s resolves to the row the importer stores", (site, siteId, releaseUrl, canonical) => {
    expect(resolveSourceUrl(releaseUrl)).toEqual({ ok: true, ref: { site, siteId, url: canonical } });
    expect(resolveSourceUrl(releaseUrl)).toEqual({ ok: true, ref: parseSourceUrl(releaseUrl) });
    expect(resolveSiteId(site, siteId)).toEqual({ ok: true, ref: { site, siteId, url: canonical } });
  });

  it.each([
    // What browsers show: title slugs, sub-pages, legacy pages.
    ["https://myanimelist.net/anime/52991/Sousou_no_Frieren", "https://myanimelist.net/anime/52991"],
    ["https://myanimelist.net/anime/52991/Sousou_no_Frieren/", "https://myanimelist.net/anime/52991"],
    ["https://myanimelist.net/anime/52991/Sousou_no_Frieren/reviews?p=2", "https://myanimelist.net/anime/52991"],
    ["https://myanimelist.net/anime.php?id=52991", "https://myanimelist.net/anime/52991"],
    ["https://myanimelist.net/anime.php?id=52991&utm_source=x", "https://myanimelist.net/anime/52991"],
    ["https://anilist.co/anime/1/cowboy-bebop/", "https://anilist.co/anime/1"],
    ["https://anilist.co/anime/1/Cowboy-Bebop/characters", "https://anilist.co/anime/1"],
    ["https://kitsu.io/anime/1", "https://kitsu.app/anime/1"],
    ["https://kitsu.app/anime/1/episodes", "https://kitsu.app/anime/1"],
    ["https://anidb.net/a23", "https://anidb.net/anime/23"],
    ["https://anidb.net/perl-bin/animedb.pl?show=anime&aid=23", "https://anidb.net/anime/23"],
    ["https://anidb.net/anime/23/relation/graph", "https://anidb.net/anime/23"],
    ["https://www.anime-planet.com/anime/cowboy-bebop/reviews", "https://anime-planet.com/anime/cowboy-bebop"],
    ["https://www.anime-planet.com/anime/Cowboy-Bebop", "https://anime-planet.com/anime/cowboy-bebop"],
    ["https://www.anime-planet.com/anime/blue-eyes-in-harbor-tale-", "https://anime-planet.com/anime/blue-eyes-in-harbor-tale-"],
    ["https://www.anisearch.com/anime/1572,cowboy-bebop", "https://anisearch.com/anime/1572"],
    ["https://www.anisearch.de/anime/1572,cowboy-bebop/screenshots", "https://anisearch.com/anime/1572"],
    ["https://www.livechart.me/anime/3418/", "https://livechart.me/anime/3418"],
    ["https://notify.moe/anime/-cQb5Fmmg/episodes", "https://notify.moe/anime/-cQb5Fmmg"],
    ["https://simkl.com/anime/37089/cowboy-bebop", "https://simkl.com/anime/37089"],
    ["https://animecountdown.com/37089/", "https://animecountdown.com/37089"],
    ["https://www.animenewsnetwork.com/encyclopedia/anime.php?id=13&page=25#x", "https://www.animenewsnetwork.com/encyclopedia/anime.php?id=13"],
    // Spellings of the scheme and host.
    ["http://myanimelist.net/anime/1", "https://myanimelist.net/anime/1"],
    ["HTTPS://WWW.MYANIMELIST.NET/anime/1", "https://myanimelist.net/anime/1"],
    ["https://MyAnimeList.net/ANIME/1", "https://myanimelist.net/anime/1"],
    ["https://myanimelist.net./anime/1", "https://myanimelist.net/anime/1"],
    ["https://myanimelist.net:443/anime/1", "https://myanimelist.net/anime/1"],
    ["myanimelist.net/anime/1", "https://myanimelist.net/anime/1"],
    ["anilist.co/anime/1/cowboy-bebop/", "https://anilist.co/anime/1"],
    ["www.kitsu.io/anime/1", "https://kitsu.app/anime/1"],
    ["  https://anilist.co/anime/1  ", "https://anilist.co/anime/1"],
    // Query strings, fragments, trailing slashes, leading zeros.
    ["https://myanimelist.net/anime/1/?ref=share#synopsis", "https://myanimelist.net/anime/1"],
    ["https://myanimelist.net/anime/1#top", "https://myanimelist.net/anime/1"],
    ["https://anilist.co/anime/001", "https://anilist.co/anime/1"],
  ])("%s → %s", (raw, url) => {
    const resolved = resolveSourceUrl(raw);
    expect(resolved.ok && resolved.ref.url).toBe(url);
    // The (site, id) looked up is the one the importer stores for that canonical URL.
    expect(resolved.ok && resolved.ref).toEqual(parseSourceUrl(url));
  });

  it.each<[string, SourceRefusal]>([
    ["", "not_a_url"],
    ["not a url", "not_a_url"],
    ["not-a-url", "not_a_url"],
    ["52991", "not_a_url"],
    ["ftp://myanimelist.net/anime/1", "not_a_url"],
    ["javascript:alert(1)", "not_a_url"],
    ["mailto:someone@myanimelist.net", "not_a_url"],
    ["https://", "not_a_url"],
    ["https://imdb.com/title/tt0213338/", "unsupported_site"],
    ["https://new-site.example/anime/7", "unsupported_site"],
    ["https://myanimelist.net.evil.example/anime/1", "unsupported_site"],
    ["https://cdn.myanimelist.net/images/anime/4/19644.jpg", "unsupported_site"],
    ["https://myanimelist.net/", "not_an_anime_page"],
    ["https://myanimelist.net/manga/1", "not_an_anime_page"],
    ["https://myanimelist.net/anime.php?q=bebop", "not_an_anime_page"],
    ["https://anidb.net/perl-bin/animedb.pl?show=character&aid=23", "not_an_anime_page"],
    ["https://www.animenewsnetwork.com/encyclopedia/manga.php?id=13", "not_an_anime_page"],
    ["https://www.animenewsnetwork.com/news/", "not_an_anime_page"],
    ["https://animecountdown.com/", "not_an_anime_page"],
    ["https://notify.moe/anime/%", "not_an_anime_page"],
    ["https://myanimelist.net/anime/%E0%A4%A", "not_an_anime_page"],
    ["https://myanimelist.net/anime/a%2Fb", "not_an_anime_page"],
    ["https://myanimelist.net/anime/abc", "invalid_id"],
    ["https://myanimelist.net/anime/season/2024/spring", "invalid_id"],
    ["https://myanimelist.net/anime/0", "invalid_id"],
    ["https://myanimelist.net/anime/-1", "invalid_id"],
    ["https://myanimelist.net/anime/1.5", "invalid_id"],
    ["https://myanimelist.net/anime.php?id=", "invalid_id"],
    ["https://anilist.co/anime/100%25", "invalid_id"],
    ["https://kitsu.app/anime/cowboy-bebop", "invalid_id"],
    ["https://anidb.net/a23x", "invalid_id"],
    ["https://anisearch.com/anime/cowboy-bebop", "invalid_id"],
    ["https://notify.moe/anime/a.b", "invalid_id"],
    ["https://animecountdown.com/about", "invalid_id"],
    ["https://www.animenewsnetwork.com/encyclopedia/anime.php?id=x13", "invalid_id"],
  ])("refuses %j as %s", (raw, refusal) => {
    const resolved = resolveSourceUrl(raw);
    expect(resolved.ok ? resolved.ref : resolved.refusal).toBe(refusal);
  });

  it("names the supported sites when refusing an unknown one", () => {
    const resolved = resolveSourceUrl("https://imdb.com/title/tt0213338/");
    expect(resolved.ok).toBe(false);
    if (resolved.ok) return;
    expect(resolved.message).toMatch(/^imdb\.com is not a supported site/);
    for (const host of KNOWN_HOSTS) expect(resolved.message).toContain(host);
  });

  it("says what a valid id of the site looks like", () => {
    expect(resolveSourceUrl("https://kitsu.app/anime/cowboy-bebop")).toMatchObject({ message: "not a valid kitsu id: kitsu ids are positive whole numbers" });
    expect(resolveSiteId("animeplanet", "cowboy bebop")).toMatchObject({ refusal: "invalid_id", message: expect.stringContaining("slugs") });
  });
});

describe("resolveSiteId", () => {
  it.each([
    ["myanimelist", "52991", "https://myanimelist.net/anime/52991"],
    ["myanimelist", "0052991", "https://myanimelist.net/anime/52991"],
    ["kitsu", "1", "https://kitsu.app/anime/1"],
    ["animeplanet", "Cowboy-Bebop", "https://anime-planet.com/anime/cowboy-bebop"],
    ["notify", "Sk5rZKiiR", "https://notify.moe/anime/Sk5rZKiiR"],
    ["animenewsnetwork", "13", "https://www.animenewsnetwork.com/encyclopedia/anime.php?id=13"],
  ])("%s %s → %s", (site, id, url) => {
    const resolved = resolveSiteId(site, id);
    expect(resolved.ok && resolved.ref.url).toBe(url);
  });

  it.each<[string, string, SourceRefusal]>([
    ["imdb", "1", "unsupported_site"],
    ["MyAnimeList", "1", "unsupported_site"],
    ["myanimelist", "abc", "invalid_id"],
    ["myanimelist", "' OR 1=1--", "invalid_id"],
    ["myanimelist", "1/2", "invalid_id"],
    ["myanimelist", "https://myanimelist.net/anime/1", "invalid_id"],
    ["anilist", "", "invalid_id"],
    ["anilist", "0", "invalid_id"],
    ["anilist", "1e3", "invalid_id"],
    ["kitsu", "cowboy-bebop", "invalid_id"],
    ["animeplanet", "cowboy bebop", "invalid_id"],
    ["animeplanet", "cowboy bebop", "invalid_id"],
    ["notify", "a/b", "invalid_id"],
    ["animenewsnetwork", "13&page=2", "invalid_id"],
  ])("refuses %s %j as %s", (site, id, refusal) => {
    const resolved = resolveSiteId(site, id);
    expect(resolved.ok ? resolved.ref : resolved.refusal).toBe(refusal);
  });
});
