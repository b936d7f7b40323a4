import { describe, expect, it } from "vitest";
import { ApiError } from "../errors/api-error";
import { decodeQueryCursor, encodeQueryCursor, positionFor, readingFingerprint, type QueryCursor } from "./query-cursor";

const code = (f: () => unknown) => {
  try {
    f();
  } catch (e) {
    return e instanceof ApiError ? e.code : String(e);
  }
  return "no error";
};

describe("query cursor", () => {
  const offset: QueryCursor = { strategy: "similar", position: { offset: 40, vector: true }, query: "q1x", reading: "r1x" };
  const inner: QueryCursor = { strategy: "browse", position: { inner: "WzEsInNjb3JlIl0" }, query: "q1x", reading: "r1x" };

  it("round-trips both kinds of position", () => {
    expect(decodeQueryCursor(encodeQueryCursor(offset), "q1x")).toEqual(offset);
    expect(decodeQueryCursor(encodeQueryCursor(inner), "q1x")).toEqual(inner);
    expect(positionFor(inner, "browse", "r1x", "inner")).toEqual({ inner: "WzEsInNjb3JlIl0" });
  });

  it("refuses another request's cursor, another reading, and the wrong kind of position", () => {
    expect(code(() => decodeQueryCursor(encodeQueryCursor(offset), "other"))).toBe("invalid_cursor");
    expect(code(() => positionFor(offset, "similar", "r2", "offset"))).toBe("invalid_cursor");
    expect(code(() => positionFor(offset, "search", "r1x", "offset"))).toBe("invalid_cursor");
    expect(code(() => positionFor(offset, "similar", "r1x", "inner"))).toBe("invalid_cursor");
  });

  it.each(["", "!!", "bnVsbA", btoa('["q1","similar",[1.5,1],"q1x","r1x"]'), btoa('["q1","similar",[1,2],"q1x","r1x"]'), btoa('["q1","similar",{},"q1x","r1x"]'), btoa('["q1","x","i","q1x","r1x"]')])(
    "%j is not a cursor this API issued",
    (raw) => {
      expect(code(() => decodeQueryCursor(raw, "q1x"))).toBe("invalid_cursor");
    },
  );

  it("the reading's fingerprint ignores key order, not values", () => {
    expect(readingFingerprint({ a: 1, f: { x: [1, 2], y: "z" } })).toBe(readingFingerprint({ f: { y: "z", x: [1, 2] }, a: 1 }));
    expect(readingFingerprint({ a: 1, f: { x: [1, 2] } })).not.toBe(readingFingerprint({ a: 1, f: { x: [2, 1] } }));
  });
});
