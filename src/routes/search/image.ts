import { createRoute, z, type RouteHandler } from "@hono/zod-openapi";
import type { AppEnv } from "../../context";
import type { Config } from "../../config";
import { ApiError } from "../../errors/api-error";
import { problemResponses } from "../../errors/problem-schema";
import { AnimeSchema } from "../../catalog/anime-schema";
import { fetchImage, IMAGE_TYPES, ImageFetchError } from "../../images/fetch-image";
import { UnsupportedImage } from "../../images/embed/decode";
import { ImageTooLarge, INTERLACED_MAX_PIXELS, VISION_MAX_PIXELS, VISION_MAX_SIDE } from "../../images/embed/downscale";
import type { ImageSearchBackend, NearestResult } from "../../images/image-search";
import type { Catalog } from "../../catalog/catalog";
import type { Anime } from "../../catalog/anime-schema";
import { API_KEY_OR_ANONYMOUS } from "../../openapi/security";
import { meteredResponses } from "../../openapi/metered";

const Query = z.object({ limit: z.coerce.number().int().min(1).max(50).default(10) }).strict();
/** The JSON form of the body: `{"url": …}` (the MCP tool search_anime_by_image takes it as its schema). */
export const UrlBody = z.object({ url: z.string().min(1).max(2000).openapi({ example: "https://cdn.myanimelist.net/images/anime/4/19644.jpg" }) }).strict();
const Result = z
  .object({
    data: z.array(z.object({ score: z.number().openapi({ description: "Cosine similarity of the image vectors, −1…1." }), anime: AnimeSchema })),
    model: z.string(),
  })
  .openapi("ImageSearchResult");

export const imageSearchRoute = createRoute({
  method: "post",
  path: "/search/image",
  tags: ["Search"],
  operationId: "searchByImage",
  security: API_KEY_OR_ANONYMOUS,
  summary: "Find anime by a screenshot or poster",
  description:
    `Send the image as multipart/form-data (field \`file\`, JPEG or PNG, at most IMAGE_MAX_BYTES = 5 MB) or JSON \`{"url": …}\` (fetched with a time and size limit; private, loopback and link-local addresses are refused; any failure to fetch it answers one and the same 400). Pictures of at most ${VISION_MAX_PIXELS / 1e6} megapixels are read, by either backend (interlaced PNGs: ${INTERLACED_MAX_PIXELS / 1e6}); larger ones, and PNGs whose image data inflates past the size their header declares, answer 413 \`payload_too_large\` before they are decoded. The local embedding (model \`kensho-local-phash-v1-192\`) finds the same picture again after resizing or re-encoding; it does not find merely similar pictures. The vision backend (Workers AI, named by \`model\`) sends the model a JPEG of at most ${VISION_MAX_SIDE} px on its long side. 503 when the image-search backend fails or does not answer in time.`,
  // The body (multipart `file`, or JSON `{url}`) is read by the handler, not the validator:
  // a form must not be parsed twice, and the two shapes are checked with their own errors.
  request: { query: Query },
  responses: { 200: { description: "The nearest anime by their posters.", content: { "application/json": { schema: Result } } }, ...problemResponses(400, 413, 415, 503), ...meteredResponses() },
});

/** A request's body as fields: a multipart form (its `file` as bytes) or a JSON object. */
export async function bodyFields(req: Request): Promise<{ fields: Record<string, unknown>; file: Uint8Array | null; fileSize: number }> {
  const type = (req.headers.get("Content-Type") ?? "").toLowerCase();
  if (type.startsWith("multipart/form-data")) {
    const form = await req.formData().catch(() => {
      throw new ApiError("validation_failed", "The multipart body could not be read.", { errors: [{ param: "file", message: "unreadable multipart body" }] });
    });
    const fields: Record<string, unknown> = {};
    let file: File | null = null;
    for (const [k, v] of form) if (typeof v === "string") fields[k] = v;
    else if (k === "file") file = v;
    return { fields, file: file ? new Uint8Array(await file.arrayBuffer()) : null, fileSize: file?.size ?? 0 };
  }
  if (!/^application\/(?:[\w.+-]+\+)?json/.test(type)) throw new ApiError("unsupported_media_type", "Send multipart/form-data with a `file`, or JSON.");
  const json = await req.json().catch(() => null);
  if (typeof json !== "object" || json === null || Array.isArray(json)) throw new ApiError("validation_failed", "The body must be a JSON object.", { errors: [{ param: "body", message: "a JSON object" }] });
  return { fields: json as Record<string, unknown>, file: null, fileSize: 0 };
}

/** The image of a request: an uploaded `file`, or the one at `url` (fetched SSRF-safely). */
export async function imageFrom(body: { fields: Record<string, unknown>; file: Uint8Array | null; fileSize: number }, config: Config): Promise<{ bytes: Uint8Array; type: string }> {
  if (body.file) {
    if (body.fileSize > config.IMAGE_MAX_BYTES) throw new ApiError("payload_too_large", `The image exceeds ${config.IMAGE_MAX_BYTES} bytes.`);
    const sniffed = (Object.keys(IMAGE_TYPES) as (keyof typeof IMAGE_TYPES)[]).find((t) => IMAGE_TYPES[t].magic(body.file!));
    if (!sniffed) throw new ApiError("unsupported_media_type", "The file is not a JPEG, PNG, GIF, WebP or AVIF image.");
    return { bytes: body.file, type: sniffed };
  }
  const url = UrlBody.shape.url.safeParse(body.fields.url);
  if (!url.success) throw new ApiError("validation_failed", "Send an image: a multipart `file`, or `url`.", { errors: [{ param: "url", message: "required (or a file): an http(s) URL" }] });
  try {
    const image = await fetchImage(url.data, { fetch: (i, init) => fetch(i, init), timeoutMs: config.IMAGE_FETCH_TIMEOUT_MS, maxBytes: config.IMAGE_MAX_BYTES, allowPrivate: config.IMAGE_ALLOW_PRIVATE_SOURCES === "on" });
    return { bytes: image.bytes, type: image.contentType };
  } catch (err) {
    if (!(err instanceof ImageFetchError)) throw err;
    // A URL our rules refuse says why; past that, one answer for every failure: the caller
    // must not learn whether a host or port answered, or how (an open port from a closed one).
    const message = err.refused ? err.message : "could not be fetched as a JPEG, PNG, GIF, WebP or AVIF image within the time and size limits";
    throw new ApiError("validation_failed", `The image at url ${err.refused ? `was ${message}` : message}.`, { errors: [{ param: "url", message }] });
  }
}

/** The image leg's answer: the nearest active anime, or why the image-search backend could not answer. */
export type ImageLeg = { ok: true; hits: { id: number; score: number; anime: Anime }[] } | { ok: false; reason: "unavailable" | "timeout"; message: string };

/**
 * The `limit` nearest active anime by image vector (scores clamped to −1…1: int8 storage
 * rounds). Asks the index for a few more, so that anime orphaned since their vector was
 * written (the indexer removes them on its next pass) never shorten the page. An image the
 * backend cannot take is the caller's error (415, 413); a failing backend is a typed result.
 */
export async function nearestActive(backend: ImageSearchBackend, catalog: Catalog, image: { bytes: Uint8Array; type: string }, limit: number): Promise<ImageLeg> {
  let found: NearestResult;
  try {
    found = await backend.nearest(image, limit + 20);
  } catch (err) {
    if (err instanceof UnsupportedImage) throw new ApiError("unsupported_media_type", err.message);
    if (err instanceof ImageTooLarge) throw new ApiError("payload_too_large", err.message);
    throw err;
  }
  if (!found.ok) return found;
  const anime = new Map((await catalog.getMany(found.matches.map((m) => m.id))).filter((a) => a.system_status === "ACTIVE" && !a.adult).map((a) => [a.id, a]));
  return { ok: true, hits: found.matches.filter((m) => anime.has(m.id)).slice(0, limit).map((m) => ({ id: m.id, score: Math.max(-1, Math.min(1, m.score)), anime: anime.get(m.id)! })) };
}

/** The 503 of a failed image leg; the backend's message is logged, not shown (it may carry internals). */
export function imageSearchUnavailable(leg: { reason: "unavailable" | "timeout" }): ApiError {
  return new ApiError("service_unavailable", leg.reason === "timeout" ? "Image search took too long to answer; retry later." : "Image search is unavailable right now; retry later.");
}

export const imageSearch: RouteHandler<typeof imageSearchRoute, AppEnv> = async (c) => {
  const { limit } = c.req.valid("query");
  const body = await bodyFields(c.req.raw);
  if (body.file === null && "file" in body.fields) throw new ApiError("validation_failed", "`file` must be a file.", { errors: [{ param: "file", message: "a file" }] });
  const backend = c.var.services.imageSearch;
  const leg = await nearestActive(backend, c.var.services.catalog, await imageFrom(body, c.var.services.config), limit);
  if (!leg.ok) {
    c.var.services.log.warn("image_search.unavailable", { model: backend.model, reason: leg.reason, message: leg.message });
    throw imageSearchUnavailable(leg);
  }
  c.header("Cache-Control", "no-store");
  return c.json({ data: leg.hits.map(({ score, anime }) => ({ score: Math.round(score * 10000) / 10000, anime })), model: backend.model }, 200);
};
