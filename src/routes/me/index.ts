import { createRoute, OpenAPIHono, z, type RouteHandler } from "@hono/zod-openapi";
import type { AppEnv } from "../../context";
import { validationHook } from "../../errors/problem";
import { TIER_NAMES } from "../../access/tiers";
import { API_KEY_OR_ANONYMOUS } from "../../openapi/security";
import { meteredResponses } from "../../openapi/metered";

const UsageSchema = z.object({ day: z.string().openapi({ example: "2026-11-21" }), requests: z.number().int(), queries: z.number().int() }).openapi("DailyUsage");
const LimitSchema = z
  .object({ name: z.enum(["daily", "queries", "burst"]), limit: z.number(), remaining: z.number().int(), reset_seconds: z.number().int(), window_seconds: z.number().int() })
  .openapi("Limit");
const MeSchema = z
  .object({
    tier: z.enum(TIER_NAMES),
    key: z.object({ id: z.number().int(), name: z.string(), prefix: z.string() }).nullable().openapi({ description: "The API key used; null for anonymous callers (limited per IP)." }),
    limits: z.array(LimitSchema),
    usage: UsageSchema.openapi({ description: "Today (UTC), this request included." }),
    reset_at: z.string().openapi({ description: "When the daily counters reset (next UTC midnight)." }),
  })
  .openapi("Me");

export const meRoute = createRoute({
  method: "get",
  path: "/me",
  tags: ["Account"],
  operationId: "getMe",
  security: API_KEY_OR_ANONYMOUS,
  summary: "Who am I, and where do I stand today",
  responses: { 200: { description: "The caller's tier, limits and usage.", content: { "application/json": { schema: MeSchema } } }, ...meteredResponses() },
});

export const usageRoute = createRoute({
  method: "get",
  path: "/me/usage",
  tags: ["Account"],
  operationId: "getMyUsage",
  security: API_KEY_OR_ANONYMOUS,
  summary: "Requests per day, last 30 days",
  description: "Today's figures are live; earlier days are rolled up from the quota objects about once a minute.",
  responses: { 200: { description: "Newest day first.", content: { "application/json": { schema: z.object({ data: z.array(UsageSchema) }) } } }, ...meteredResponses() },
});

const subjectOf = (caller: AppEnv["Variables"]["caller"]) => (caller.key ? `key:${caller.key.id}` : caller.quota);

export const me: RouteHandler<typeof meRoute, AppEnv> = async (c) => {
  const now = c.var.services.now();
  const { usage, limits, key } = await c.var.services.quota.standing(c.var.caller.quota, now);
  c.header("Cache-Control", "private, no-store");
  return c.json(
    {
      tier: (key?.tier ?? "anonymous") as (typeof TIER_NAMES)[number],
      key: key ? { id: key.id, name: key.name, prefix: key.prefix } : null,
      limits: limits.map((l) => ({ name: l.name, limit: l.limit, remaining: l.remaining, reset_seconds: l.resetSeconds, window_seconds: l.windowSeconds })),
      usage,
      reset_at: new Date(Math.floor(now / 86_400_000 + 1) * 86_400_000).toISOString(),
    },
    200,
  );
};

export const usage: RouteHandler<typeof usageRoute, AppEnv> = async (c) => {
  c.header("Cache-Control", "private, no-store");
  return c.json({ data: await c.var.services.quota.history(c.var.caller.quota, subjectOf(c.var.caller), c.var.services.now()) }, 200);
};

/** /v1/me, /v1/me/usage: about the caller, never cached. */
export const meRoutes = new OpenAPIHono<AppEnv>({ defaultHook: validationHook }).openapi(meRoute, me).openapi(usageRoute, usage);
