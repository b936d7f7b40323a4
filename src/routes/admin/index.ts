import { OpenAPIHono } from "@hono/zod-openapi";
import type { AppEnv } from "../../context";
import { validationHook } from "../../errors/problem";
import { adminAuth } from "../../middleware/admin-auth";
import { jsonBodies } from "../../middleware/json-body";
import { indexBatch, indexBatchRoute, indexStatus, indexStatusRoute } from "./search-index";
import { purgeCache, purgeCacheRoute } from "./cache";
import { deadLetters, deadLettersRoute, imageStats, imageStatsRoute, ingestImages, ingestImagesRoute, retryDeadLetter, retryDeadLetterRoute } from "./images";
import { createSnapshot, createSnapshotRoute, listSnapshotsHandler, listSnapshotsRoute } from "./sync";
import { approveReview, approveReviewRoute, getRun, getRunRoute, listReviews, listReviewsRoute, listRuns, listRunsRoute, rejectReview, rejectReviewRoute, startSync, startSyncRoute } from "./sync";
import { createKey, createKeyRoute, listKeys, listKeysRoute, revokeKey, revokeKeyRoute, updateKey, updateKeyRoute } from "./keys";
import { getMetrics, metricsRoute } from "./metrics";

/** /v1/admin/…: every route needs `Authorization: Bearer <ADMIN_TOKEN>`. */
export const adminRoutes = new OpenAPIHono<AppEnv>({ defaultHook: validationHook });
// Authentication first: an anonymous caller learns nothing about what a body should be.
adminRoutes.use("/admin/*", adminAuth(), jsonBodies());
adminRoutes
  .openapi(indexStatusRoute, indexStatus)
  .openapi(indexBatchRoute, indexBatch)
  .openapi(purgeCacheRoute, purgeCache)
  .openapi(createKeyRoute, createKey)
  .openapi(listKeysRoute, listKeys)
  .openapi(updateKeyRoute, updateKey)
  .openapi(revokeKeyRoute, revokeKey)
  .openapi(startSyncRoute, startSync)
  .openapi(listRunsRoute, listRuns)
  .openapi(getRunRoute, getRun)
  .openapi(listReviewsRoute, listReviews)
  .openapi(approveReviewRoute, approveReview)
  .openapi(rejectReviewRoute, rejectReview)
  .openapi(listSnapshotsRoute, listSnapshotsHandler)
  .openapi(createSnapshotRoute, createSnapshot)
  .openapi(ingestImagesRoute, ingestImages)
  .openapi(imageStatsRoute, imageStats)
  .openapi(deadLettersRoute, deadLetters)
  .openapi(retryDeadLetterRoute, retryDeadLetter)
  .openapi(metricsRoute, getMetrics);
