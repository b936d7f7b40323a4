import { describe, expect, it } from "vitest";
import { DEFAULT_IMAGE_SOURCE_HOSTS, imageSourceHosts } from "./source-hosts";
import { imageUrlProblem } from "./fetch-image";

describe("IMAGE_SOURCE_HOSTS", () => {
  it("absent or empty: the catalog's CDNs, nothing else", () => {
    for (const allow of [imageSourceHosts(undefined), imageSourceHosts(""), imageSourceHosts(" , ")]) {
      for (const host of DEFAULT_IMAGE_SOURCE_HOSTS) expect(allow(host)).toBe(true);
      for (const host of ["localhost-alias", "127.0.0.1", "evil.example", "cdn.myanimelist.net.evil.example", "xcdn.myanimelist.net", "myanimelist.net"]) expect(allow(host)).toBe(false);
    }
  });

  it("`default` plus more; `*.domain` for subdomains only; any case, a trailing dot", () => {
    const allow = imageSourceHosts("default, 127.0.0.1 *.Anisearch.de [::1]");
    expect(["cdn.myanimelist.net", "127.0.0.1", "img.anisearch.de", "a.b.anisearch.de", "CDN.MyAnimeList.net.", "[::1]"].map(allow)).toEqual([true, true, true, true, true, true]);
    expect(["anisearch.de", "evilanisearch.de", "127.0.0.2"].map(allow)).toEqual([false, false, false]);
    expect(imageSourceHosts("s4.anilist.co")("cdn.myanimelist.net")).toBe(false); // without `default`, only what is listed
  });

  it("`*` alone allows any host; a malformed entry fails loudly", () => {
    expect(imageSourceHosts("*")("anything.example")).toBe(true);
    for (const bad of ["https://cdn.example.org", "cdn.example.org/path", "*cdn.example.org", "a..b"]) expect(() => imageSourceHosts(bad)).toThrow(/IMAGE_SOURCE_HOSTS/);
  });
});

describe("imageUrlProblem: checked for the URL and every redirect hop", () => {
  const catalog = { allowPrivate: false, allowHost: imageSourceHosts(undefined) };
  const search = { allowPrivate: false };

  it("ingestion: a listed host passes; any other name is refused whatever it resolves to", () => {
    expect(imageUrlProblem("https://cdn.myanimelist.net/images/anime/1/1.jpg", catalog)).toBeNull();
    expect(imageUrlProblem("http://localhost-alias:8080/x.jpg", catalog)).toMatch(/localhost-alias is not an image host of the allow-list \(IMAGE_SOURCE_HOSTS\)/);
    expect(imageUrlProblem("http://localhost-alias:8080/x.jpg", { ...catalog, allowPrivate: true })).toMatch(/allow-list/);
  });

  it("search (no allow-list): public hosts pass; private addresses are refused naming IMAGE_ALLOW_PRIVATE_SOURCES", () => {
    expect(imageUrlProblem("https://example.org/x.png", search)).toBeNull();
    for (const url of ["http://127.0.0.1:9/x.jpg", "http://[::1]/x.jpg", "http://localhost/x.jpg", "http://169.254.169.254/latest", "http://10.0.0.1/x.jpg"]) {
      expect(imageUrlProblem(url, search)).toBe("private, loopback and link-local addresses are refused (IMAGE_ALLOW_PRIVATE_SOURCES=on allows them locally)");
      expect(imageUrlProblem(url, { allowPrivate: true })).toBeNull();
    }
  });

  it("not http(s), credentials, not a URL", () => {
    expect(imageUrlProblem("file:///etc/passwd", search)).toBe("not an http(s) URL");
    expect(imageUrlProblem("https://user:pw@example.org/x.png", search)).toBe("URLs with credentials are refused");
    expect(imageUrlProblem("::", search)).toBe("not a URL");
  });
});
