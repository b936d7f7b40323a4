import { describe, expect, it } from "vitest";
import { DEFAULT_LIMITS, limitsFrom } from "./tiers";
import { generateKey, KEY_SHAPE } from "./key-store";

describe("tier limits", () => {
  it("are the production defaults without overrides", () => {
    expect(limitsFrom(undefined)).toEqual(DEFAULT_LIMITS);
    expect(DEFAULT_LIMITS.free).toEqual({ daily: 100, queries: 10, burst: 2 });
    expect(DEFAULT_LIMITS.enterprise.daily).toBeNull();
  });

  it("take partial overrides from RATE_LIMITS", () => {
    const l = limitsFrom(JSON.stringify({ anonymous: { daily: 1_000_000, burst: 1000 } }));
    expect(l.anonymous).toEqual({ daily: 1_000_000, queries: 5, burst: 1000 });
    expect(l.free).toEqual(DEFAULT_LIMITS.free);
  });

  it("refuse a malformed override", () => {
    expect(() => limitsFrom('{"gold":{"daily":1}}')).toThrow();
    expect(() => limitsFrom('{"free":{"daily":-1}}')).toThrow();
    expect(() => limitsFrom("not json")).toThrow();
  });
});

describe("generated keys", () => {
  it("have the recognisable shape", () => {
    for (let i = 0; i < 50; i++) expect(generateKey()).toMatch(KEY_SHAPE);
  });
});
