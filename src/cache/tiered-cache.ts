import type { CacheRecord, CacheTier, TierName } from "./interface";
import type { Policy } from "./policies";

/** The key of one value in each tier: L0/L1 (`local`) and L2 (`shared`) may differ (keys.ts). */
export interface CacheKeys {
  local: string;
  shared: string;
}

/** What a loader returns: the JSON text, whether it is a 404, and how long to keep it. */
export interface Loaded {
  value: string;
  status: 200 | 404;
  policy: Policy;
}

export interface CacheRead {
  record: CacheRecord;
  /** The tier that answered, MISS when the loader (D1) did, BYPASS when the cache was not consulted. */
  tier: TierName | "MISS" | "BYPASS";
  /** Served past its freshness (a background refresh was started). */
  stale: boolean;
}

// Deliberate per-isolate state: keys whose background refresh is running (since when), so a
// burst of stale hits starts one refresh, not one per request. A refresh the runtime cut
// short never clears its mark, so a mark older than REFRESH_LOCK_MS is ignored.
const refreshing = new Map<string, number>();
const REFRESH_LOCK_MS = 30_000;

/**
 * Read-through over the tiers, fastest first (L0 memory → L1 Cache API → L2 KV), then the
 * loader (D1). A hit is copied into the faster tiers; a miss is stored in all of them (L0 at
 * once, the others after the response via waitUntil). A record is served while fresh; past
 * freshness and before its hard limit it is served stale and refreshed in the background;
 * past the hard limit it is a miss. A failing tier counts as a miss, never as an error.
 * A policy with `l2: false` (searches) leaves KV out: it is neither read nor written.
 */
export class TieredCache {
  constructor(
    private readonly tiers: CacheTier[],
    private readonly now: () => number,
    private readonly waitUntil: (p: Promise<unknown>) => void,
    private readonly onError: (tier: TierName, op: string, err: unknown) => void = () => {},
  ) {}

  private keyFor(tier: CacheTier, keys: CacheKeys): string {
    return tier.name === "L2" ? keys.shared : keys.local;
  }

  /**
   * `stillCurrent` is asked, after loading and before storing in the shared tiers, whether
   * the catalog changed meanwhile: a value loaded before a write is not stored after it.
   * `policy.l2` false (the route's policy) skips KV; a loaded value whose own policy says so
   * is not stored there either.
   */
  async read(keys: CacheKeys, load: () => Promise<Loaded>, stillCurrent: () => Promise<boolean> = async () => true, policy?: Policy): Promise<CacheRead> {
    const now = this.now();
    const tiers = this.tiersFor(policy);
    for (let i = 0; i < tiers.length; i++) {
      const tier = tiers[i];
      const record = await tier.get(this.keyFor(tier, keys)).catch((e) => (this.onError(tier.name, "get", e), null));
      if (!record || now >= record.staleUntil) continue;
      // Copied into the faster tiers: L0 at once (its keys carry the generation); the Cache
      // API only if the catalog did not change meanwhile (an L2 hit may predate a write).
      await this.store(tiers.slice(0, i).filter((t) => t.name === "L0"), keys, record);
      const shared = tiers.slice(0, i).filter((t) => t.name !== "L0");
      if (shared.length) this.waitUntil(stillCurrent().then((ok) => (ok ? this.store(shared, keys, record) : undefined)));
      const stale = now >= record.freshUntil;
      if (stale) this.refresh(keys, load, stillCurrent, policy);
      return { record, tier: tier.name, stale };
    }
    const loaded = await load();
    const record = this.recordOf(loaded);
    const into = this.tiersFor(policy, loaded.policy);
    await this.store(into.filter((t) => t.name === "L0"), keys, record);
    this.waitUntil(stillCurrent().then((ok) => (ok ? this.store(into.filter((t) => t.name !== "L0"), keys, record) : undefined)));
    return { record, tier: "MISS", stale: false };
  }

  /** Loads without consulting or filling any tier (when the generation is unknown). */
  async bypass(load: () => Promise<Loaded>): Promise<CacheRead> {
    return { record: this.recordOf(await load()), tier: "BYPASS", stale: false };
  }

  /** Stores a value in every tier its policy allows, now (the cron's precomputed lists; refreshes). */
  async write(keys: CacheKeys, loaded: Loaded, policy?: Policy): Promise<void> {
    const record = this.recordOf(loaded);
    await Promise.all(this.tiersFor(policy, loaded.policy).map((t) => t.put(this.keyFor(t, keys), record, this.now()).catch((e) => this.onError(t.name, "put", e))));
  }

  /** Deletes a value from every tier. */
  async delete(keys: CacheKeys): Promise<void> {
    await Promise.all(this.tiers.map((t) => t.delete(this.keyFor(t, keys)).catch((e) => this.onError(t.name, "delete", e))));
  }

  /** The tiers every given policy allows (KV only if none says `l2: false`). */
  private tiersFor(...policies: (Policy | undefined)[]): CacheTier[] {
    return policies.some((p) => p?.l2 === false) ? this.tiers.filter((t) => t.name !== "L2") : this.tiers;
  }

  private recordOf(l: Loaded): CacheRecord {
    const storedAt = this.now();
    return { value: l.value, status: l.status, storedAt, freshUntil: storedAt + l.policy.fresh * 1000, staleUntil: storedAt + (l.policy.fresh + l.policy.swr) * 1000 };
  }

  /** L0 synchronously (the next request in this isolate must hit it); slower tiers after the response. */
  private async store(tiers: CacheTier[], keys: CacheKeys, record: CacheRecord): Promise<void> {
    for (const t of tiers) {
      const put = t.put(this.keyFor(t, keys), record, this.now()).catch((e) => this.onError(t.name, "put", e));
      if (t.name === "L0") await put;
      else this.waitUntil(put);
    }
  }

  private refresh(keys: CacheKeys, load: () => Promise<Loaded>, stillCurrent: () => Promise<boolean>, policy?: Policy): void {
    const since = refreshing.get(keys.local);
    if (since !== undefined && this.now() - since < REFRESH_LOCK_MS && this.now() >= since) return;
    refreshing.set(keys.local, this.now());
    this.waitUntil(
      load()
        .then(async (l) => ((await stillCurrent()) ? this.write(keys, l, policy) : undefined))
        .catch((e) => this.onError("L0", "refresh", e))
        .finally(() => refreshing.delete(keys.local)),
    );
  }
}
