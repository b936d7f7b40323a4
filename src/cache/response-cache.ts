import { currentGeneration, latestGeneration, type Generation } from "./generation";
import { animeKeys, generationKeys } from "./keys";
import { POLICIES, type Policy, type PolicyName } from "./policies";
import type { CacheKeys, CacheRead, Loaded, TieredCache } from "./tiered-cache";

/**
 * A value read through the cache, with where it came from (for the response headers).
 * Each form is made at most once per request: a value this request loaded is never parsed
 * back from its own JSON, and a hit is parsed only when `value` is read (a route that sends
 * the stored JSON as it is never parses it).
 */
export interface Cached<T> {
  /** Null when the value is a cached or fresh "not found". Parsed on first read. */
  readonly value: T | null;
  /** The value's JSON exactly as stored (null for "not found"): a response body as it is. */
  readonly json: string | null;
  read: CacheRead;
  policy: Policy;
}

/**
 * The cache as routes use it: values (not responses) keyed by what identifies them, so that
 * everything caller-specific (the request id, the `fields` projection) is added per request,
 * after the cache. A loader returning null is a 404, cached for seconds. When KV cannot say
 * what the catalog generation is, reads bypass the cache (straight to D1, nothing stored)
 * rather than fail.
 */
export class ResponseCache {
  constructor(
    private readonly tiered: TieredCache,
    private readonly kv: KVNamespace,
    private readonly now: () => number,
  ) {}

  generation(): Promise<Generation | null> {
    return currentGeneration(this.kv, this.now());
  }

  /** One anime by id. */
  async anime<T>(id: number, load: () => Promise<T | null>): Promise<Cached<T>> {
    const g = await this.generation();
    return this.through(g && animeKeys(g, id), "entity", load, g);
  }

  /**
   * A list, search result or lookup: `kind` names the route, `params` are its validated
   * parameters with defaults filled in (so equivalent URLs share one key). `policyOf` may
   * shorten the life of a particular value (a degraded search).
   */
  async list<T>(kind: string, params: Record<string, unknown>, load: () => Promise<T | null>, policy: PolicyName = "list", policyOf?: (v: T) => PolicyName | null): Promise<Cached<T>> {
    const g = await this.generation();
    return this.through(g && (await generationKeys(g, kind, params)), policy, load, g, policyOf);
  }

  /**
   * Stores a value computed ahead of requests (the hourly curated lists) under generation
   * `g`, read before computing it: if the catalog changed meanwhile, nothing is stored.
   */
  async write(kind: string, params: Record<string, unknown>, value: unknown, policy: PolicyName, g: Generation): Promise<boolean> {
    if ((await latestGeneration(this.kv)).gen !== g.gen) return false;
    await this.tiered.write(await generationKeys(g, kind, params), { value: JSON.stringify(value), status: 200, policy: POLICIES[policy] });
    return true;
  }

  private async through<T>(keys: CacheKeys | null, name: PolicyName, load: () => Promise<T | null>, g: Generation | null, policyOf?: (v: T) => PolicyName | null): Promise<Cached<T>> {
    let loaded: { value: T } | undefined;
    const loader = async (): Promise<Loaded> => {
      const value = await load();
      loaded = value === null ? undefined : { value };
      if (value === null) return { value: "null", status: 404, policy: POLICIES.notFound };
      return { value: JSON.stringify(value), status: 200, policy: POLICIES[policyOf?.(value) ?? name] };
    };
    // A value loaded before a write must not be stored after it: the generation is re-read
    // from KV (not the memo) just before the shared tiers are written. A generation this
    // isolate bumped but KV does not hold yet (generation.ts) never matches: values read
    // under it stay in L0.
    const unchanged = async () => g !== null && (await latestGeneration(this.kv).catch(() => null))?.gen === g.gen;
    const read = keys ? await this.tiered.read(keys, loader, unchanged, POLICIES[name]) : await this.tiered.bypass(loader);
    const found = read.record.status !== 404;
    // The object this request loaded, when the record is its JSON (a miss or a bypass; a
    // background refresh never hands its value to this request).
    let parsed: { value: T } | undefined = read.tier === "MISS" || read.tier === "BYPASS" ? loaded : undefined;
    const valueOf = (): T | null => (found ? (parsed ??= { value: JSON.parse(read.record.value) as T }).value : null);
    const policy = !found ? POLICIES.notFound : policyOf ? POLICIES[policyOf(valueOf()!) || name] : POLICIES[name];
    return {
      get value() {
        return valueOf();
      },
      json: found ? read.record.value : null,
      read,
      policy,
    };
  }
}
