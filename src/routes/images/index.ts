import { createRoute, OpenAPIHono, z, type RouteHandler } from "@hono/zod-openapi";
import type { AppEnv } from "../../context";
import { validationHook } from "../../errors/problem";
import { notFound } from "../../errors/api-error";
import { problemResponses } from "../../errors/problem-schema";

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
  summary: "An image Kensho hosts (the `url` of an anime's images once ingested)",
  description: "Immutable: ETag and Last-Modified, If-None-Match → 304, Range → 206. Served through the Cache API.",
  request: { params: Key },
  responses: {
    200: { description: "The image.", content: { "image/*": { schema: z.any() } } },
    206: { description: "The requested byte range." },
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
export const getImage: RouteHandler<typeof imageRoute, AppEnv> = async (c) => {
  const { key } = c.req.valid("param");
  const plain = !c.req.header("Range") && !c.req.header("If-None-Match") && !c.req.header("If-Modified-Since");
  const cache = caches.default;
  const cacheKey = new Request(new URL(`/images/${key}`, c.req.url).toString());
  if (plain) {
    const hit = await cache.match(cacheKey);
    if (hit) return new Response(hit.body, { status: 200, headers: new Headers([...hit.headers, ["X-Cache", "HIT"]]) });
  }
  const obj = await c.env.IMAGES.get(`images/${key}`, { onlyIf: c.req.raw.headers, range: c.req.raw.headers });
  if (!obj) throw notFound(`No image ${key}.`);
  const headers = headersOf(obj);
  if (!("body" in obj) || !obj.body) return new Response(null, { status: 304, headers });
  const range = obj.range as { offset?: number; length?: number; suffix?: number } | undefined;
  if (c.req.header("Range") && range) {
    const offset = range.suffix !== undefined ? obj.size - range.suffix : (range.offset ?? 0);
    const length = range.suffix ?? range.length ?? obj.size - offset;
    headers.set("Content-Range", `bytes ${offset}-${offset + length - 1}/${obj.size}`);
    headers.set("Content-Length", String(length));
    return new Response(obj.body, { status: 206, headers });
  }
  headers.set("Content-Length", String(obj.size));
  const res = new Response(obj.body, { status: 200, headers });
  if (plain) {
    const [forClient, forCache] = res.body!.tee();
    c.executionCtx.waitUntil(cache.put(cacheKey, new Response(forCache, { status: 200, headers })));
    headers.set("X-Cache", "MISS");
    return new Response(forClient, { status: 200, headers });
  }
  return res;
};

export const imageRoutes = new OpenAPIHono<AppEnv>({ defaultHook: validationHook });
imageRoutes.openapi(imageRoute, getImage);
