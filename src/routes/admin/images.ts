import { createRoute, z, type RouteHandler } from "@hono/zod-openapi";
import type { AppEnv } from "../../context";
import { notFound } from "../../errors/api-error";
import { problemResponses } from "../../errors/problem-schema";
import { ImageService } from "../../images/service";
import { IdParam, json, security } from "./common";

const Report = z.object({ candidates: z.number().int(), stored: z.number().int(), deduplicated: z.number().int(), failed: z.number().int(), dead: z.number().int() }).openapi("ImageIngestReport");
const DeadLetter = z
  .object({ id: z.number().int(), anime_id: z.number().int(), url: z.string(), error: z.string().nullable(), attempts: z.number().int(), last_attempt_at: z.string().nullable(), next_retry_at: z.string().nullable() })
  .openapi("ImageDeadLetter");
const Stats = z
  .object({
    by_status: z.object({ stored: z.number().int(), failed: z.number().int(), dead: z.number().int() }),
    objects: z.number().int().openapi({ description: "Objects in R2 (URLs with the same bytes share one)." }),
    bytes: z.number().int(),
    pending: z.number().int().openapi({ description: "Image URLs of active anime not tried yet." }),
  })
  .openapi("ImageStats");

export const ingestImagesRoute = createRoute({
  method: "post",
  path: "/admin/images/ingest",
  tags: ["Admin"],
  operationId: "adminIngestImages",
  summary: "Run an image ingestion batch now (the */10 Cron Trigger runs one too)",
  security,
  request: { query: z.object({ limit: z.coerce.number().int().min(1).max(500).default(100) }).strict() },
  responses: { 200: json(Report, "What the batch did."), ...problemResponses(400, 401, 403, 429, 503) },
});

export const imageStatsRoute = createRoute({
  method: "get",
  path: "/admin/images/stats",
  tags: ["Admin"],
  operationId: "adminGetImageStats",
  summary: "Image ingestion counts",
  security,
  responses: { 200: json(Stats, "Counts."), ...problemResponses(401, 403, 429, 503) },
});

export const deadLettersRoute = createRoute({
  method: "get",
  path: "/admin/images/dead-letters",
  tags: ["Admin"],
  operationId: "adminListImageDeadLetters",
  summary: "Image URLs that keep failing (the anime keeps its original URL)",
  security,
  request: { query: z.object({ limit: z.coerce.number().int().min(1).max(100).default(50), after: z.coerce.number().int().min(0).optional().openapi({ type: "integer" }) }).strict() },
  responses: { 200: json(z.object({ data: z.array(DeadLetter) }), "Dead letters, oldest first; pass the last id as `after`."), ...problemResponses(400, 401, 403, 429, 503) },
});

export const retryDeadLetterRoute = createRoute({
  method: "post",
  path: "/admin/images/dead-letters/{id}/retry",
  tags: ["Admin"],
  operationId: "adminRetryImageDeadLetter",
  summary: "Retry one dead letter now",
  security,
  request: { params: IdParam },
  responses: { 200: json(z.object({ status: z.enum(["stored", "failed", "dead"]), dead_letter: DeadLetter.nullable() }), "The outcome."), ...problemResponses(400, 401, 403, 404, 429, 503) },
});

export const ingestImages: RouteHandler<typeof ingestImagesRoute, AppEnv> = async (c) => c.json(await c.var.services.images.ingest(c.req.valid("query").limit), 200);
export const imageStats: RouteHandler<typeof imageStatsRoute, AppEnv> = async (c) => c.json(await c.var.services.images.stats(), 200);
export const deadLetters: RouteHandler<typeof deadLettersRoute, AppEnv> = async (c) => {
  const { limit, after } = c.req.valid("query");
  return c.json({ data: await c.var.services.images.deadLetters(limit, after) }, 200);
};
export const retryDeadLetter: RouteHandler<typeof retryDeadLetterRoute, AppEnv> = async (c) => {
  const { id } = c.req.valid("param");
  const result = await c.var.services.images.retry(id, c.var.services.now());
  if (!result) throw notFound(`No dead letter has id ${id}.`);
  return c.json(result, 200);
};
