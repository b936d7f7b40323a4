import { createRoute, OpenAPIHono, z, type RouteHandler } from "@hono/zod-openapi";
import type { AppEnv } from "../../context";
import { validationHook } from "../../errors/problem";
import { notFound } from "../../errors/api-error";
import { problemResponses } from "../../errors/problem-schema";
import { PUBLIC } from "../../openapi/security";

/** Content-addressed, so a key's bytes never change: cache for a year, never revalidate. */
const IMMUTABLE = "public, max-age=31536000, immutable";

const Key = z.object({
  key: z
    .string()
    .regex(/^[0-9a-f]{64}\.(jpg|png|gif|webp|avif)$/, "a key is <sha256 hex>.<jpg|png|gif|webp|avif>")
    .openapi({ param: { name: "key", in: "path" }, example: "3f1c0d9e5b2a48f7c6e1d0b9a8f7e6d5c4b3a2918f7e6d5c4b3a2918f7e6d5c4.jpg" }),
});

export const imageRoute = createRoute({
  method: "get",
  path: "/{key}",
  tags: ["Images"],
  operationId: "getImage",
  security: PUBLIC,
  summary: "An image Kensho hosts (the `url` of an anime's images once ingested)",
  description: "Immutable: ETag and Last-Modified, If-None-Match → 304, Range → 206. Served through the Cache API.",
  request: { params: Key },
  responses: {
    200: { description: "The image.", content: { "image/*": { schema: z.any() } } },
    206: { description: "The requested byte range (one range; others are answered with the whole image)." },
    416: { description: "The range starts past the end." },
    304: { description: "Not modified." },
    ...problemResponses(400, 404),
  },
});

const headersOf = (obj: R2Object) => {
  const h = new Headers({ "Cache-Control": IMMUTABLE, ETag: obj.httpEtag, "Last-Modified": obj.uploaded.toUTCString(), "Accept-Ranges": "bytes", "X-Content-Type-Options": "nosniff" });
  if (obj.httpMetadata?.contentType) h.set("Content-Type", obj.httpMetadata.contentType);
  return h;
};

/**
 * Serves images/<key> from R2. A plain GET is answered from the Cache API when it can and
 * stored there after; a conditional or ranged GET goes to R2, which evaluates both.
 */
/**
 * One byte range of a `Range` header (RFC 9110): "bytes=a-b", "bytes=a-" or "bytes=-n".
 * Anything else (another unit, several ranges, garbage) is ignored — the whole image is sent.
 */
export function parseRange(header: string | undefined, size: number): { offset: number; length: number } | "unsatisfiable" | null {
  const m = header ? /^bytes=(\d*)-(\d*)$/.exec(header.trim()) : null;
  if (!m || (m[1] === "" && m[2] === "")) return null;
  if (m[1] === "") {
    const n = Math.min(Number(m[2]), size);
    return n === 0 ? "unsatisfiable" : { offset: size - n, length: n };
  }
  const start = Number(m[1]);
  const end = m[2] === "" ? size - 1 : Math.min(Number(m[2]), size - 1);
  if (start >= size || end < start) return "unsatisfiable";
  return { offset: start, length: end - start + 1 };
}

/**
 * Serves images/<key> from R2. A plain GET is answered from the Cache API when it can and
 * stored there after; a conditional or ranged GET goes to R2. The key is content-addressed,
 * so If-None-Match / If-Modified-Since decide a 304 by the ETag alone.
 */
export const getImage: RouteHandler<typeof imageRoute, AppEnv> = async (c) => {
  const { key } = c.req.valid("param");
  const rangeHeader = c.req.header("Range");
  const conditional = c.req.header("If-None-Match") !== undefined || c.req.header("If-Modified-Since") !== undefined;
  const plain = rangeHeader === undefined && !conditional;
  const cache = c.var.services.edgeCache;
  const cacheKey = new Request(new URL(`/images/${key}`, c.req.url).toString());
  if (plain) {
    const hit = await cache.match(cacheKey);
    if (hit) return new Response(hit.body, { status: 200, headers: new Headers([...hit.headers, ["X-Cache", "HIT"]]) });
  }
  const head = await c.var.services.imageObjects.head(`images/${key}`);
  if (!head) throw notFound(`No image ${key}.`);
  const headers = headersOf(head);
  const etags = c.req.header("If-None-Match")?.split(",").map((t) => t.trim().replace(/^W\//, ""));
  if (etags?.includes(head.httpEtag) || etags?.includes("*") || (etags === undefined && c.req.header("If-Modified-Since") && Date.parse(c.req.header("If-Modified-Since")!) >= Math.floor(head.uploaded.getTime() / 1000) * 1000)) {
    return new Response(null, { status: 304, headers });
  }
  const range = parseRange(rangeHeader, head.size);
  if (range === "unsatisfiable") {
    headers.set("Content-Range", `bytes */${head.size}`);
    return new Response(null, { status: 416, headers });
  }
  const obj = await c.var.services.imageObjects.get(`images/${key}`, range ? { range } : {});
  if (!obj) throw notFound(`No image ${key}.`);
  if (range) {
    headers.set("Content-Range", `bytes ${range.offset}-${range.offset + range.length - 1}/${head.size}`);
    headers.set("Content-Length", String(range.length));
    return new Response(obj.body, { status: 206, headers });
  }
  headers.set("Content-Length", String(head.size));
  if (!plain) return new Response(obj.body, { status: 200, headers });
  const [forClient, forCache] = obj.body.tee();
  c.executionCtx.waitUntil(cache.put(cacheKey, new Response(forCache, { status: 200, headers: new Headers(headers) })));
  headers.set("X-Cache", "MISS");
  return new Response(forClient, { status: 200, headers });
};

export const imageRoutes = new OpenAPIHono<AppEnv>({ defaultHook: validationHook });
imageRoutes.openapi(imageRoute, getImage);
