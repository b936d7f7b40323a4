import { ApiError } from "../errors/api-error";
import { b64url, fromB64url } from "../catalog/cursor";

/**
 * Search cursor: the offset into the ranked list plus a fingerprint of the query it was
 * issued for. A search ranks a bounded pool (MAX_RESULTS), recomputed identically for each
 * page, so an offset is exact as long as the catalog did not change between pages.
 */
const invalid = () => new ApiError("invalid_cursor", "The cursor is not one this API issued.");

export function encodeSearchCursor(offset: number, fingerprint: string): string {
  return b64url(JSON.stringify(["s1", offset, fingerprint]));
}

export function decodeSearchCursor(raw: string, fingerprint: string): number {
  let parts: unknown;
  try {
    parts = JSON.parse(fromB64url(raw));
  } catch {
    throw invalid();
  }
  if (!Array.isArray(parts) || parts.length !== 3 || parts[0] !== "s1" || !Number.isSafeInteger(parts[1]) || parts[1] < 0) throw invalid();
  if (parts[2] !== fingerprint) throw new ApiError("invalid_cursor", "The cursor was issued for a different query, mode or filters; start again without a cursor.");
  return parts[1];
}
