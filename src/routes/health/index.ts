import { createRoute, OpenAPIHono, z, type RouteHandler } from "@hono/zod-openapi";
import type { AppEnv } from "../../context";

const CHECK_TIMEOUT_MS = 2000;

const CheckSchema = z.object({ ok: z.boolean(), latency_ms: z.number(), error: z.string().optional() });
const ReadySchema = z
  .object({ status: z.enum(["ok", "fail"]), checks: z.object({ d1: CheckSchema, kv: CheckSchema, r2: CheckSchema }) })
  .openapi("Readiness", { example: { status: "ok", checks: { d1: { ok: true, latency_ms: 1 }, kv: { ok: true, latency_ms: 1 }, r2: { ok: true, latency_ms: 2 } } } });

/** Runs one probe with a deadline; a failure is reported, never thrown. */
async function probe(run: () => Promise<unknown>): Promise<z.infer<typeof CheckSchema>> {
  const started = Date.now();
  let cancelTimer = () => {};
  const deadline = new Promise((_, reject) => {
    const timer = setTimeout(() => reject(new Error(`timed out after ${CHECK_TIMEOUT_MS} ms`)), CHECK_TIMEOUT_MS);
    cancelTimer = () => clearTimeout(timer);
  });
  try {
    await Promise.race([run(), deadline]);
    return { ok: true, latency_ms: Date.now() - started };
  } catch (err) {
    return { ok: false, latency_ms: Date.now() - started, error: err instanceof Error ? err.message : "failed" };
  } finally {
    cancelTimer();
  }
}

export const liveRoute = createRoute({
  method: "get",
  path: "/live",
  tags: ["Health"],
  summary: "Liveness: the Worker answers",
  responses: { 200: { description: "Alive.", content: { "application/json": { schema: z.object({ status: z.literal("ok") }) } } } },
});

export const live: RouteHandler<typeof liveRoute, AppEnv> = (c) => c.json({ status: "ok" as const }, 200);

export const readyRoute = createRoute({
  method: "get",
  path: "/ready",
  tags: ["Health"],
  summary: "Readiness: D1, KV and R2 answer",
  description: "Each check reports its latency. 503 when any check fails.",
  responses: {
    200: { description: "All checks passed.", content: { "application/json": { schema: ReadySchema } } },
    503: { description: "At least one check failed.", content: { "application/json": { schema: ReadySchema } } },
  },
});

export const ready: RouteHandler<typeof readyRoute, AppEnv> = async (c) => {
  const [d1, kv, r2] = await Promise.all([
    probe(() => c.env.DB.prepare("SELECT 1").first()),
    probe(() => c.env.CACHE.get("health:probe")),
    probe(() => c.env.IMAGES.head("health/probe")),
  ]);
  const ok = d1.ok && kv.ok && r2.ok;
  c.header("Cache-Control", "no-store");
  return c.json({ status: ok ? ("ok" as const) : ("fail" as const), checks: { d1, kv, r2 } }, ok ? 200 : 503);
};

export const healthRoutes = new OpenAPIHono<AppEnv>().openapi(liveRoute, live).openapi(readyRoute, ready);
