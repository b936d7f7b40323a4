import { createMiddleware } from "hono/factory";
import type { AppEnv } from "../context";
import { ApiError } from "../errors/api-error";

const encoder = new TextEncoder();
const MIN_TOKEN_LENGTH = 16;

/** Constant-time equality of two secrets: compares SHA-256 digests, so lengths leak nothing either. */
async function sameSecret(a: string, b: string): Promise<boolean> {
  const [da, db] = await Promise.all([crypto.subtle.digest("SHA-256", encoder.encode(a)), crypto.subtle.digest("SHA-256", encoder.encode(b))]);
  return crypto.subtle.timingSafeEqual(da, db);
}

/**
 * Guards the /v1/admin routes with `Authorization: Bearer <ADMIN_TOKEN>`. No token sent →
 * 401 with a WWW-Authenticate challenge; a wrong one → 403; no usable ADMIN_TOKEN
 * configured → 503 (admin is disabled, never open).
 */
export const adminAuth = () =>
  createMiddleware<AppEnv>(async (c, next) => {
    const expected = c.var.services.config.ADMIN_TOKEN;
    // A short token is a misconfiguration, not a password: admin stays closed, the API up.
    if (!expected || expected.length < MIN_TOKEN_LENGTH) {
      throw new ApiError("service_unavailable", `Admin routes are disabled: ADMIN_TOKEN is missing or shorter than ${MIN_TOKEN_LENGTH} characters.`);
    }
    const header = c.req.header("Authorization");
    const match = header ? /^Bearer\s+(\S+)\s*$/i.exec(header) : null;
    if (!match) {
      throw new ApiError("unauthorized", "Send the admin token as `Authorization: Bearer <token>`.", { headers: { "WWW-Authenticate": 'Bearer realm="kensho-admin"' } });
    }
    if (!(await sameSecret(match[1], expected))) throw new ApiError("forbidden", "The admin token is not valid.");
    await next();
    // Admin answers depend on who asks: no cache, ours or anyone's, may keep them.
    c.header("Cache-Control", "no-store");
  });
