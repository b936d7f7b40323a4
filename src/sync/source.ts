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

const PRIVATE_HOST = /^(localhost|.*\.localhost|127\.\d+\.\d+\.\d+|10\.\d+\.\d+\.\d+|192\.168\.\d+\.\d+|172\.(1[6-9]|2\d|3[01])\.\d+\.\d+|169\.254\.\d+\.\d+|0\.0\.0\.0|\[::1?\]|\[f[cd][0-9a-f]*:.*\]|\[fe80:.*\])$/i;

/** Checks a source string without touching it: the admin route's validation. Null when fine. */
export function sourceProblem(source: string, allowPrivate: boolean): string | null {
  if (source.startsWith("r2:")) return source.length > 3 && formatOf(source) ? null : "an r2: source names an object ending in .json, .jsonl, .json.gz or .jsonl.gz";
  let url: URL;
  try {
    url = new URL(source);
  } catch {
    return "the source is neither a URL nor r2:<key>";
  }
  if (url.protocol !== "https:" && url.protocol !== "http:") return "only http(s) URLs can be fetched";
  if (!allowPrivate && PRIVATE_HOST.test(url.hostname)) return "private, loopback and link-local addresses are refused (SYNC_ALLOW_PRIVATE_SOURCES=on allows them locally)";
  if (url.username || url.password) return "URLs with credentials are refused";
  return null;
}

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
  let res: Response;
  try {
    res = await deps.fetch(source, { headers: ifNoneMatch ? { "If-None-Match": ifNoneMatch } : {}, signal: AbortSignal.timeout(deps.timeoutMs), redirect: "follow" });
  } catch (err) {
    throw new SourceUnavailable(`the source could not be fetched (${err instanceof Error ? err.message : String(err)})`);
  }
  const etag = res.headers.get("ETag");
  if (res.status === 304 && etag) return { kind: "not_modified", etag };
  if (!res.ok || !res.body) throw new SourceUnavailable(`the source answered ${res.status}`);
  const how = formatOf(new URL(res.url || source).pathname) ?? formatOf(new URL(source).pathname) ?? { format: "json" as const, gzip: false };
  return { kind: "opened", body: res.body, etag, ...how };
}
