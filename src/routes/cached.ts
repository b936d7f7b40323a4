import type { Context, TypedResponse } from "hono";
import type { JSONParsed } from "hono/utils/types";
import type { AppEnv } from "../context";
import { setCacheHeaders } from "../cache/headers";
import type { PolicyName } from "../cache/policies";
import type { Cached } from "../cache/response-cache";

/**
 * Route side of the cache: reads a value through the tiers and sets the cache headers
 * (X-Cache, Cache-Status, Age, Cache-Control). A null value means "not found" (cached for
 * seconds); the route turns it into its 404. Projections (`fields`) stay out of the key: they
 * are applied to the cached value per request. The result's `value` is parsed on first read;
 * a route answering with the stored JSON as it is (`storedJson`) never parses it.
 */
export async function cachedList<T>(
  c: Context<AppEnv>,
  kind: string,
  params: Record<string, unknown>,
  load: () => Promise<T | null>,
  policy: PolicyName = "list",
  policyOf?: (v: T) => PolicyName | null,
): Promise<Cached<T> & { fromCache: boolean }> {
  const cached = await c.var.services.cache.list(kind, withoutFields(params), load, policy, policyOf);
  setCacheHeaders(c, cached, c.var.services.now());
  return Object.assign(cached, { fromCache: cached.read.tier !== "MISS" });
}

export async function cachedAnime<T>(c: Context<AppEnv>, id: number, load: () => Promise<T | null>): Promise<Cached<T>> {
  const cached = await c.var.services.cache.anime(id, load);
  setCacheHeaders(c, cached, c.var.services.now());
  return cached;
}

/**
 * A 200 whose body is the cached JSON itself, optionally wrapped (`{"data":` … `}`): what
 * `c.json(value)` would send, without parsing the stored text and serialising it again. Only
 * for a value the route would send unchanged (no projection, nothing added). The strong ETag
 * is the one the etag middleware would compute (SHA-1 of the body), worked out once per stored
 * record and isolate instead of once per request.
 */
export async function storedJson<T = unknown>(c: Context<AppEnv>, cached: Cached<unknown>, wrap?: { before: string; after: string }): Promise<Response & TypedResponse<JSONParsed<T>, 200, "json">> {
  const body = wrap ? wrap.before + cached.json! + wrap.after : cached.json!;
  c.header("ETag", await etagOf(cached.read.record, body, wrap ? wrap.before : ""));
  // Typed as the c.json answer it stands for: the stored text is that value's JSON.
  return c.body(body, 200, { "Content-Type": "application/json" }) as unknown as Response & TypedResponse<JSONParsed<T>, 200, "json">;
}

// Deliberate per-isolate memo: a record held by L0 is the same object on every hit, so its
// ETag is computed once; records die with their tier entry (weak keys).
const etags = new WeakMap<object, Map<string, string>>();

async function etagOf(record: object, body: string, variant: string): Promise<string> {
  let byVariant = etags.get(record);
  const known = byVariant?.get(variant);
  if (known) return known;
  const digest = await crypto.subtle.digest("SHA-1", new TextEncoder().encode(body));
  const tag = `"${[...new Uint8Array(digest)].map((b) => b.toString(16).padStart(2, "0")).join("")}"`;
  if (!byVariant) etags.set(record, (byVariant = new Map()));
  byVariant.set(variant, tag);
  return tag;
}

function withoutFields(params: Record<string, unknown>): Record<string, unknown> {
  const { fields: _fields, ...rest } = params;
  return rest;
}
