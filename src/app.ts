import { OpenAPIHono } from "@hono/zod-openapi";
import { bodyLimit } from "hono/body-limit";
import { cors } from "hono/cors";
import { etag, RETAINED_304_HEADERS } from "hono/etag";
import { requestId } from "hono/request-id";
import type { AppEnv } from "./context";
import { ApiError } from "./errors/api-error";
import { handleError, problemResponse, validationHook } from "./errors/problem";
import { routeMissError } from "./middleware/method-not-allowed";
import { requestLog } from "./middleware/request-log";
import { requestMetrics } from "./observability/request-metrics";
import { services, type ServicesOptions } from "./middleware/services";
import { jsonBodies } from "./middleware/json-body";
import { rateLimit } from "./middleware/rate-limit";
import { animeRoutes } from "./routes/anime";
import { healthRoutes } from "./routes/health";
import { metaRoutes } from "./routes/meta";
import { seasonRoutes } from "./routes/seasons";
import { taxonomyRoutes } from "./routes/taxonomy";
import { searchRoutes } from "./routes/search";
import { adminRoutes } from "./routes/admin";
import { curatedRoutes } from "./routes/curated";
import { meRoutes } from "./routes/me";
import { imageRoutes } from "./routes/images";
import { aboutRoutes } from "./routes/about";
import { scheduleRoutes } from "./routes/schedule";
import { mcpRoutes } from "./mcp/endpoint";
import { documentConfig, registerSecuritySchemes } from "./openapi/document";

export const MAX_BODY_BYTES = 64 * 1024;
const REQUEST_ID_HEADER = "X-Request-ID";
/** Which tier served a response: kept on 304s and readable by browser callers. */
const CACHE_HEADERS = ["X-Cache", "Cache-Status", "Age"];
/** Where the caller stands: kept on 304s and readable by browser callers. */
const RATE_LIMIT_HEADERS = ["RateLimit", "RateLimit-Policy", "Retry-After"];

/** Builds the app. Production (src/index.ts) and tests share this one factory. */
/** The admin routes (the router's decoded path: /v1/%61dmin/keys is one too). */
const isAdminPath = (path: string) => path === "/v1/admin" || path.startsWith("/v1/admin/");

export function createApp(options: ServicesOptions = {}) {
  const app = new OpenAPIHono<AppEnv>({ defaultHook: validationHook });

  // A well-formed X-Request-ID (≤ 255 of [A-Za-z0-9_=-]) is kept, anything else replaced.
  app.use(requestId({ headerName: REQUEST_ID_HEADER }));
  // The request's services first: everything after reads config, the logger and the bindings' adapters from them.
  app.use(services(options));
  app.use(requestLog());
  // One data point per request (route template, status, cache tier, caller tier, duration): src/observability/.
  app.use(requestMetrics());
  const limitTo = (maxSize: number) =>
    bodyLimit({
      maxSize,
      onError: () => {
        throw new ApiError("payload_too_large", `The request body exceeds ${maxSize} bytes.`);
      },
    });
  const jsonLimit = limitTo(MAX_BODY_BYTES);
  // Image search takes an image upload: its own, larger limit (IMAGE_MAX_BYTES plus the multipart framing).
  app.use("*", (c, next) => (c.req.path === "/v1/search/image" || c.req.path === "/v1/search/multimodal" ? limitTo(c.var.services.config.IMAGE_MAX_BYTES + 64 * 1024)(c, next) : jsonLimit(c, next)));
  // CORS for the public API only: admin routes are for operators' tools, not for pages in a
  // browser, so they send no CORS headers and a cross-origin page can neither read them nor
  // get a preflight through (same-origin use is unaffected).
  const publicCors = cors({ origin: "*", allowMethods: ["GET", "HEAD", "POST", "PATCH", "DELETE", "OPTIONS"], allowHeaders: ["Authorization", "Content-Type", "X-API-Key"], exposeHeaders: [REQUEST_ID_HEADER, "ETag", ...CACHE_HEADERS, ...RATE_LIMIT_HEADERS] });
  app.use("/v1/*", (c, next) => (isAdminPath(c.req.path) ? next() : publicCors(c, next)));
  // A 304 keeps the request id and the CORS headers: browsers revalidate cross-origin too.
  app.use(
    "/v1/*",
    etag({ retainedHeaders: [...RETAINED_304_HEADERS, REQUEST_ID_HEADER.toLowerCase(), "access-control-allow-origin", "access-control-expose-headers", ...[...CACHE_HEADERS, ...RATE_LIMIT_HEADERS].map((h) => h.toLowerCase())] }),
  );
  // Only routes that take a body: elsewhere a POST must still meet 405 Method Not Allowed.
  // (Admin routes check it after authentication, in routes/admin.)
  app.use("/v1/query", jsonBodies());
  // Callers' quotas, before any handler (and so before any cache lookup). Admin routes have
  // their own token and are not metered.
  const limiter = rateLimit();
  app.use("/v1/*", (c, next) => (c.req.path.startsWith("/v1/admin/") ? next() : limiter(c, next)));

  app.route("/v1", animeRoutes);
  app.route("/v1", curatedRoutes);
  app.route("/v1", meRoutes);
  app.route("/v1", seasonRoutes);
  app.route("/v1", taxonomyRoutes);
  app.route("/v1", searchRoutes);
  app.route("/v1", adminRoutes);
  app.route("/v1", aboutRoutes);
  app.route("/v1", scheduleRoutes);
  app.route("/health", healthRoutes);
  app.route("/images", imageRoutes);
  app.route("/", metaRoutes);
  // POST /mcp: the same routes as tools for AI assistants, dispatched in-process (src/mcp/).
  app.route("/", mcpRoutes(app));

  registerSecuritySchemes(app);
  // The document names the origin it was served from (src/openapi/document.ts).
  app.doc31("/openapi.json", documentConfig);

  const missError = routeMissError(app);
  app.notFound((c) => problemResponse(c, missError(c.req.method, c.req.path)));
  app.onError(handleError);
  return app;
}
