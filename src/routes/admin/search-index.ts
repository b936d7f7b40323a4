import { createRoute, z, type RouteHandler } from "@hono/zod-openapi";
import type { AppEnv } from "../../context";
import { problemResponses } from "../../errors/problem-schema";
import type { SearchIndexer } from "../../search/indexer";
import { security } from "./common";

const CountsSchema = z.object({ text: z.number().int(), vectors: z.number().int() });
const IndexStatusSchema = z
  .object({
    indexed: CountsSchema.extend({
      failed: z.number().int().openapi({ description: "Vectors the index refused in this call (logged as search.vector_rejected); retried once the entry or the model changes." }),
    }).openapi({ description: "Done by this call (zeros for GET)." }),
    remaining: CountsSchema.openapi({ description: "Still to do; call again until both are 0." }),
    vector_backend: z.string().openapi({ description: "local, vectorize, qdrant, or off." }),
    embedding_model: z.string(),
    vectors_held: z.number().int().nullable().openapi({ description: "Vectors in the index, when the backend can count them." }),
    vectors_rejected: z.number().int().openapi({ description: "Anime whose vector the index refused (e.g. metadata over its size limit) and that wait for a change of entry or model." }),
  })
  .openapi("SearchIndexStatus");

const IndexBody = z
  .object({
    limit: z.number().int().min(1).max(5000).default(1000).openapi({ description: "Anime to index per kind in this call (bounded so a call stays within the Worker's CPU limit)." }),
    reset: z.boolean().default(false).openapi({ description: "Forget what was indexed first, so the calls that follow rebuild everything." }),
  })
  .strict();


export const indexStatusRoute = createRoute({
  method: "get",
  path: "/admin/search/index",
  tags: ["Admin"],
  operationId: "adminGetSearchIndexStatus",
  summary: "How much of the catalog is not yet searchable",
  security,
  responses: {
    200: { description: "Index status.", content: { "application/json": { schema: IndexStatusSchema } } },
    ...problemResponses(401, 403, 429, 503),
  },
});

export const indexBatchRoute = createRoute({
  method: "post",
  path: "/admin/search/index",
  tags: ["Admin"],
  operationId: "adminIndexSearchBatch",
  summary: "Index the next batch of new or changed anime",
  description: "Rebuilds keyword rows and embeds vectors for anime whose content changed since they were indexed. Idempotent; loop until `remaining` is zero (npm run reindex does).",
  security,
  request: { body: { content: { "application/json": { schema: IndexBody } }, required: true } },
  responses: {
    200: { description: "What was done and what remains.", content: { "application/json": { schema: IndexStatusSchema } } },
    ...problemResponses(400, 401, 403, 413, 415, 429, 503),
  },
});

async function status(indexer: SearchIndexer, indexed = { text: 0, vectors: 0, failed: 0 }) {
  const [remaining, held, rejected] = await Promise.all([indexer.pending(), indexer.vectorsHeld(), indexer.vectorsRejected()]);
  return { indexed, remaining, vector_backend: indexer.backend, embedding_model: indexer.model, vectors_held: held, vectors_rejected: rejected };
}

export const indexStatus: RouteHandler<typeof indexStatusRoute, AppEnv> = async (c) => c.json(await status(c.var.services.indexer), 200);

export const indexBatch: RouteHandler<typeof indexBatchRoute, AppEnv> = async (c) => {
  const body = c.req.valid("json");
  const indexer = c.var.services.indexer;
  if (body.reset) await indexer.reset();
  const indexed = await indexer.indexBatch(body.limit);
  return c.json(await status(indexer, indexed), 200);
};
