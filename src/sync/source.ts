import { formatOf, type ReleaseFormat } from "./release-stream";

/**
 * Where a sync reads its release. Two kinds of source:
 * - `https://…` (or `http://…`): fetched with a time limit and `If-None-Match`. Loopback and
 *   private addresses are refused unless `allowPrivate` (the local profile: `npm run sync`
 *   serves a file on 127.0.0.1).
 * - `r2:<key>`: an object in the catalog bucket (tests, and files uploaded by `npm run sync`).
 * Both give an ETag, which the change detection compares with the last successful run's.
 */
export type OpenedSource =
  | { kind: "opened"; body: ReadableStream<Uint8Array>; etag: string | null; format: ReleaseFormat; gzip: boolean }
  | { kind: "not_modified"; etag: string };

/** The source cannot be read: unreachable, refused, not found, not a release file. */
export class SourceUnavailable extends Error {}

export interface SourceDeps {
  bucket: R2Bucket;
  fetch: typeof fetch;
  allowPrivate: boolean;
  timeoutMs: number;
}

/** IPv4 ranges a fetch must never reach: this host, private, shared, link-local, benchmark, multicast, reserved. */
const BLOCKED_V4: [number, number][] = [
  [0x00000000, 8], [0x0a000000, 8], [0x64400000, 10], [0x7f000000, 8], [0xa9fe0000, 16], [0xac100000, 12],
  [0xc0000000, 24], [0xc0a80000, 16], [0xc6120000, 15], [0xe0000000, 4], [0xf0000000, 4],
];
const v4 = (host: string): number | null => {
  const m = /^(\d{1,3})\.(\d{1,3})\.(\d{1,3})\.(\d{1,3})$/.exec(host);
  return m && m.slice(1).every((o) => Number(o) < 256) ? m.slice(1).reduce((a, o) => a * 256 + Number(o), 0) : null;
};
const blockedV4 = (ip: number) => BLOCKED_V4.some(([net, bits]) => Math.floor(ip / 2 ** (32 - bits)) === Math.floor(net / 2 ** (32 - bits)));

/** The 8 groups of an IPv6 address (the URL parser has already normalised it), or null. */
function v6Groups(host: string): number[] | null {
  if (!host.includes(":")) return null;
  const [head, tail] = host.split("::");
  const parse = (part: string | undefined) => (part ? part.split(":").map((g) => parseInt(g, 16)) : []);
  const h = parse(head);
  const t = tail === undefined ? [] : parse(tail);
  const groups = tail === undefined ? h : [...h, ...Array(8 - h.length - t.length).fill(0), ...t];
  return groups.length === 8 && groups.every((g) => Number.isInteger(g) && g >= 0 && g <= 0xffff) ? groups : null;
}

/** Whether `hostname` (as URL parses it) names this machine, a private network or a cloud metadata service. */
export function isPrivateHost(hostname: string): boolean {
  const host = hostname.toLowerCase().replace(/\.$/, "").replace(/^\[|\]$/g, "");
  if (host === "localhost" || host.endsWith(".localhost") || host.endsWith(".internal") || host.endsWith(".local")) return true;
  const ip4 = v4(host);
  if (ip4 !== null) return blockedV4(ip4);
  const g = v6Groups(host);
  if (!g) return false;
  const embedded = g[6] * 65536 + g[7];
  if (g.slice(0, 5).every((x) => x === 0) && (g[5] === 0 || g[5] === 0xffff)) return g[5] === 0 && g[6] === 0 ? true : blockedV4(embedded); // ::, ::1, ::a.b.c.d, ::ffff:a.b.c.d
  if (g[0] === 0x64 && g[1] === 0xff9b) return blockedV4(embedded); // NAT64
  if (g.slice(0, 4).every((x) => x === 0) && g[4] === 0xffff && g[5] === 0) return blockedV4(embedded); // SIIT ::ffff:0:a.b.c.d
  if (g[0] === 0x2002) return blockedV4(g[1] * 65536 + g[2]); // 6to4
  if (g[0] === 0x2001 && g[1] === 0) return true; // Teredo
  return (g[0] & 0xfe00) === 0xfc00 || (g[0] & 0xffc0) === 0xfe80 || (g[0] & 0xffc0) === 0xfec0 || (g[0] & 0xff00) === 0xff00;
}

/** Checks a source string without touching it: the admin route's validation. Null when fine. */
export function sourceProblem(source: string, allowPrivate: boolean, httpsOnly = true): string | null {
  if (source.startsWith("r2:")) return source.length > 3 && formatOf(source) ? null : "an r2: source names an object ending in .json, .jsonl, .json.gz or .jsonl.gz";
  let url: URL;
  try {
    url = new URL(source);
  } catch {
    return "the source is neither a URL nor r2:<key>";
  }
  if (url.protocol !== "https:" && url.protocol !== "http:") return "only http(s) URLs can be fetched";
  if (!allowPrivate && httpsOnly && url.protocol !== "https:") return "only https URLs are fetched (http only with SYNC_ALLOW_PRIVATE_SOURCES=on, locally)";
  if (!allowPrivate && isPrivateHost(url.hostname)) return "private, loopback and link-local addresses are refused (SYNC_ALLOW_PRIVATE_SOURCES=on allows them locally)";
  if (url.username || url.password) return "URLs with credentials are refused";
  return null;
}

const MAX_REDIRECTS = 5;

export async function openSource(source: string, ifNoneMatch: string | null, deps: SourceDeps): Promise<OpenedSource> {
  const problem = sourceProblem(source, deps.allowPrivate);
  if (problem) throw new SourceUnavailable(problem);
  if (source.startsWith("r2:")) {
    const key = source.slice(3);
    const head = await deps.bucket.head(key);
    if (!head) throw new SourceUnavailable(`no object ${key} in the catalog bucket`);
    if (ifNoneMatch && head.httpEtag === ifNoneMatch) return { kind: "not_modified", etag: head.httpEtag };
    const obj = await deps.bucket.get(key);
    if (!obj) throw new SourceUnavailable(`no object ${key} in the catalog bucket`);
    return { kind: "opened", body: obj.body, etag: obj.httpEtag, ...formatOf(key)! };
  }
  // Redirects are followed by hand: each hop is checked like the source itself (a public URL
  // must not bounce the fetch to a private address).
  let url = source;
  let res: Response | null = null;
  const signal = AbortSignal.timeout(deps.timeoutMs);
  for (let hop = 0; hop <= MAX_REDIRECTS; hop++) {
    try {
      res = await deps.fetch(url, { headers: ifNoneMatch ? { "If-None-Match": ifNoneMatch } : {}, signal, redirect: "manual" });
    } catch (err) {
      throw new SourceUnavailable(`the source could not be fetched (${err instanceof Error ? err.message : String(err)})`);
    }
    const location = res.status >= 300 && res.status < 400 && res.status !== 304 ? res.headers.get("Location") : null;
    if (!location) break;
    await res.body?.cancel();
    url = new URL(location, url).toString();
    const refused = /^https?:/.test(url) ? sourceProblem(url, deps.allowPrivate) : "a redirect must lead to an http(s) URL";
    if (refused) throw new SourceUnavailable(`the source redirected to ${url}: ${refused}`);
    res = null;
  }
  if (!res) throw new SourceUnavailable(`the source redirected more than ${MAX_REDIRECTS} times`);
  if (res.status === 304) {
    if (!ifNoneMatch) throw new SourceUnavailable("the source answered 304 Not Modified to a request that named no ETag");
    return { kind: "not_modified", etag: res.headers.get("ETag") ?? ifNoneMatch };
  }
  if (!res.ok || !res.body) throw new SourceUnavailable(`the source answered ${res.status}`);
  const etag = res.headers.get("ETag");
  // A .gz file served with Content-Encoding: gzip arrives decompressed already.
  const named = formatOf(new URL(url).pathname) ?? formatOf(new URL(source).pathname) ?? { format: "json" as const, gzip: false };
  const how = { ...named, gzip: named.gzip && res.headers.get("Content-Encoding") !== "gzip" };
  return { kind: "opened", body: res.body, etag, ...how };
}
