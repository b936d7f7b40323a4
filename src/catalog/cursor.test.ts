import { describe, expect, it } from "vitest";
import { ApiError } from "../errors/api-error";
import { decodeCursor, encodeCursor, filtersFingerprint } from "./cursor";

const state = { sort: "title" as const, order: "asc" as const, key: "cowboy bebop: 天国の扉", id: 5, filters: filtersFingerprint({ genres: ["sci-fi"] }) };

describe("cursor", () => {
  it("round-trips, including non-ASCII keys", () => {
    expect(decodeCursor(encodeCursor(state), state)).toEqual(state);
  });

  it("is URL-safe", () => {
    expect(encodeCursor(state)).toMatch(/^[A-Za-z0-9_-]+$/);
  });

  // Each malformed cursor carries the expected sort, order and fingerprint, so only the
  // check under test can reject it.
  const f = state.filters;
  const raw = (parts: unknown[]) => btoa(JSON.stringify(parts)).replace(/=+$/, "");
  it.each([
    ["empty", ""],
    ["not base64", "!!!"],
    ["not an array", raw([])],
    ["wrong version", raw([2, "title", "asc", "a", 5, f])],
    ["numeric key for title", raw([1, "title", "asc", 1, 5, f])],
    ["non-integer id", raw([1, "title", "asc", "a", 1.5, f])],
    ["missing id", raw([1, "title", "asc", "a", null, f])],
  ])("rejects a cursor with %s", (_name, cursor) => {
    expect(() => decodeCursor(cursor, state)).toThrow(ApiError);
  });

  it("rejects a string key where the sort key is numeric", () => {
    const expect_ = { sort: "score" as const, order: "desc" as const, filters: f };
    expect(() => decodeCursor(raw([1, "score", "desc", "high", 5, f]), expect_)).toThrow(ApiError);
    expect(decodeCursor(raw([1, "score", "desc", 8.5, 5, f]), expect_)).toMatchObject({ key: 8.5, id: 5 });
  });

  it("rejects a cursor used with other filters or another order", () => {
    const c = encodeCursor(state);
    expect(() => decodeCursor(c, { ...state, filters: filtersFingerprint({ genres: ["drama"] }) })).toThrow(/different/);
    expect(() => decodeCursor(c, { ...state, order: "desc" })).toThrow(/different/);
  });

  it("fingerprints filters independently of key order", () => {
    expect(filtersFingerprint({ a: 1, b: [2] })).toBe(filtersFingerprint({ b: [2], a: 1 }));
    expect(filtersFingerprint({ a: 1 })).not.toBe(filtersFingerprint({ a: 2 }));
  });
});
