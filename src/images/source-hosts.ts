/**
 * The hosts image ingestion downloads from (IMAGE_SOURCE_HOSTS): the CDNs the catalog's
 * pictures and thumbnails are on, as the sample release has them (anime-offline-database
 * 2026-02: MyAnimeList 73 %, anime-planet, Anime News Network, aniSearch, Kitsu, the
 * database's own placeholder on GitHub, AniList, Simkl, LiveChart, AniDB), plus the older or
 * sibling names of the same CDNs. A catalog entry naming any other host is not fetched: a
 * release, or a sync source, must not be able to point the Worker at an internal name.
 */
export const DEFAULT_IMAGE_SOURCE_HOSTS = [
  "cdn.myanimelist.net",
  "cdn.anime-planet.com",
  "cdn.animenewsnetwork.com",
  "cdn.anisearch.com",
  "cdn.anisearch.de",
  "media.kitsu.app",
  "media.kitsu.io",
  "raw.githubusercontent.com",
  "s4.anilist.co",
  "simkl.in",
  "u.livechart.me",
  "cdn.anidb.net",
] as const;

/** Whether a host (as `URL.hostname` gives it) may be fetched from. */
export type HostAllowList = (hostname: string) => boolean;

const ENTRY = /^(\*|(\*\.)?[a-z0-9-]+(\.[a-z0-9-]+)*|\[[0-9a-f:.]+\])$/;

/**
 * IMAGE_SOURCE_HOSTS → the allow-list. Comma- or space-separated entries: a host name or IP
 * literal (`127.0.0.1`, `[::1]`), `*.example.com` (its subdomains, not itself), `default` (the
 * list above), or `*` alone (any host: only the private-address check remains). Absent or
 * empty: the default list. Ports do not matter; matching ignores case and a trailing dot.
 * Throws on an entry of another form (a misconfiguration fails loudly).
 */
export function imageSourceHosts(value: string | undefined): HostAllowList {
  const entries = (value ?? "").toLowerCase().split(/[\s,]+/).filter(Boolean);
  const list = entries.length ? entries.flatMap((e) => (e === "default" ? [...DEFAULT_IMAGE_SOURCE_HOSTS] : [e])) : [...DEFAULT_IMAGE_SOURCE_HOSTS];
  const bad = list.find((e) => !ENTRY.test(e));
  if (bad !== undefined) throw new Error(`IMAGE_SOURCE_HOSTS: "${bad}" is not a host name, *.domain, [IPv6], default or *`);
  if (list.includes("*")) return () => true;
  const exact = new Set(list.filter((e) => !e.startsWith("*.")));
  const suffixes = list.filter((e) => e.startsWith("*.")).map((e) => e.slice(1));
  return (hostname) => {
    const host = hostname.toLowerCase().replace(/\.$/, "");
    return exact.has(host) || suffixes.some((s) => host.endsWith(s) && host.length > s.length);
  };
}
