import { createMiddleware } from "hono/factory";
import type { AppEnv } from "../context";
import { LeaseBook } from "../access/leases";
import { buildServices } from "../services";
import type { MetricsSink } from "../observability/sink";

export interface ServicesOptions {
  /** Clock of the cache, quotas and their headers; tests inject one to expire entries. */
  now?: () => number;
  /** Where data points go instead of the bindings' sinks (tests record them; src/observability/sink.ts). */
  metrics?: MetricsSink;
}

/**
 * Puts the request's services (src/services.ts, built lazily) on `c.var.services`. Handlers never read bindings themselves, so a backend can be swapped in the
 * composition root without touching a route.
 */
export const services = (options: ServicesOptions = {}) => {
  // Deliberate per-app (so per-isolate) state: quota leases outlive a request by design.
  const leases = new LeaseBook();
  return createMiddleware<AppEnv>(async (c, next) => {
    c.set("services", buildServices(c.env, c.executionCtx, { now: options.now, metrics: options.metrics, context: { request_id: c.get("requestId") }, leases }));
    await next();
  });
};
