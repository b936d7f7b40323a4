/**
 * Source URLs ↔ (site, site id). Every metadata site of the anime-offline-database has a
 * short site name used by the API (`external_ids.myanimelist`, `lookup?site=`). URLs are
 * canonicalised (https, known host, no trailing slash) so the same page always maps to the
 * same row, whichever spelling a release or a client uses.
 *
 * Two readers share the site table: `parseSourceUrl` reads the release's own URL form and
 * accepts whatever id it holds (the importer must not drop data it does not understand);
 * `resolveSourceUrl` / `resolveSiteId` read what a person pastes or types and refuse what
 * cannot name an anime of a supported site.
 */

/** How a site's ids look. Input is normalised before the test, so `007` finds `7`. */
interface IdForm {
  pattern: RegExp;
  normalise: (id: string) => string;
  /** Completes "<site> ids are …". */
  describe: string;
}

const NUMERIC: IdForm = { pattern: /^[1-9]\d*$/, normalise: (id) => id.replace(/^0+(?=\d)/, ""), describe: "positive whole numbers" };
/**
 * anime-planet's slugs are lower case, mostly letters, digits and hyphens; releases also hold
 * others (`what%3F` is stored decoded as `what?`), so any id the importer can store is accepted.
 */
const SLUG: IdForm = { pattern: /^[^\s/]+$/u, normalise: (id) => id.toLowerCase(), describe: "slugs such as cowboy-bebop" };
/** notify.moe's ids are case-sensitive short codes such as `-cQb5Fmmg`. */
const CODE: IdForm = { pattern: /^[A-Za-z0-9_-]+$/, normalise: (id) => id, describe: "short codes of letters, digits, - and _" };

interface SiteRule {
  site: string;
  /** Hosts without `www.`; the first is the one the catalog's URLs use. */
  hosts: string[];
  idForm: IdForm;
  /** The id in a URL of the release's own form, or null when the path is not an anime page. */
  id: (url: URL) => string | null;
  /** The raw id in any URL of an anime page a browser shows (title slugs, sub-pages, legacy forms), or null. */
  pageId: (url: URL) => string | null;
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

/** The segment after `prefix`, whatever follows it: `/anime/1/Cowboy_Bebop/reviews` → `1`. */
const leadingSegment = (prefix: string) => {
  const page = new RegExp(`^${prefix}([^/]+)(?:/.*)?$`, "i");
  return (url: URL) => {
    const m = page.exec(url.pathname);
    return m ? decodeSegment(m[1]) : null;
  };
};

const queryId = (path: string, name: string, also: Record<string, string> = {}) => (url: URL) =>
  url.pathname.toLowerCase() === path && Object.entries(also).every(([k, v]) => url.searchParams.get(k) === v) ? url.searchParams.get(name) : null;

const firstOf = (...readers: ((url: URL) => string | null)[]) => (url: URL) => readers.reduce<string | null>((id, read) => id ?? read(url), null);

/** Ids are stored decoded and re-encoded in URLs, so `what%3F` and `what?` never split. */
const enc = encodeURIComponent;

/** A site whose anime pages are `https://<host>/anime/<id>` (plus a title slug or sub-page in browsers). */
const animePath = (site: string, hosts: string[], idForm: IdForm, pageId = leadingSegment("/anime/")): SiteRule => ({
  site, hosts, idForm, id: pathId("/anime/"), pageId, canonical: (id) => `https://${hosts[0]}/anime/${enc(id)}`,
});

const SITE_RULES: SiteRule[] = [
  animePath("myanimelist", ["myanimelist.net"], NUMERIC, firstOf(leadingSegment("/anime/"), queryId("/anime.php", "id"))),
  animePath("anilist", ["anilist.co"], NUMERIC),
  animePath("kitsu", ["kitsu.app", "kitsu.io"], NUMERIC),
  animePath("anidb", ["anidb.net"], NUMERIC, firstOf(leadingSegment("/anime/"), leadingSegment("/a(?=\\d)"), queryId("/perl-bin/animedb.pl", "aid", { show: "anime" }))),
  animePath("animeplanet", ["anime-planet.com"], SLUG),
  // anisearch's pages read /anime/1572,cowboy-bebop; its language editions share the ids.
  animePath("anisearch", ["anisearch.com", "anisearch.de", "anisearch.fr", "anisearch.it", "anisearch.es", "anisearch.jp"], NUMERIC, (url) => leadingSegment("/anime/")(url)?.split(",")[0] ?? null),
  animePath("livechart", ["livechart.me"], NUMERIC),
  animePath("notify", ["notify.moe"], CODE),
  animePath("simkl", ["simkl.com"], NUMERIC),
  { site: "animecountdown", hosts: ["animecountdown.com"], idForm: NUMERIC, id: pathId("/"), pageId: leadingSegment("/"), canonical: (id) => `https://animecountdown.com/${enc(id)}` },
  {
    site: "animenewsnetwork",
    hosts: ["animenewsnetwork.com"],
    idForm: NUMERIC,
    id: queryId("/encyclopedia/anime.php", "id"),
    pageId: queryId("/encyclopedia/anime.php", "id"),
    // Releases spell it without www; the catalog has stored the www form from the start.
    canonical: (id) => `https://www.animenewsnetwork.com/encyclopedia/anime.php?id=${enc(id)}`,
  },
];

/** Site names the API knows, in a stable order (used by the OpenAPI enum of `lookup?site=`). */
export const KNOWN_SITES = SITE_RULES.map((r) => r.site);

/** Every accepted host, for error messages and docs: `kitsu.app, kitsu.io, …`. */
export const KNOWN_HOSTS = SITE_RULES.flatMap((r) => r.hosts);

export interface SourceRef {
  site: string;
  siteId: string;
  url: string;
}

const bareHost = (host: string) => host.toLowerCase().replace(/\.$/, "").replace(/^www\./, "");

function ruleForHost(host: string): SiteRule | undefined {
  const h = bareHost(host);
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
    const host = bareHost(url.hostname);
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

/** Why an input names no anime: always the client's mistake (a 400), never a miss. */
export type SourceRefusal = "not_a_url" | "unsupported_site" | "not_an_anime_page" | "invalid_id";

/** A resolved reference, or a refusal with a message fit for the client. */
export type ResolvedSource = { ok: true; ref: SourceRef } | { ok: false; refusal: SourceRefusal; message: string };

const refuse = (refusal: SourceRefusal, message: string): ResolvedSource => ({ ok: false, refusal, message });

function withIdOf(rule: SiteRule, raw: string): ResolvedSource {
  const id = rule.idForm.normalise(raw.trim());
  if (!rule.idForm.pattern.test(id)) return refuse("invalid_id", `not a valid ${rule.site} id: ${rule.site} ids are ${rule.idForm.describe}`);
  return { ok: true, ref: { site: rule.site, siteId: id, url: rule.canonical(id) } };
}

/** `anilist.co/anime/1` as typed, without a scheme: a host with a dot, then a path, query or end. */
const SCHEMELESS = /^[a-z0-9-]+(\.[a-z0-9-]+)+\.?(:\d+)?([/?#]|$)/i;

/**
 * A site id typed by a person (`?site=anilist&id=1`), checked against the site's id form and
 * normalised to what the catalog stores.
 */
export function resolveSiteId(site: string, id: string): ResolvedSource {
  const rule = SITE_RULES.find((r) => r.site === site);
  return rule ? withIdOf(rule, id) : refuse("unsupported_site", `unsupported site; supported: ${KNOWN_SITES.join(", ")}`);
}

/**
 * A URL a person copied from a browser or from a release: any scheme case, http or https, no
 * scheme at all, `www.`, upper-case host, trailing slash, title slug, sub-page, query string
 * or fragment, and each site's legacy forms (`anime.php?id=`). Resolves it to the canonical
 * source URL the catalog stores, or refuses it (unknown site, not an anime page, invalid id).
 */
export function resolveSourceUrl(raw: string): ResolvedSource {
  const text = raw.trim();
  let url: URL;
  try {
    url = new URL(SCHEMELESS.test(text) ? `https://${text}` : text);
  } catch {
    return refuse("not_a_url", "not an http(s) URL");
  }
  if (url.protocol !== "https:" && url.protocol !== "http:") return refuse("not_a_url", "not an http(s) URL");
  const rule = ruleForHost(url.hostname);
  if (!rule) return refuse("unsupported_site", `${bareHost(url.hostname)} is not a supported site; supported: ${KNOWN_HOSTS.join(", ")}`);
  const id = rule.pageId(url);
  if (id === null) return refuse("not_an_anime_page", `not the URL of an anime page on ${rule.hosts[0]} (such as ${rule.canonical(rule.idForm === SLUG ? "cowboy-bebop" : "1")})`);
  return withIdOf(rule, id);
}
