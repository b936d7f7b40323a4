import { createMiddleware } from "hono/factory";
import type { AppEnv } from "../context";
import { ApiError } from "../errors/api-error";
import { hashKey, KEY_SHAPE } from "../access/key-store";
import { limitsOf } from "../access/tiers";
import type { Decision, LimitState } from "../access/quota-object";

/**
 * The quota object of a caller without a key: per IP, an IPv6 address by its /64 (one
 * subscriber's allocation: otherwise a client could rotate through addresses for new quotas).
 */
export function anonymousQuota(ip: string | undefined): string {
  if (!ip) return "ip:unknown";
  if (!ip.includes(":")) return `ip:${ip}`;
  const [head, tail = ""] = ip.toLowerCase().split("::");
  const groups = head ? head.split(":") : [];
  const fill = 8 - groups.length - (tail ? tail.split(":").length : 0);
  const full = [...groups, ...Array(Math.max(0, fill)).fill("0"), ...(tail ? tail.split(":") : [])];
  return `ip:${full.slice(0, 4).map((g) => g.replace(/^0+(?=.)/, "")).join(":")}::/64`;
}

/**
 * Requests that spend the `queries` budget as well as a request unit: each costs a model call
 * in production (a query parser, a vision model) and far more CPU than a read.
 */
const QUERY_PATHS = new Set(["/v1/query", "/v1/search/image", "/v1/search/multimodal"]);

/** The caller's own standing: answered even when the day's units are used up (only the burst limit refuses it). */
const STATUS_PATHS = new Set(["/v1/me", "/v1/me/usage"]);

/** Query parameters a key must never travel in (URLs end up in logs and histories). */
export const KEY_PARAMS = ["api_key", "apikey", "key", "access_token", "token"];

/** The presented key: `Authorization: Bearer <key>` or `X-API-Key`; null when none. */
export function presentedKey(auth: string | undefined, header: string | undefined): string | null {
  if (header !== undefined) return header.trim();
  if (auth === undefined) return null;
  const m = /^Bearer\s+(\S+)\s*$/i.exec(auth);
  return m ? m[1] : auth.trim();
}

/** The limit that binds this request soonest: the fewest units left (the burst bucket on a tie); the query count only binds queries. */
function binding(limits: LimitState[], query: boolean): LimitState {
  return limits.filter((l) => query || l.name !== "queries").reduce((a, b) => (b.remaining < a.remaining || (b.remaining === a.remaining && b.name === "burst") ? b : a));
}

/** IETF httpapi ratelimit-headers: every policy in RateLimit-Policy, the binding one in RateLimit. */
function rateLimitHeaders(limits: LimitState[], query: boolean): Record<string, string> {
  const b = binding(limits, query);
  return {
    "RateLimit-Policy": limits.map((l) => `"${l.name}";q=${l.limit};w=${l.windowSeconds}`).join(", "),
    RateLimit: `"${b.name}";r=${b.remaining};t=${b.resetSeconds}`,
  };
}

/**
 * Identifies the caller and spends one unit of its quota before anything else happens —
 * before any cache lookup, so cached responses count too. A key (Bearer or X-API-Key) is
 * checked by its quota object (named by the key's SHA-256), which holds the key's tier and
 * revocation as the admin routes last set them: every keyed request asks it, so a change
 * applies to the very next request, in every isolate. No key: the anonymous tier, per client
 * IP (an IPv6 client per /64), whose units a busy isolate leases (src/access/leases.ts) —
 * there is nothing to revoke. Every answer carries the rate-limit headers.
 */
export const rateLimit = () =>
  createMiddleware<AppEnv>(async (c, next) => {
    const { config, leases } = c.var.services;
    if (config.RATE_LIMITING === "off") {
      c.set("caller", { key: null, quota: anonymousQuota(c.req.header("CF-Connecting-IP")) });
      return next();
    }
    const qs = c.req.url.indexOf("?");
    const params = qs < 0 ? null : new URLSearchParams(c.req.url.slice(qs + 1));
    if (params && KEY_PARAMS.some((p) => params.has(p))) {
      throw new ApiError("invalid_api_key", "API keys are refused in the query string; send `Authorization: Bearer <key>` or `X-API-Key`.");
    }
    const key = presentedKey(c.req.header("Authorization"), c.req.header("X-API-Key"));
    if (key !== null && !KEY_SHAPE.test(key)) throw new ApiError("invalid_api_key", "The API key is malformed.");
    const name = key === null ? anonymousQuota(c.req.header("CF-Connecting-IP")) : `key:${await hashKey(key)}`;
    const stub = () => c.var.services.quotaObject(name);
    const limits = limitsOf(config.RATE_LIMITS);
    const keyed = key !== null;
    const subject = name.startsWith("ip:") ? name : "";
    const now = c.var.services.now();
    // The router's (decoded) path: /v1/%71uery is /v1/query too.
    const query = QUERY_PATHS.has(c.req.path);
    const kind = query ? "query" : STATUS_PATHS.has(c.req.path) ? "status" : "request";
    // Keyed requests, natural-language queries and status reads ask the quota object every
    // time; other anonymous requests spend from this isolate's lease of the caller's units while it lasts.
    const decision: Decision =
      keyed || kind !== "request"
        ? await stub().take(kind, limits, keyed, subject, now, 1, keyed ? null : leases.release(name))
        : await leases.spend(name, now, config.RATE_LIMIT_LEASE_MS, (want, refund) => stub().take("request", limits, false, subject, now, want, refund));
    if (!decision.ok && decision.reason !== "rate_limited") {
      throw new ApiError("invalid_api_key", decision.reason === "revoked_key" ? "The API key was revoked." : "The API key is not known.");
    }
    if (!decision.ok) {
      throw new ApiError("rate_limited", `The ${decision.limit.name} limit (${decision.limit.limit}) is used up; retry after ${decision.retryAfter} s.`, {
        headers: { "Retry-After": String(decision.retryAfter), ...rateLimitHeaders(decision.limits, query) },
      });
    }
    c.set("caller", { key: decision.key, quota: name });
    await next();
    for (const [h, v] of Object.entries(rateLimitHeaders(decision.limits, query))) c.res.headers.set(h, v);
  });
