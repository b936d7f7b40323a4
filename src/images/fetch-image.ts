import { isPrivateHost } from "../sync/source";
import type { HostAllowList } from "./source-hosts";

/** What we accept, by declared type: its file extension and its magic bytes. */
export const IMAGE_TYPES = {
  "image/jpeg": { ext: "jpg", magic: (b: Uint8Array) => b[0] === 0xff && b[1] === 0xd8 && b[2] === 0xff },
  "image/png": { ext: "png", magic: (b: Uint8Array) => [0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a].every((v, i) => b[i] === v) },
  "image/gif": { ext: "gif", magic: (b: Uint8Array) => ascii(b, 0, 6) === "GIF87a" || ascii(b, 0, 6) === "GIF89a" },
  "image/webp": { ext: "webp", magic: (b: Uint8Array) => ascii(b, 0, 4) === "RIFF" && ascii(b, 8, 12) === "WEBP" },
  "image/avif": { ext: "avif", magic: (b: Uint8Array) => ascii(b, 4, 8) === "ftyp" && ["avif", "avis"].includes(ascii(b, 8, 12)) },
} as const;
export type ImageType = keyof typeof IMAGE_TYPES;

function ascii(b: Uint8Array, from: number, to: number): string {
  return String.fromCharCode(...b.subarray(from, to));
}

/**
 * A download that did not give an image; `permanent`: retrying soon will not help (404, wrong
 * type, too big); `refused`: a URL (or a redirect's) our rules refuse, never fetched — every
 * other failure came from the network or the server, which a caller-supplied URL must not
 * learn about in detail (an open port would tell itself from a closed one).
 */
export class ImageFetchError extends Error {
  constructor(
    message: string,
    readonly permanent: boolean,
    readonly refused = false,
  ) {
    super(message);
  }
}

export interface FetchedImage {
  bytes: Uint8Array;
  contentType: ImageType;
}

export interface FetchImageOptions {
  fetch: typeof fetch;
  timeoutMs: number;
  maxBytes: number;
  allowPrivate: boolean;
  /** Hosts that may be fetched from (ingestion: IMAGE_SOURCE_HOSTS); absent: any public host. */
  allowHost?: HostAllowList;
}

/** Why `url` must not be fetched (checked for the URL and again for every redirect hop); null when it may. */
export function imageUrlProblem(url: string, o: Pick<FetchImageOptions, "allowPrivate" | "allowHost">): string | null {
  let parsed: URL;
  try {
    parsed = new URL(url);
  } catch {
    return "not a URL";
  }
  if (parsed.protocol !== "https:" && parsed.protocol !== "http:") return "not an http(s) URL";
  if (parsed.username || parsed.password) return "URLs with credentials are refused";
  if (!o.allowPrivate && isPrivateHost(parsed.hostname)) return "private, loopback and link-local addresses are refused (IMAGE_ALLOW_PRIVATE_SOURCES=on allows them locally)";
  if (o.allowHost && !o.allowHost(parsed.hostname)) return `${parsed.hostname} is not an image host of the allow-list (IMAGE_SOURCE_HOSTS)`;
  return null;
}

/**
 * Downloads one image with every check: an allowed URL (http(s), no private address unless
 * allowed, a host of the allow-list when there is one; redirects checked hop by hop, so a
 * listed host cannot bounce the fetch elsewhere), a time limit over the whole download, status 200,
 * an accepted content type whose magic bytes the body really has, a size limit enforced while
 * reading, and the whole body (a Content-Length not reached is a truncation).
 */
export async function fetchImage(url: string, o: FetchImageOptions): Promise<FetchedImage> {
  const signal = AbortSignal.timeout(o.timeoutMs);
  let target = url;
  let res: Response | undefined;
  for (let hop = 0; hop <= 5; hop++) {
    const refused = imageUrlProblem(target, o);
    if (refused) throw new ImageFetchError(hop === 0 ? `refused: ${refused}` : `refused: a redirect to ${target.slice(0, 200)}: ${refused}`, true, true);
    try {
      res = await o.fetch(target, { signal, redirect: "manual", headers: { Accept: Object.keys(IMAGE_TYPES).join(", ") } });
    } catch (err) {
      throw new ImageFetchError(`fetch failed: ${err instanceof Error ? err.message : String(err)}`, false);
    }
    const location = res.status >= 300 && res.status < 400 ? res.headers.get("Location") : null;
    if (!location) break;
    await res.body?.cancel();
    try {
      target = new URL(location, target).toString();
    } catch {
      throw new ImageFetchError(`a redirect to an unreadable Location (${location.slice(0, 100)})`, true);
    }
    res = undefined;
  }
  if (!res) throw new ImageFetchError("too many redirects", true);
  if (res.status !== 200) {
    await res.body?.cancel();
    throw new ImageFetchError(`status ${res.status}`, res.status >= 400 && res.status < 500 && res.status !== 408 && res.status !== 429);
  }
  const type = (res.headers.get("Content-Type") ?? "").split(";")[0].trim().toLowerCase();
  if (!(type in IMAGE_TYPES)) {
    await res.body?.cancel();
    throw new ImageFetchError(`content type ${type || "(none)"} is not an accepted image type`, true);
  }
  const declared = Number(res.headers.get("Content-Length") ?? NaN);
  if (declared > o.maxBytes) {
    await res.body?.cancel();
    throw new ImageFetchError(`${declared} bytes exceed the ${o.maxBytes}-byte limit`, true);
  }
  const bytes = await readCapped(res.body!, o.maxBytes);
  // A Content-Encoding the runtime undid leaves the encoded length in Content-Length.
  if (Number.isFinite(declared) && !res.headers.get("Content-Encoding") && bytes.byteLength !== declared) throw new ImageFetchError(`truncated: ${bytes.byteLength} of ${declared} bytes`, false);
  if (!IMAGE_TYPES[type as ImageType].magic(bytes)) throw new ImageFetchError(`the bytes are not ${type} (magic bytes differ)`, true);
  return { bytes, contentType: type as ImageType };
}

async function readCapped(body: ReadableStream<Uint8Array>, max: number): Promise<Uint8Array> {
  const reader = body.getReader();
  const parts: Uint8Array[] = [];
  let size = 0;
  try {
    for (;;) {
      const { done, value } = await reader.read();
      if (done) break;
      size += value.byteLength;
      if (size > max) {
        await reader.cancel();
        throw new ImageFetchError(`more than the ${max}-byte limit`, true);
      }
      parts.push(value);
    }
  } catch (err) {
    if (err instanceof ImageFetchError) throw err;
    throw new ImageFetchError(`truncated: the body broke off after ${size} bytes (${err instanceof Error ? err.message : String(err)})`, false);
  }
  const out = new Uint8Array(size);
  let at = 0;
  for (const p of parts) {
    out.set(p, at);
    at += p.byteLength;
  }
  return out;
}
