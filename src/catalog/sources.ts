/**
 * Source URLs ↔ (site, site id). Every metadata site of the anime-offline-database has a
 * short site name used by the API (`external_ids.myanimelist`, `lookup?site=`). URLs are
 * canonicalised (https, known host, no trailing slash) so the same page always maps to the
 * same row, whichever spelling a release or a client uses.
 */
interface SiteRule {
  site: string;
  hosts: string[];
  /** Extracts the site id from a URL of this site, or null when the path is not an anime page. */
  id: (url: URL) => string | null;
  canonical: (id: string) => string;
}

/** Decodes a path segment; a malformed escape (`%E0%A4%A`) means "not an anime page". */
function decodeSegment(segment: string): string | null {
  try {
    const id = decodeURIComponent(segment);
    return id && !id.includes("/") ? id : null;
  } catch {
    return null;
  }
}

const pathId = (prefix: string) => (url: URL) => {
  const m = new RegExp(`^${prefix}([^/?#]+)/?$`).exec(url.pathname);
  return m ? decodeSegment(m[1]) : null;
};

/** Ids are stored decoded and re-encoded in URLs, so `what%3F` and `what?` never split. */
const enc = encodeURIComponent;

const SITE_RULES: SiteRule[] = [
  { site: "myanimelist", hosts: ["myanimelist.net"], id: pathId("/anime/"), canonical: (id) => `https://myanimelist.net/anime/${enc(id)}` },
  { site: "anilist", hosts: ["anilist.co"], id: pathId("/anime/"), canonical: (id) => `https://anilist.co/anime/${enc(id)}` },
  { site: "kitsu", hosts: ["kitsu.app", "kitsu.io"], id: pathId("/anime/"), canonical: (id) => `https://kitsu.app/anime/${enc(id)}` },
  { site: "anidb", hosts: ["anidb.net"], id: pathId("/anime/"), canonical: (id) => `https://anidb.net/anime/${enc(id)}` },
  { site: "animeplanet", hosts: ["anime-planet.com"], id: pathId("/anime/"), canonical: (id) => `https://anime-planet.com/anime/${enc(id)}` },
  { site: "anisearch", hosts: ["anisearch.com"], id: pathId("/anime/"), canonical: (id) => `https://anisearch.com/anime/${enc(id)}` },
  { site: "livechart", hosts: ["livechart.me"], id: pathId("/anime/"), canonical: (id) => `https://livechart.me/anime/${enc(id)}` },
  { site: "notify", hosts: ["notify.moe"], id: pathId("/anime/"), canonical: (id) => `https://notify.moe/anime/${enc(id)}` },
  { site: "simkl", hosts: ["simkl.com"], id: pathId("/anime/"), canonical: (id) => `https://simkl.com/anime/${enc(id)}` },
  { site: "animecountdown", hosts: ["animecountdown.com"], id: pathId("/"), canonical: (id) => `https://animecountdown.com/${enc(id)}` },
  {
    site: "animenewsnetwork",
    hosts: ["animenewsnetwork.com"],
    id: (url) => (url.pathname === "/encyclopedia/anime.php" ? url.searchParams.get("id") : null),
    canonical: (id) => `https://www.animenewsnetwork.com/encyclopedia/anime.php?id=${enc(id)}`,
  },
];

/** Site names the API knows, in a stable order (used by the OpenAPI enum of `lookup?site=`). */
export const KNOWN_SITES = SITE_RULES.map((r) => r.site);

export interface SourceRef {
  site: string;
  siteId: string;
  url: string;
}

function ruleForHost(host: string): SiteRule | undefined {
  const h = host.toLowerCase().replace(/^www\./, "");
  return SITE_RULES.find((r) => r.hosts.includes(h));
}

/**
 * Parses a source URL. Known sites give their short name and canonical URL; a URL of an
 * unknown host is still accepted (new sites appear in releases) with the host as site.
 * Returns null for something that is not an absolute http(s) URL or not an anime page.
 */
export function parseSourceUrl(raw: string): SourceRef | null {
  let url: URL;
  try {
    url = new URL(raw.trim());
  } catch {
    return null;
  }
  if (url.protocol !== "https:" && url.protocol !== "http:") return null;
  const rule = ruleForHost(url.hostname);
  if (!rule) {
    const host = url.hostname.toLowerCase().replace(/^www\./, "");
    const path = url.pathname.replace(/\/+$/, "");
    if (!path) return null;
    return { site: host, siteId: path.slice(1) + url.search, url: `https://${host}${path}${url.search}` };
  }
  const id = rule.id(url);
  if (!id) return null;
  return { site: rule.site, siteId: id, url: rule.canonical(id) };
}

/** The canonical URL for a known site and id, or null for an unknown site. */
export function sourceUrlFor(site: string, siteId: string): string | null {
  const rule = SITE_RULES.find((r) => r.site === site);
  return rule ? rule.canonical(siteId) : null;
}
