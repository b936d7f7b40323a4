/**
 * How long each kind of cached value is fresh, then servable stale while a background
 * refresh runs (stale-while-revalidate), in seconds. fresh + swr is the hard limit past
 * which nothing is served. Entities are invalidated by key on every write, so they can live
 * long; lists and searches are keyed by the catalog generation, so a write retires them at
 * once whatever these say; "not found" and degraded answers are kept for seconds only.
 */
export const POLICIES = {
  entity: { fresh: 300, swr: 3300 },
  list: { fresh: 60, swr: 540 },
  search: { fresh: 60, swr: 240 },
  curated: { fresh: 3600, swr: 3600 },
  notFound: { fresh: 5, swr: 0 },
  degraded: { fresh: 5, swr: 0 },
} as const satisfies Record<string, Policy>;

export interface Policy {
  fresh: number;
  swr: number;
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
