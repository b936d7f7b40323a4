import { createRoute, z, type RouteHandler } from "@hono/zod-openapi";
import type { AppEnv } from "../../context";
import { problemResponses } from "../../errors/problem-schema";
import { security } from "./common";

const PurgeSchema = z
  .object({ generation: z.string().openapi({ description: "The new catalog generation." }), epoch: z.string().openapi({ description: "The new entity epoch." }) })
  .openapi("CachePurge");

export const purgeCacheRoute = createRoute({
  method: "post",
  path: "/admin/cache/purge",
  tags: ["Admin"],
  operationId: "adminPurgeCache",
  summary: "Retire every cached value",
  description: "Bumps the catalog generation and the entity epoch: no tier serves anything cached before this call (this isolate at once, other isolates within about 2 s; other data centres as fast as KV propagates). Catalog writes invalidate what they change on their own; this is for operations and cold-cache benchmarks.",
  security,
  request: { body: { content: { "application/json": { schema: z.object({}).strict() } }, required: true } },
  responses: {
    200: { description: "Purged.", content: { "application/json": { schema: PurgeSchema } } },
    ...problemResponses(400, 401, 403, 413, 415, 429, 503),
  },
});

export const purgeCache: RouteHandler<typeof purgeCacheRoute, AppEnv> = async (c) => {
  const g = await c.var.services.invalidator.purgeAll();
  return c.json({ generation: g.gen, epoch: g.epoch }, 200);
};
