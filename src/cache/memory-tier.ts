import type { CacheRecord, CacheTier } from "./interface";

/** L0 bounds: a few thousand small JSON bodies, at most 16 MB of text, 10 s each. */
export const L0_MAX_ENTRIES = 5000;
export const L0_MAX_BYTES = 16 * 1024 * 1024;
export const L0_TTL_MS = 10_000;

/**
 * L0: a per-isolate LRU (a Map keeps insertion order; a hit re-inserts), bounded in entries
 * and bytes, holding each record at most L0_TTL_MS whatever its own freshness: isolates do
 * not hear of invalidations made elsewhere except through the catalog generation.
 */
export class MemoryTier implements CacheTier {
  readonly name = "L0";
  private readonly entries = new Map<string, CacheRecord>();
  private bytes = 0;

  constructor(
    private readonly maxEntries = L0_MAX_ENTRIES,
    private readonly maxBytes = L0_MAX_BYTES,
  ) {}

  async get(key: string): Promise<CacheRecord | null> {
    const r = this.entries.get(key);
    if (!r) return null;
    this.entries.delete(key);
    this.entries.set(key, r);
    return r;
  }

  async put(key: string, record: CacheRecord, now: number): Promise<void> {
    const size = record.value.length * 2 + key.length * 2;
    if (size > this.maxBytes) return;
    this.remove(key);
    const cap = now + L0_TTL_MS;
    this.entries.set(key, { ...record, freshUntil: Math.min(record.freshUntil, cap), staleUntil: Math.min(record.staleUntil, cap) });
    this.bytes += size;
    for (const [oldest] of this.entries) {
      if (this.entries.size <= this.maxEntries && this.bytes <= this.maxBytes) break;
      this.remove(oldest);
    }
  }

  async delete(key: string): Promise<void> {
    this.remove(key);
  }

  /** Empties the tier (tests; an isolate never needs it). */
  clear(): void {
    this.entries.clear();
    this.bytes = 0;
  }

  get size(): { entries: number; bytes: number } {
    return { entries: this.entries.size, bytes: this.bytes };
  }

  private remove(key: string): void {
    const r = this.entries.get(key);
    if (!r) return;
    this.entries.delete(key);
    this.bytes -= r.value.length * 2 + key.length * 2;
  }
}

// Deliberate per-isolate state: L0 is, by definition, this isolate's memory.
export const isolateMemory = new MemoryTier();
