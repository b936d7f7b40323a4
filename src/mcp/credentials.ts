import type { Context } from "hono";
import type { AppEnv } from "../context";
import { ApiError } from "../errors/api-error";
import { hashKey, KEY_SHAPE } from "../access/key-store";
import { KEY_PARAMS, presentedKey } from "../middleware/rate-limit";

/** The headers a tool call forwards to the route it dispatches: the caller's key and address (the anonymous quota is per IP). */
export const FORWARDED_HEADERS = ["Authorization", "X-API-Key", "CF-Connecting-IP", "User-Agent"];

/**
 * Refuses a key the REST routes would refuse, without spending a unit: a key in the query
 * string (every /mcp request), and at the handshake (`initialize`, `server/discover`) a
 * malformed, unknown or revoked key, so a misconfigured client fails when it connects rather
 * than on its first tool call. No key is fine: anonymous, under the anonymous limits. Tool
 * calls are metered by the routes they dispatch, which check the key again.
 */
export async function refuseBadKey(c: Context<AppEnv>, handshake: boolean): Promise<void> {
  const { config, quota, now } = c.var.services;
  if (config.RATE_LIMITING === "off") return; // as the REST limiter: no key is read at all
  const params = new URL(c.req.url).searchParams;
  if (KEY_PARAMS.some((p) => params.has(p))) {
    throw new ApiError("invalid_api_key", "API keys are refused in the query string; send `Authorization: Bearer <key>` or `X-API-Key`.");
  }
  if (!handshake) return;
  const key = presentedKey(c.req.header("Authorization"), c.req.header("X-API-Key"));
  if (key === null) return;
  if (!KEY_SHAPE.test(key)) throw new ApiError("invalid_api_key", "The API key is malformed.");
  const { key: state } = await quota.standing(`key:${await hashKey(key)}`, now());
  if (!state) throw new ApiError("invalid_api_key", "The API key is not known.");
  if (state.revoked) throw new ApiError("invalid_api_key", "The API key was revoked.");
}
