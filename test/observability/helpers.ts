import { createExecutionContext, waitOnExecutionContext } from "cloudflare:test";
import { env } from "cloudflare:workers";
import { createApp } from "../../src/app";
import type { MetricPoint } from "../../src/observability/data-points";
import type { MetricsSink } from "../../src/observability/sink";
import { BASE } from "../helpers";

/** A sink that keeps what it is given: what the composition root would hand to Analytics Engine. */
export function recordingSink(): MetricsSink & { points: MetricPoint[] } {
  const points: MetricPoint[] = [];
  return { points, write: (p) => void points.push(p) };
}

/** One request through a fresh app (its own sink or vars), waiting for its deferred work. */
export async function fetchApp(path: string, init: RequestInit = {}, options: { metrics?: MetricsSink; vars?: Record<string, unknown> } = {}): Promise<Response> {
  const ctx = createExecutionContext();
  const res = await createApp({ metrics: options.metrics }).fetch(new Request(BASE + path, init), { ...env, ...options.vars }, ctx);
  await waitOnExecutionContext(ctx);
  return res;
}
