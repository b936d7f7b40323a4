import { createRoute, z, type RouteHandler } from "@hono/zod-openapi";
import type { AppEnv } from "../../context";
import { ApiError, notFound } from "../../errors/api-error";
import { problemResponses } from "../../errors/problem-schema";
import { sourceProblem } from "../../sync/source";
import { ANIME_STATUSES, ANIME_TYPES, SEASONS } from "../../catalog/vocabulary";
import { SYNC_PHASES, SYNC_STATUSES, REVIEW_STATUSES } from "../../sync/schema";
import { IdParam, json, security } from "./common";

const Counts = z.object({
  read: z.number().int(), added: z.number().int(), updated: z.number().int(), skipped: z.number().int().openapi({ description: "Entries identical to what we hold: nothing written." }),
  flagged: z.number().int().openapi({ description: "Entries held for review (status change, more episodes)." }), invalid: z.number().int(),
  orphaned: z.number().int(), resurrected: z.number().int(), merged: z.number().int(), split: z.number().int(),
});
const RunSchema = z
  .object({
    id: z.number().int(),
    trigger: z.string().openapi({ description: "cron, admin or test." }),
    source: z.string(),
    status: z.enum(SYNC_STATUSES),
    phase: z.enum(SYNC_PHASES),
    source_last_update: z.string().nullable(),
    chunks: z.object({ done: z.number().int(), total: z.number().int().nullable() }),
    counts: Counts,
    error: z.string().nullable().openapi({ description: "Why a run failed, or why it was skipped." }),
    started_at: z.string(),
    finished_at: z.string().nullable(),
    duration_ms: z.number().int().nullable(),
  })
  .openapi("SyncRun");
const RunDetail = RunSchema.extend({ events: z.array(z.object({ kind: z.enum(["merge", "split"]), anime_id: z.number().int(), others: z.array(z.number().int()) })) }).openapi("SyncRunDetail");

const StartBody = z.object({ source: z.string().min(1).max(2000).optional().openapi({ description: "A release URL or r2:<key>; default SYNC_SOURCE_URL." }) }).strict().openapi("StartSync");
const Page = z.object({ limit: z.coerce.number().int().min(1).max(100).default(20), before: z.coerce.number().int().min(1).optional() }).strict();

export const startSyncRoute = createRoute({
  method: "post",
  path: "/admin/sync",
  tags: ["Admin"],
  operationId: "adminStartSync",
  summary: "Start a sync with the anime-offline-database release now",
  description: "Runs in the background, chunk by chunk (GET /v1/admin/sync/runs/{id} follows it). One run at a time: while one runs, this is a 409 naming it.",
  security,
  request: { body: { content: { "application/json": { schema: StartBody } }, required: false } },
  responses: { 202: json(RunSchema, "The run, started."), ...problemResponses(400, 401, 403, 409, 413, 415, 429, 503) },
});

export const listRunsRoute = createRoute({
  method: "get",
  path: "/admin/sync/runs",
  tags: ["Admin"],
  operationId: "adminListSyncRuns",
  summary: "Sync runs, newest first",
  security,
  request: { query: Page },
  responses: { 200: json(z.object({ data: z.array(RunSchema) }), "Runs; pass the last id as `before` for older ones."), ...problemResponses(400, 401, 403, 429, 503) },
});

export const getRunRoute = createRoute({
  method: "get",
  path: "/admin/sync/runs/{id}",
  tags: ["Admin"],
  operationId: "adminGetSyncRun",
  summary: "One sync run, with the merges and splits it recorded",
  security,
  request: { params: IdParam },
  responses: { 200: json(RunDetail, "The run."), ...problemResponses(400, 401, 403, 404, 429, 503) },
});

export const startSync: RouteHandler<typeof startSyncRoute, AppEnv> = async (c) => {
  const body = c.req.valid("json") ?? {};
  const { config } = c.var.services;
  const source = body.source ?? config.SYNC_SOURCE_URL;
  const problem = sourceProblem(source, config.SYNC_ALLOW_PRIVATE_SOURCES === "on");
  if (problem) throw new ApiError("validation_failed", `source: ${problem}`, { errors: [{ param: "source", message: problem }] });
  const { run, started } = await c.var.services.sync.start(source);
  if (!started) throw new ApiError("conflict", `Sync run ${run.id} is still running (started ${run.started_at}); one run at a time.`);
  c.header("Location", `/v1/admin/sync/runs/${run.id}`);
  return c.json(run, 202);
};

export const listRuns: RouteHandler<typeof listRunsRoute, AppEnv> = async (c) => {
  const { limit, before } = c.req.valid("query");
  return c.json({ data: await c.var.services.sync.runs(limit, before) }, 200);
};

export const getRun: RouteHandler<typeof getRunRoute, AppEnv> = async (c) => {
  const { id } = c.req.valid("param");
  const run = await c.var.services.sync.run(id);
  if (!run) throw notFound(`No sync run has id ${id}.`);
  return c.json(run, 200);
};

// ---- review queue -------------------------------------------------------------------------

const EntrySchema = z.object({
  title: z.string(), type: z.enum(ANIME_TYPES), episodes: z.number().int(), status: z.enum(ANIME_STATUSES), season: z.enum(SEASONS), year: z.number().int().nullable(),
  synonyms: z.array(z.string()), genres: z.array(z.string()), studios: z.array(z.string()), sources: z.array(z.string()),
}).passthrough();
const ReviewSchema = z
  .object({
    id: z.number().int(),
    anime_id: z.number().int(),
    run_id: z.number().int(),
    status: z.enum(REVIEW_STATUSES),
    reasons: z.array(z.string()).openapi({ example: ["status: ONGOING → FINISHED"] }),
    proposed: EntrySchema.openapi({ description: "The source's entry, as the sync would have written it." }),
    current: z.object({ title: z.string(), status: z.string(), episodes: z.number().int(), system_status: z.string() }).nullable(),
    created_at: z.string(),
    decided_at: z.string().nullable(),
  })
  .openapi("ReviewItem");
const Edits = z
  .object({
    title: z.string().trim().min(1).max(500), type: z.enum(ANIME_TYPES), episodes: z.number().int().min(0).max(100_000), status: z.enum(ANIME_STATUSES),
    season: z.enum(SEASONS), year: z.number().int().min(1907).max(2100).nullable(), synonyms: z.array(z.string().min(1).max(500)).max(500),
    genres: z.array(z.string().min(1).max(100)).max(200), studios: z.array(z.string().min(1).max(200)).max(100),
  })
  .partial()
  .strict();
const ApproveBody = z
  .object({ entry: Edits.optional().openapi({ description: "Changes written with the approval. Fields the offline database owns (title, …) follow the source again at the next sync." }) })
  .strict()
  .openapi("ApproveReview");
const ReviewQuery = z.object({ status: z.enum(REVIEW_STATUSES).default("open"), limit: z.coerce.number().int().min(1).max(100).default(50), after: z.coerce.number().int().min(0).optional().openapi({ type: "integer" }) }).strict();

export const listReviewsRoute = createRoute({
  method: "get",
  path: "/admin/reviews",
  tags: ["Admin"],
  operationId: "adminListReviews",
  summary: "Review queue: changes the sync held for a person",
  security,
  request: { query: ReviewQuery },
  responses: { 200: json(z.object({ data: z.array(ReviewSchema) }), "Items, oldest first; pass the last id as `after` for more."), ...problemResponses(400, 401, 403, 429, 503) },
});

const decided = (action: "approve" | "reject", summary: string) => ({
  method: "post" as const,
  path: `/admin/reviews/{id}/${action}`,
  tags: ["Admin"],
  operationId: action === "approve" ? "adminApproveReview" : "adminRejectReview",
  summary,
  security,
  responses: { 200: json(ReviewSchema, "The item, decided."), ...problemResponses(400, 401, 403, 404, 409, 413, 415, 429, 503) },
});
export const approveReviewRoute = createRoute({
  ...decided("approve", "Approve: write the held-back status and episodes (and any edits) and invalidate caches"),
  request: { params: IdParam, body: { content: { "application/json": { schema: ApproveBody } }, required: false } },
});
export const rejectReviewRoute = createRoute({ ...decided("reject", "Reject: keep what we hold"), request: { params: IdParam } });

export const listReviews: RouteHandler<typeof listReviewsRoute, AppEnv> = async (c) => {
  const { status, limit, after } = c.req.valid("query");
  return c.json({ data: await c.var.services.sync.reviews(status, limit, after) }, 200);
};

export const approveReview: RouteHandler<typeof approveReviewRoute, AppEnv> = async (c) => {
  const { id } = c.req.valid("param");
  const body = c.req.valid("json") ?? {};
  return c.json(await c.var.services.sync.approve(id, body.entry ?? {}, c.var.services.now()), 200);
};

export const rejectReview: RouteHandler<typeof rejectReviewRoute, AppEnv> = async (c) => c.json(await c.var.services.sync.reject(c.req.valid("param").id, c.var.services.now()), 200);

// ---- snapshots ----------------------------------------------------------------------------

const SnapshotSchema = z
  .object({
    id: z.string(),
    key: z.string().openapi({ description: "The gzipped NDJSON object in the CATALOG bucket." }),
    count: z.number().int(),
    bytes: z.number().int(),
    sha256: z.string().openapi({ description: "SHA-256 of the gzip file (hex)." }),
    source_last_update: z.string().nullable(),
    created_at: z.string(),
  })
  .openapi("Snapshot");

export const listSnapshotsRoute = createRoute({
  method: "get",
  path: "/admin/snapshots",
  tags: ["Admin"],
  operationId: "adminListSnapshots",
  summary: "Catalog snapshots in R2, newest first",
  security,
  request: { query: z.object({ limit: z.coerce.number().int().min(1).max(100).default(20) }).strict() },
  responses: { 200: json(z.object({ data: z.array(SnapshotSchema) }), "Snapshots with their manifests."), ...problemResponses(400, 401, 403, 429, 503) },
});

export const createSnapshotRoute = createRoute({
  method: "post",
  path: "/admin/snapshots",
  tags: ["Admin"],
  operationId: "adminCreateSnapshot",
  summary: "Write a catalog snapshot now (the weekly Cron Trigger does it on Sundays)",
  security,
  responses: { 201: json(SnapshotSchema, "The snapshot's manifest."), ...problemResponses(401, 403, 429, 503) },
});

export const listSnapshotsHandler: RouteHandler<typeof listSnapshotsRoute, AppEnv> = async (c) => c.json({ data: await c.var.services.snapshots.list(c.req.valid("query").limit) }, 200);

export const createSnapshot: RouteHandler<typeof createSnapshotRoute, AppEnv> = async (c) => c.json(await c.var.services.snapshots.write(), 201);
