import { createMiddleware } from "hono/factory";
import type { AppEnv } from "../context";
import { ApiError } from "../errors/api-error";
import { anonymousQuota } from "./rate-limit";

const encoder = new TextEncoder();
const MIN_TOKEN_LENGTH = 16;

/** Constant-time equality of two secrets: compares SHA-256 digests, so lengths leak nothing either. */
async function sameSecret(a: string, b: string): Promise<boolean> {
  const [da, db] = await Promise.all([crypto.subtle.digest("SHA-256", encoder.encode(a)), crypto.subtle.digest("SHA-256", encoder.encode(b))]);
  return crypto.subtle.timingSafeEqual(da, db);
}

export interface AdminAuthOptions {
  /** Failed token attempts a client address may make within `windowMs`; the next one is refused. */
  maxFailures?: number;
  /** The window of `maxFailures`, and how long a client that went past it is refused. */
  windowMs?: number;
}

/** Client addresses remembered as refused per isolate; past it the oldest are forgotten (the quota object still refuses them). */
const MAX_REMEMBERED = 10_000;

/**
 * Guards the /v1/admin routes with `Authorization: Bearer <ADMIN_TOKEN>`. No token sent →
 * 401 with a WWW-Authenticate challenge; a wrong one → 403; no usable ADMIN_TOKEN
 * configured → 503 (admin is disabled, never open).
 *
 * Failed attempts are throttled per client address (an IPv6 client per /64, as the anonymous
 * quota): each wrong token is counted by that address's quota object (`admin:<ip>`), and
 * the attempt after `maxFailures` within `windowMs` is a 429 with Retry-After; the address is
 * then refused for `windowMs`, right token or not. A right token costs nothing extra: only
 * failures reach the quota object, and a refused address is remembered in this isolate, which
 * refuses it before looking at its token. (Another isolate learns of the block at that
 * address's first failure there.)
 */
export const adminAuth = (options: AdminAuthOptions = {}) => {
  const maxFailures = options.maxFailures ?? 10;
  const windowMs = options.windowMs ?? 15 * 60_000;
  // Deliberate per-isolate state (the admin routes build this once): refused addresses and until when, plain numbers only.
  const refused = new Map<string, number>();
  const refusal = (retryAfter: number) =>
    new ApiError("rate_limited", `Too many failed admin-token attempts from this address; retry after ${retryAfter} s.`, { headers: { "Retry-After": String(retryAfter) } });

  return createMiddleware<AppEnv>(async (c, next) => {
    const expected = c.var.services.config.ADMIN_TOKEN;
    // A short token is a misconfiguration, not a password: admin stays closed, the API up.
    if (!expected || expected.length < MIN_TOKEN_LENGTH) {
      throw new ApiError("service_unavailable", `Admin routes are disabled: ADMIN_TOKEN is missing or shorter than ${MIN_TOKEN_LENGTH} characters.`);
    }
    const client = `admin:${anonymousQuota(c.req.header("CF-Connecting-IP"))}`;
    const now = c.var.services.now();
    const until = refused.get(client);
    if (until !== undefined) {
      if (until > now) throw refusal(Math.ceil((until - now) / 1000));
      refused.delete(client);
    }
    const header = c.req.header("Authorization");
    const match = header ? /^Bearer\s+(\S+)\s*$/i.exec(header) : null;
    if (!match) {
      throw new ApiError("unauthorized", "Send the admin token as `Authorization: Bearer <token>`.", { headers: { "WWW-Authenticate": 'Bearer realm="kensho-admin"' } });
    }
    if (!(await sameSecret(match[1], expected))) {
      const verdict = await c.var.services
        .quotaObject(client)
        .adminFailure(now, maxFailures, windowMs)
        .catch((err: unknown) => {
          c.var.services.log.warn("admin.throttle_unavailable", { message: String(err) });
          return { blocked: false, retryAfter: 0 };
        });
      if (verdict.blocked) {
        if (refused.size >= MAX_REMEMBERED) refused.delete(refused.keys().next().value!);
        refused.set(client, now + verdict.retryAfter * 1000);
        throw refusal(verdict.retryAfter);
      }
      throw new ApiError("forbidden", "The admin token is not valid.");
    }
    await next();
    // Admin answers depend on who asks: no cache, ours or anyone's, may keep them.
    c.header("Cache-Control", "no-store");
  });
};
