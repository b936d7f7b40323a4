import type { CacheRecord, CacheTier } from "./interface";

const ORIGIN = "https://cache.kensho.internal/";
const META = "X-Kensho-Cache-Record";

/**
 * L1: the Cache API of the data centre (`caches.default`), under a synthetic URL per key.
 * The timing travels in a header; `Cache-Control: max-age` lets the runtime drop the entry
 * at the hard limit on its own. Deletion reaches this data centre only — which is why L1
 * keys carry the catalog generation (see keys.ts).
 */
export class CacheApiTier implements CacheTier {
  readonly name = "L1";

  constructor(private readonly cache: Cache) {}

  private request(key: string): Request {
    return new Request(ORIGIN + encodeURIComponent(key));
  }

  async get(key: string): Promise<CacheRecord | null> {
    const res = await this.cache.match(this.request(key));
    if (!res) return null;
    const meta = JSON.parse(res.headers.get(META) ?? "null") as Omit<CacheRecord, "value"> | null;
    return meta ? { ...meta, value: await res.text() } : null;
  }

  async put(key: string, record: CacheRecord, now: number): Promise<void> {
    const { value, ...meta } = record;
    const maxAge = Math.max(1, Math.ceil((record.staleUntil - now) / 1000));
    const headers = { "Content-Type": "application/json", "Cache-Control": `max-age=${maxAge}`, [META]: JSON.stringify(meta) };
    await this.cache.put(this.request(key), new Response(value, { headers }));
  }

  async delete(key: string): Promise<void> {
    await this.cache.delete(this.request(key));
  }
}
