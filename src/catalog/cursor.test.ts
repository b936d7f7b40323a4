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

  it.each(["", "!!!", btoa("[]"), btoa('[1,"title","asc",1,5,"x"]'), btoa('[1,"score","desc","high",5,"x"]'), btoa('[1,"score","desc",1,1.5,"x"]')])(
    "rejects malformed cursor %j",
    (raw) => {
      expect(() => decodeCursor(raw, state)).toThrow(ApiError);
    },
  );

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
