import { asc, eq } from "drizzle-orm";
import { drizzle, type DrizzleD1Database } from "drizzle-orm/d1";
import { apiKey } from "./schema";
import type { TierName } from "./tiers";
import type { QuotaObject } from "./quota-object";

/** Keys look like `ksk_` + 32 base64url characters (192 random bits). */
export const KEY_PREFIX = "ksk_";
export const KEY_SHAPE = /^ksk_[A-Za-z0-9_-]{32}$/;
/** Characters of a key kept (and shown) to recognise it: the marker and 6 random ones. */
const SHOWN = KEY_PREFIX.length + 6;

export function generateKey(): string {
  const bytes = crypto.getRandomValues(new Uint8Array(24));
  return KEY_PREFIX + btoa(String.fromCharCode(...bytes)).replace(/\+/g, "-").replace(/\//g, "_");
}

export async function hashKey(key: string): Promise<string> {
  const digest = await crypto.subtle.digest("SHA-256", new TextEncoder().encode(key));
  return [...new Uint8Array(digest)].map((b) => b.toString(16).padStart(2, "0")).join("");
}

/** What the API shows of a key: never the key, never its hash. */
export interface KeyRecord {
  id: number;
  prefix: string;
  name: string;
  tier: Exclude<TierName, "anonymous">;
  owner: string | null;
  created_at: string;
  updated_at: string;
  revoked_at: string | null;
}

type Row = typeof apiKey.$inferSelect;
const iso = (ms: number | null) => (ms === null ? null : new Date(ms).toISOString());
const toRecord = (r: Row): KeyRecord => ({
  id: r.id, prefix: r.prefix, name: r.name, tier: r.tier as KeyRecord["tier"], owner: r.owner,
  created_at: iso(r.createdAt)!, updated_at: iso(r.updatedAt)!, revoked_at: iso(r.revokedAt),
});

/**
 * API keys in D1. Contract: `create` returns the key exactly once; only its SHA-256 and
 * prefix are stored; revocation is permanent and idempotent. Requests never read this table:
 * a presented key is hashed and addresses its quota object (src/middleware/rate-limit.ts),
 * which holds what `tell` last pushed — so no secret is ever compared.
 */
export class KeyStore {
  private readonly orm: DrizzleD1Database;

  /**
   * `quota` is told of every change, synchronously: the quota object of a key holds its tier
   * and revocation, so the next request sees them whatever is cached.
   */
  constructor(
    db: D1Database,
    private readonly quota?: DurableObjectNamespace<QuotaObject>,
  ) {
    this.orm = drizzle(db);
  }

  private async tell(row: Row): Promise<void> {
    if (!this.quota) return;
    const name = `key:${row.hash}`;
    const state = { id: row.id, name: row.name, prefix: row.prefix, tier: row.tier as KeyRecord["tier"], revoked: row.revokedAt !== null };
    await this.quota.get(this.quota.idFromName(name)).configure(state, `key:${row.id}`);
  }

  async create(input: { name: string; tier: KeyRecord["tier"]; owner?: string | null }, now: number): Promise<{ record: KeyRecord; key: string }> {
    const key = generateKey();
    const row = await this.orm
      .insert(apiKey)
      .values({ prefix: key.slice(0, SHOWN), hash: await hashKey(key), name: input.name, tier: input.tier, owner: input.owner ?? null, createdAt: now, updatedAt: now })
      .returning()
      .get();
    await this.tell(row);
    return { record: toRecord(row), key };
  }

  async list(): Promise<KeyRecord[]> {
    return (await this.orm.select().from(apiKey).orderBy(asc(apiKey.id)).all()).map(toRecord);
  }

  async get(id: number): Promise<KeyRecord | null> {
    const row = await this.orm.select().from(apiKey).where(eq(apiKey.id, id)).get();
    return row ? toRecord(row) : null;
  }

  async update(id: number, change: { name?: string; tier?: KeyRecord["tier"] }, now: number): Promise<KeyRecord | null> {
    const row = await this.orm.update(apiKey).set({ ...change, updatedAt: now }).where(eq(apiKey.id, id)).returning().get();
    if (row) await this.tell(row);
    return row ? toRecord(row) : null;
  }

  async revoke(id: number, now: number): Promise<KeyRecord | null> {
    const current = await this.orm.select().from(apiKey).where(eq(apiKey.id, id)).get();
    if (!current) return null;
    if (current.revokedAt !== null) {
      await this.tell(current); // idempotent: repairs a quota object an earlier revocation failed to reach
      return toRecord(current);
    }
    const row = await this.orm.update(apiKey).set({ revokedAt: now, updatedAt: now }).where(eq(apiKey.id, id)).returning().get();
    await this.tell(row!);
    return toRecord(row!);
  }
}
