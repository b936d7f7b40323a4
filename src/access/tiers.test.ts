import { describe, expect, it } from "vitest";
import { unstable_readConfig } from "wrangler";
import { DEFAULT_LIMITS, TIER_NAMES, limitsFrom } from "./tiers";
import { generateKey, KEY_SHAPE } from "./key-store";

describe("tier limits", () => {
  it("are the production defaults without overrides", () => {
    expect(limitsFrom(undefined)).toEqual(DEFAULT_LIMITS);
    expect(DEFAULT_LIMITS.free).toEqual({ daily: 20_000, queries: 250, burst: 5 });
    expect(DEFAULT_LIMITS.enterprise.daily).toBeNull();
  });

  it("take partial overrides from RATE_LIMITS", () => {
    const l = limitsFrom(JSON.stringify({ anonymous: { daily: 1_000_000, burst: 1000 } }));
    expect(l.anonymous).toEqual({ daily: 1_000_000, queries: DEFAULT_LIMITS.anonymous.queries, burst: 1000 });
    expect(l.free).toEqual(DEFAULT_LIMITS.free);
  });

  it("never make a tier stricter than the one before it, by default and in every wrangler.toml profile", () => {
    const atLeast = (a: number | null, b: number | null) => a === null || (b !== null && a >= b);
    const ordered = (l: ReturnType<typeof limitsFrom>) =>
      TIER_NAMES.slice(1).every((t, i) => {
        const [hi, lo] = [l[t], l[TIER_NAMES[i]]];
        return atLeast(hi.daily, lo.daily) && atLeast(hi.queries, lo.queries) && hi.burst >= lo.burst;
      });
    expect(ordered(DEFAULT_LIMITS)).toBe(true);
    // The local profile (npm start) raises anonymous limits: a local key must not be stricter.
    for (const env of [undefined, "production"]) {
      const vars = unstable_readConfig({ config: "wrangler.toml", env }, { hideWarnings: true }).vars as Record<string, string | undefined>;
      expect(ordered(limitsFrom(vars.RATE_LIMITS)), `profile ${env ?? "local"}`).toBe(true);
    }
    // And the check bites: a raised anonymous tier above an untouched free tier fails it.
    expect(ordered(limitsFrom(JSON.stringify({ anonymous: { daily: 100_000_000, burst: 100_000 } })))).toBe(false);
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
