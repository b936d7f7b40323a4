import { createRoute, OpenAPIHono, z, type RouteHandler } from "@hono/zod-openapi";
import type { AppEnv } from "../../context";
import type { Services } from "../../services";
import { configurationProblems } from "../../search/backends";
import { UnavailableImageSearch } from "../../images/image-search";
import { PUBLIC } from "../../openapi/security";

const CHECK_TIMEOUT_MS = 2000;

const CheckSchema = z.object({ ok: z.boolean(), latency_ms: z.number(), error: z.string().optional() });
const ReadySchema = z
  .object({
    status: z.enum(["ok", "fail"]),
    checks: z.object({
      d1: CheckSchema,
      kv: CheckSchema,
      r2: CheckSchema,
      search: CheckSchema.openapi({ description: "The search backends as configured: fails, naming the problem, when a vector index, embedding model or image search is configured but cannot be built (search then answers degraded)." }),
    }),
  })
  .openapi("Readiness", { example: { status: "ok", checks: { d1: { ok: true, latency_ms: 1 }, kv: { ok: true, latency_ms: 1 }, r2: { ok: true, latency_ms: 2 }, search: { ok: true, latency_ms: 0 } } } });

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

/** Throws the configuration problems of search (text and image), if any: a check without I/O. */
async function searchConfigured(services: Services): Promise<void> {
  const problems = configurationProblems(services.backends);
  const image = services.imageSearch;
  if (image instanceof UnavailableImageSearch) problems.push(`image search: ${image.reason}`);
  if (problems.length > 0) throw new Error(problems.join("; "));
}

export const liveRoute = createRoute({
  method: "get",
  path: "/live",
  tags: ["Health"],
  operationId: "getLiveness",
  security: PUBLIC,
  summary: "Liveness: the Worker answers",
  responses: { 200: { description: "Alive.", content: { "application/json": { schema: z.object({ status: z.literal("ok") }) } } } },
});

export const live: RouteHandler<typeof liveRoute, AppEnv> = (c) => c.json({ status: "ok" as const }, 200);

export const readyRoute = createRoute({
  method: "get",
  path: "/ready",
  tags: ["Health"],
  operationId: "getReadiness",
  security: PUBLIC,
  summary: "Readiness: D1, KV and R2 answer, search is configured",
  description: "Each check reports its latency. 503 when any check fails; `search` fails when a search backend is configured but cannot be built (for example the local vector index in production with an embedding wider than 256 dimensions), and its `error` names the problem.",
  responses: {
    200: { description: "All checks passed.", content: { "application/json": { schema: ReadySchema } } },
    503: { description: "At least one check failed.", content: { "application/json": { schema: ReadySchema } } },
  },
});

export const ready: RouteHandler<typeof readyRoute, AppEnv> = async (c) => {
  const services = c.var.services;
  const probes = services.probes;
  const [d1, kv, r2, search] = await Promise.all([probe(probes.d1), probe(probes.kv), probe(probes.r2), probe(() => searchConfigured(services))]);
  const ok = d1.ok && kv.ok && r2.ok && search.ok;
  c.header("Cache-Control", "no-store");
  return c.json({ status: ok ? ("ok" as const) : ("fail" as const), checks: { d1, kv, r2, search } }, ok ? 200 : 503);
};

export const healthRoutes = new OpenAPIHono<AppEnv>().openapi(liveRoute, live).openapi(readyRoute, ready);
