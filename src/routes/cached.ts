import type { Context } from "hono";
import type { AppEnv } from "../context";
import { setCacheHeaders } from "../cache/headers";
import type { PolicyName } from "../cache/policies";

/**
 * Route side of the cache: reads a value through the tiers and sets the cache headers
 * (X-Cache, Cache-Status, Age, Cache-Control). Null means "not found" (cached for seconds);
 * the route turns it into its 404. Projections (`fields`) stay out of the key: they are
 * applied to the cached value per request.
 */
export async function cachedList<T>(
  c: Context<AppEnv>,
  kind: string,
  params: Record<string, unknown>,
  load: () => Promise<T | null>,
  policy: PolicyName = "list",
  policyOf?: (v: T) => PolicyName | null,
): Promise<{ value: T | null; fromCache: boolean }> {
  const cached = await c.var.services.cache.list(kind, withoutFields(params), load, policy, policyOf);
  setCacheHeaders(c, cached, c.var.services.now());
  return { value: cached.value, fromCache: cached.read.tier !== "MISS" };
}

export async function cachedAnime<T>(c: Context<AppEnv>, id: number, load: () => Promise<T | null>): Promise<T | null> {
  const cached = await c.var.services.cache.anime(id, load);
  setCacheHeaders(c, cached, c.var.services.now());
  return cached.value;
}

function withoutFields(params: Record<string, unknown>): Record<string, unknown> {
  const { fields: _fields, ...rest } = params;
  return rest;
}
