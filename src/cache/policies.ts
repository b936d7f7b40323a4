/**
 * How long each kind of cached value is fresh, then servable stale while a background
 * refresh runs (stale-while-revalidate), in seconds. fresh + swr is the hard limit past
 * which nothing is served. Entities are invalidated by key on every write, so they can live
 * long; lists and searches are keyed by the catalog generation, so a write retires them at
 * once whatever these say; "not found" and degraded answers are kept for seconds only.
 *
 * Searches stay out of KV (L2): anyone can make up new queries, and each would cost a KV
 * write (ten times a read's price, and a daily quota on the free plan) plus a KV lookup
 * that nearly always misses — the slowest tier lookup, paid by every new query. A search
 * lives five minutes at most and the next catalog write retires it, so sharing it across
 * data centres gains little; the data centre's Cache API (L1) already shares it between
 * isolates there.
 */
export const POLICIES = {
  entity: { fresh: 300, swr: 3300 },
  list: { fresh: 60, swr: 540 },
  search: { fresh: 60, swr: 240, l2: false },
  curated: { fresh: 3600, swr: 3600 },
  notFound: { fresh: 5, swr: 0 },
  degraded: { fresh: 5, swr: 0 },
} as const satisfies Record<string, Policy>;

export interface Policy {
  fresh: number;
  swr: number;
  /** False keeps the value out of KV (L2): neither looked up nor stored there. Default true. */
  l2?: boolean;
}
export type PolicyName = keyof typeof POLICIES;

/**
 * Cache-Control for clients and shared caches. Our tiers are invalidated on every write;
 * caches downstream are not, so they get at most a minute of freshness and a minute of
 * stale-while-revalidate: a change is never hidden from a caller for longer than that.
 */
export function cacheControl(p: Policy): string {
  const fresh = Math.min(p.fresh, DOWNSTREAM_MAX_S);
  if (p.swr === 0) return `public, max-age=${fresh}, s-maxage=${fresh}`;
  return `public, max-age=${fresh}, s-maxage=${fresh}, stale-while-revalidate=${Math.min(p.swr, DOWNSTREAM_MAX_S)}`;
}

const DOWNSTREAM_MAX_S = 60;
