import { ApiError } from "../errors/api-error";
import type { Sort } from "./filters";

/**
 * Keyset cursor: the sort key and id of the last row served, plus the sort and a
 * fingerprint of the filters it was issued for. Keyset paging never skips or repeats a
 * row that existed for the whole walk, however many rows are added meanwhile.
 */
export interface CursorState {
  sort: Sort;
  order: "asc" | "desc";
  /** Sort key of the last row (coalesced, never null). */
  key: number | string;
  id: number;
  /** Fingerprint of the filters; a cursor is only valid with the same filters. */
  filters: string;
}

export const b64url = (s: string) => btoa(String.fromCharCode(...new TextEncoder().encode(s))).replace(/\+/g, "-").replace(/\//g, "_").replace(/=+$/, "");
export const fromB64url = (s: string) => new TextDecoder().decode(Uint8Array.from(atob(s.replace(/-/g, "+").replace(/_/g, "/")), (ch) => ch.charCodeAt(0)));

export function encodeCursor(c: CursorState): string {
  return b64url(JSON.stringify([1, c.sort, c.order, c.key, c.id, c.filters]));
}

/** Decodes and checks a cursor against the current request; throws invalid_cursor (400). */
export function decodeCursor(raw: string, expect: { sort: Sort; order: "asc" | "desc"; filters: string }): CursorState {
  let parts: unknown;
  try {
    parts = JSON.parse(fromB64url(raw));
  } catch {
    throw new ApiError("invalid_cursor", "The cursor is not one this API issued.");
  }
  if (!Array.isArray(parts) || parts.length !== 6 || parts[0] !== 1) throw new ApiError("invalid_cursor", "The cursor is not one this API issued.");
  const [, sort, order, key, id, filters] = parts;
  const keyOk = sort === "title" ? typeof key === "string" : typeof key === "number" && Number.isFinite(key);
  if (!keyOk || !Number.isSafeInteger(id)) throw new ApiError("invalid_cursor", "The cursor is not one this API issued.");
  if (sort !== expect.sort || order !== expect.order || filters !== expect.filters) {
    throw new ApiError("invalid_cursor", "The cursor was issued for a different sort, order or filters; start again without a cursor.");
  }
  return { sort, order, key, id, filters };
}

/** FNV-1a of the canonical JSON of the filters: short, stable, not a secret. */
export function filtersFingerprint(filters: object): string {
  const json = JSON.stringify(filters, Object.keys(filters).sort());
  let h = 0x811c9dc5;
  for (let i = 0; i < json.length; i++) {
    h ^= json.charCodeAt(i);
    h = Math.imul(h, 0x01000193) >>> 0;
  }
  return h.toString(36);
}
