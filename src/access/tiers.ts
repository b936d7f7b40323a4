import { z } from "zod";

/**
 * Access tiers and their limits: the one place they are defined. `daily` counts requests per
 * UTC day, `queries` counts model-backed calls per UTC day (`/v1/query`, image and multimodal
 * search: src/middleware/rate-limit.ts QUERY_PATHS; null: unlimited),
 * `burst` is requests per second (a token bucket of that size, refilled at that rate).
 * These are the production defaults; the `RATE_LIMITS` var (JSON, same shape, any subset)
 * overrides them — the local profile raises the anonymous limits, tests set their own.
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

export const DEFAULT_LIMITS: Record<TierName, TierLimits> = {
  anonymous: { daily: 50, queries: 5, burst: 1 },
  free: { daily: 100, queries: 10, burst: 2 },
  premium: { daily: 1000, queries: 200, burst: 10 },
  enterprise: { daily: null, queries: null, burst: 50 },
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
