import { createRoute, z, type RouteHandler } from "@hono/zod-openapi";
import type { AppEnv } from "../../context";
import { notFound } from "../../errors/api-error";
import { problemResponses } from "../../errors/problem-schema";
import { KEY_TIERS } from "../../access/tiers";
import { IdParam as KeyId, json, security } from "./common";


const KeySchema = z
  .object({
    id: z.number().int(),
    prefix: z.string().openapi({ description: "The key's first characters, to recognise it; the key itself is never shown again.", example: "ksk_Ab3dE9" }),
    name: z.string(),
    tier: z.enum(KEY_TIERS),
    owner: z.string().nullable(),
    created_at: z.string(),
    updated_at: z.string(),
    revoked_at: z.string().nullable(),
  })
  .openapi("ApiKey");

const CreatedKeySchema = KeySchema.extend({
  key: z.string().openapi({ description: "The API key. Shown this once: only its SHA-256 is stored.", example: "ksk_Ab3dE9…" }),
}).openapi("CreatedApiKey");

/** Printable text: no control characters (they end up in logs and dashboards). */
const Name = z.string().trim().min(1).max(100).regex(/^[^\p{Cc}]*$/u, "no control characters");
const CreateBody = z.object({ name: Name, tier: z.enum(KEY_TIERS), owner: z.string().trim().min(1).max(200).regex(/^[^\p{Cc}]*$/u, "no control characters").optional() }).strict().openapi("CreateApiKey");
const UpdateBody = z
  .object({ name: Name.optional(), tier: z.enum(KEY_TIERS).optional() })
  .strict()
  .refine((b) => b.name !== undefined || b.tier !== undefined, { message: "give name or tier" })
  .openapi("UpdateApiKey");

export const createKeyRoute = createRoute({
  method: "post",
  path: "/admin/keys",
  tags: ["Admin"],
  operationId: "adminCreateApiKey",
  summary: "Create an API key",
  security,
  request: { body: { content: { "application/json": { schema: CreateBody } }, required: true } },
  responses: { 201: json(CreatedKeySchema, "The key, shown once."), ...problemResponses(400, 401, 403, 413, 415, 429, 503) },
});

export const listKeysRoute = createRoute({
  method: "get",
  path: "/admin/keys",
  tags: ["Admin"],
  operationId: "adminListApiKeys",
  summary: "List API keys (never the keys themselves)",
  security,
  responses: { 200: json(z.object({ data: z.array(KeySchema) }), "All keys, revoked ones included."), ...problemResponses(401, 403, 429, 503) },
});

export const updateKeyRoute = createRoute({
  method: "patch",
  path: "/admin/keys/{id}",
  tags: ["Admin"],
  operationId: "adminUpdateApiKey",
  summary: "Change a key's name or tier",
  security,
  request: { params: KeyId, body: { content: { "application/json": { schema: UpdateBody } }, required: true } },
  responses: { 200: json(KeySchema, "The key as changed."), ...problemResponses(400, 401, 403, 404, 413, 415, 429, 503) },
});

export const revokeKeyRoute = createRoute({
  method: "delete",
  path: "/admin/keys/{id}",
  tags: ["Admin"],
  operationId: "adminRevokeApiKey",
  summary: "Revoke a key (permanent; idempotent)",
  security,
  request: { params: KeyId },
  responses: { 200: json(KeySchema, "The revoked key."), ...problemResponses(400, 401, 403, 404, 429, 503) },
});

export const createKey: RouteHandler<typeof createKeyRoute, AppEnv> = async (c) => {
  const { record, key } = await c.var.services.keys.create(c.req.valid("json"), c.var.services.now());
  return c.json({ ...record, key }, 201);
};

export const listKeys: RouteHandler<typeof listKeysRoute, AppEnv> = async (c) => c.json({ data: await c.var.services.keys.list() }, 200);

export const updateKey: RouteHandler<typeof updateKeyRoute, AppEnv> = async (c) => {
  const { id } = c.req.valid("param");
  const record = await c.var.services.keys.update(id, c.req.valid("json"), c.var.services.now());
  if (!record) throw notFound(`No API key has id ${id}.`);
  return c.json(record, 200);
};

export const revokeKey: RouteHandler<typeof revokeKeyRoute, AppEnv> = async (c) => {
  const { id } = c.req.valid("param");
  const record = await c.var.services.keys.revoke(id, c.var.services.now());
  if (!record) throw notFound(`No API key has id ${id}.`);
  return c.json(record, 200);
};
