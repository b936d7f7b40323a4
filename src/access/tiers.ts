import { z } from "zod";

/**
 * Access tiers and their limits: the one place they are defined. `daily` counts requests per
 * UTC day, `queries` counts model-backed calls per UTC day (`/v1/query`, image and multimodal
 * search: src/middleware/rate-limit.ts QUERY_PATHS; null: unlimited),
 * `burst` is requests per second (a token bucket of that size, refilled at that rate).
 * These are the production defaults; the `RATE_LIMITS` var (JSON, same shape, any subset)
 * overrides them — the local profile raises every tier's limits alike, tests set their own.
 */
export const TIER_NAMES = ["anonymous", "free", "premium", "enterprise"] as const;
export type TierName = (typeof TIER_NAMES)[number];
/** Tiers an API key can have (anonymous is the tier of callers without one). */
export const KEY_TIERS = ["free", "premium", "enterprise"] as const;

export interface TierLimits {
  daily: number | null;
  queries: number | null;
  burst: number;
}

/**
 * Set with the competition in mind (README "API keys and limits"): Jikan serves ~60 reads a
 * minute with no key, AniList ~90; reads here are mostly cache hits, so an anonymous hobby app
 * gets 2/s and 5,000 a day, a free key more. Queries cost a Workers AI call each in
 * production, so their budget is smaller. Every tier allows at least what the one before it
 * does (a key is never stricter than no key: tiers.test.ts holds defaults and the local
 * profile to that).
 */
export const DEFAULT_LIMITS: Record<TierName, TierLimits> = {
  anonymous: { daily: 5_000, queries: 25, burst: 2 },
  free: { daily: 20_000, queries: 250, burst: 5 },
  premium: { daily: 250_000, queries: 5_000, burst: 25 },
  enterprise: { daily: null, queries: null, burst: 100 },
};

const LimitsSchema = z.object({
  daily: z.number().int().positive().nullable(),
  queries: z.number().int().positive().nullable(),
  /** Below 1 the bucket could never hold a whole request. */
  burst: z.number().min(1),
});
const OverridesSchema = z.partialRecord(z.enum(TIER_NAMES), LimitsSchema.partial());

// Deliberate per-isolate cache: the RATE_LIMITS var is fixed for the isolate's life.
const parsed = new Map<string, Record<TierName, TierLimits>>();

/** limitsFrom, parsed once per isolate (the limiter calls it on every request). */
export function limitsOf(raw: string | undefined): Record<TierName, TierLimits> {
  if (!raw) return DEFAULT_LIMITS;
  let l = parsed.get(raw);
  if (!l) parsed.set(raw, (l = limitsFrom(raw)));
  return l;
}

/** The limits in force: defaults with the RATE_LIMITS overrides applied. Throws on a malformed var. */
export function limitsFrom(raw: string | undefined): Record<TierName, TierLimits> {
  if (!raw) return DEFAULT_LIMITS;
  const overrides = OverridesSchema.parse(JSON.parse(raw));
  return Object.fromEntries(TIER_NAMES.map((t) => [t, { ...DEFAULT_LIMITS[t], ...overrides[t] }])) as Record<TierName, TierLimits>;
}
