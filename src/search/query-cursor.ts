import { ApiError } from "../errors/api-error";
import { b64url, filtersFingerprint, fromB64url } from "../catalog/cursor";

export const QUERY_STRATEGIES = ["similar", "search", "browse"] as const;
export type QueryStrategy = (typeof QUERY_STRATEGIES)[number];

/**
 * Where a walk stands within its strategy: the strategy's own cursor (`inner`: SearchService's
 * for a search without a sort, catalog.browse's for browse), or an offset into a set ranked
 * whole on every page (similar; a search with a sort), with whether the vector leg ranked it.
 */
export type QueryPosition = { inner: string } | { offset: number; vector: boolean };

/**
 * A /v1/query cursor: base64url JSON ["q1", strategy, position, query, reading]. `query`
 * fingerprints the request (normalised query text, limit, include_adult), checked before the
 * query is read; `reading` fingerprints the interpretation it was read as, checked once it is
 * read again, so every page of a walk answers the same interpretation.
 */
export interface QueryCursor {
  strategy: QueryStrategy;
  position: QueryPosition;
  query: string;
  reading: string;
}

const notIssued = () => new ApiError("invalid_cursor", "The cursor is not one this API issued.");

export function encodeQueryCursor(c: QueryCursor): string {
  const position = "inner" in c.position ? c.position.inner : [c.position.offset, c.position.vector ? 1 : 0];
  return b64url(JSON.stringify(["q1", c.strategy, position, c.query, c.reading]));
}

function parse(raw: string): unknown {
  try {
    return JSON.parse(fromB64url(raw));
  } catch {
    throw notIssued();
  }
}

/** Decodes a cursor and checks it was issued for this request; throws invalid_cursor (400). */
export function decodeQueryCursor(raw: string, queryFingerprint: string): QueryCursor {
  const parts = parse(raw);
  if (!Array.isArray(parts) || parts.length !== 5 || parts[0] !== "q1") throw notIssued();
  const [, strategy, position, query, reading] = parts;
  if (!(QUERY_STRATEGIES as readonly unknown[]).includes(strategy) || typeof query !== "string" || typeof reading !== "string") throw notIssued();
  const offsetOk = Array.isArray(position) && position.length === 2 && Number.isSafeInteger(position[0]) && position[0] >= 0 && (position[1] === 0 || position[1] === 1);
  if (typeof position !== "string" && !offsetOk) throw notIssued();
  if (query !== queryFingerprint) throw new ApiError("invalid_cursor", "The cursor was issued for a different query, limit or include_adult; start again without a cursor.");
  return { strategy, position: typeof position === "string" ? { inner: position } : { offset: position[0], vector: position[1] === 1 }, query, reading };
}

/**
 * The position of `cursor` for the reading this request arrived at; throws invalid_cursor when
 * the query now reads differently (a new catalog entry matched a title, the parser answered
 * otherwise) or the position is not of the kind this strategy pages by.
 */
export function positionFor(cursor: QueryCursor, strategy: QueryStrategy, reading: string, kind: "inner" | "offset"): QueryPosition {
  if (cursor.strategy !== strategy || cursor.reading !== reading) {
    throw new ApiError("invalid_cursor", "The query is read differently from when this cursor was issued (see interpretation); start again without a cursor.");
  }
  if (!(kind in cursor.position)) throw notIssued();
  return cursor.position;
}

/** Fingerprint of any JSON value, whatever the order of its keys. */
export function readingFingerprint(value: unknown): string {
  return filtersFingerprint({ r: JSON.stringify(canonical(value)) });
}

const canonical = (v: unknown): unknown =>
  Array.isArray(v) ? v.map(canonical) : v && typeof v === "object" ? Object.fromEntries(Object.keys(v).sort().map((k) => [k, canonical((v as Record<string, unknown>)[k])])) : v;
