import { and, desc, eq, gte } from "drizzle-orm";
import { drizzle } from "drizzle-orm/d1";
import { usageDaily } from "./schema";
import type { KeyState, LimitState, QuotaObject, Usage } from "./quota-object";
import { limitsOf } from "./tiers";
import type { LeaseBook } from "./leases";

const DAY_MS = 86_400_000;

/** What GET /v1/me and /v1/me/usage say about a caller (read-only: nothing is spent). */
export class QuotaService {
  constructor(
    private readonly namespace: DurableObjectNamespace<QuotaObject>,
    private readonly db: D1Database,
    private readonly rateLimits: string | undefined,
    private readonly leases: LeaseBook,
  ) {}

  /** Today's standing of the caller whose quota object is `quota` (exact: this isolate's lease is handed back first). */
  async standing(quota: string, now: number): Promise<{ usage: Usage; limits: LimitState[]; key: KeyState | null }> {
    return this.namespace.get(this.namespace.idFromName(quota)).peek(limitsOf(this.rateLimits), now, this.leases.release(quota));
  }

  /** Writes days of a subject's usage into D1 (the quota object's roll-up alarm); a day written again replaces its figures. */
  async recordDays(subject: string, days: Usage[]): Promise<void> {
    const upsert = this.db.prepare(
      `INSERT INTO usage_daily (subject, day, requests, queries) VALUES (?1, ?2, ?3, ?4)
       ON CONFLICT (subject, day) DO UPDATE SET requests = excluded.requests, queries = excluded.queries`,
    );
    await this.db.batch(days.map((u) => upsert.bind(subject, u.day, u.requests, u.queries)));
  }

  /** Usage of the last `days` UTC days (rolled up into D1), today's taken live from the quota object. */
  async history(quota: string, subject: string, now: number, days = 30): Promise<Usage[]> {
    const since = new Date(now - (days - 1) * DAY_MS).toISOString().slice(0, 10);
    const rows = await drizzle(this.db)
      .select({ day: usageDaily.day, requests: usageDaily.requests, queries: usageDaily.queries })
      .from(usageDaily)
      .where(and(eq(usageDaily.subject, subject), gte(usageDaily.day, since)))
      .orderBy(desc(usageDaily.day))
      .all();
    const today = (await this.standing(quota, now)).usage;
    return [today, ...rows.filter((r) => r.day !== today.day)];
  }
}
