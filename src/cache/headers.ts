import type { Context } from "hono";
import { cacheControl } from "./policies";
import type { Cached } from "./response-cache";

/**
 * Says on the response which tier served it — `X-Cache: L0|L1|L2|MISS` and an RFC 9211
 * `Cache-Status` — plus `Age` and the `Cache-Control` of the value's policy.
 */
export function setCacheHeaders(c: Context, cached: Cached<unknown>, now: number): void {
  const { read, policy } = cached;
  const age = Math.max(0, Math.floor((now - read.record.storedAt) / 1000));
  const ttl = Math.floor((read.record.freshUntil - now) / 1000);
  c.header("X-Cache", read.tier);
  // ttl: freshness left in the tier that answered (L0 holds any value for 10 s at most).
  const status =
    read.tier === "MISS" ? "kensho; fwd=miss; stored" : read.tier === "BYPASS" ? "kensho; fwd=bypass" : `kensho; hit; ttl=${ttl}; detail=${read.tier}${read.stale ? "-stale" : ""}`;
  c.header("Cache-Status", status);
  c.header("Cache-Control", cacheControl(policy));
  c.header("Age", String(age));
}
