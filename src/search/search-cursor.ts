import { ApiError } from "../errors/api-error";
import { b64url, fromB64url } from "../catalog/cursor";

/** Which legs ranked the first page of a walk: every later page must be ranked the same way. */
export type Legs = "keyword+vector" | "keyword" | "vector";
const LEGS: Legs[] = ["keyword+vector", "keyword", "vector"];

export interface SearchCursor {
  offset: number;
  legs: Legs;
}

/**
 * Search cursor: the offset into the ranked list, the legs that ranked it, and a fingerprint
 * of the query it was issued for. A search ranks a bounded pool (LEG_POOL per leg),
 * recomputed identically for each page; an offset is exact as long as the catalog did not
 * change between pages and the same legs answer (search-service.ts enforces the latter).
 */
const invalid = () => new ApiError("invalid_cursor", "The cursor is not one this API issued.");

export function encodeSearchCursor(c: SearchCursor, fingerprint: string): string {
  return b64url(JSON.stringify(["s2", c.offset, LEGS.indexOf(c.legs), fingerprint]));
}

export function decodeSearchCursor(raw: string, fingerprint: string): SearchCursor {
  let parts: unknown;
  try {
    parts = JSON.parse(fromB64url(raw));
  } catch {
    throw invalid();
  }
  if (!Array.isArray(parts) || parts.length !== 4 || parts[0] !== "s2") throw invalid();
  const [, offset, legs] = parts;
  if (!Number.isSafeInteger(offset) || offset < 0 || !Number.isInteger(legs) || !LEGS[legs]) throw invalid();
  if (parts[3] !== fingerprint) throw new ApiError("invalid_cursor", "The cursor was issued for a different query, mode or filters; start again without a cursor.");
  return { offset, legs: LEGS[legs] };
}
