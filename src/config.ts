import { z } from "zod";

/** Plain vars and secrets of the Worker, validated once per isolate (bindings are typed by `wrangler types`). */
const VarsSchema = z.object({
  ENVIRONMENT: z.enum(["local", "production"]).default("local"),
  /** How much is logged (src/logging/logger.ts): requests, crons, Durable Objects and scripts alike. */
  LOG_LEVEL: z.enum(["silent", "error", "warn", "info"]).default("info"),
  /** Which vector index serves semantic search; `off` leaves keyword search only (degraded). */
  VECTOR_BACKEND: z.enum(["auto", "local", "vectorize", "qdrant", "off"]).default("auto"),
  /** Time budget of the vector leg of a search; past it, keyword results are served alone. */
  VECTOR_TIMEOUT_MS: z.coerce.number().int().min(1).max(30_000).default(1000),
  /** Workers AI models, used only when the AI binding exists. */
  EMBEDDING_MODEL: z.string().min(1).optional(),
  QUERY_MODEL: z.string().min(1).optional(),
  QDRANT_URL: z.url().optional(),
  QDRANT_API_KEY: z.string().min(1).optional(),
  QDRANT_COLLECTION: z.string().regex(/^[A-Za-z0-9_-]{1,64}$/).default("kensho_anime"),
  /** `off` skips quotas and rate-limit headers entirely: an operational switch, and the baseline of `npm run bench:limiter`. */
  RATE_LIMITING: z.enum(["on", "off"]).default("on"),
  /**
   * How long an isolate may spend request units leased from a quota object before asking
   * again (src/access/leases.ts); 0 asks the quota object on every request.
   */
  RATE_LIMIT_LEASE_MS: z.coerce.number().int().min(0).max(10_000).default(1000),
  /** Tier limit overrides, JSON (src/access/tiers.ts); absent → production defaults. */
  RATE_LIMITS: z.string().optional(),
  /** The release the weekly sync reads (POST /v1/admin/sync may name another): a URL, or r2:<key> in the CATALOG bucket. */
  SYNC_SOURCE_URL: z.string().min(1).default("https://github.com/manami-project/anime-offline-database/releases/latest/download/anime-offline-database-minified.json"),
  /** `on` lets a sync fetch from loopback and private addresses (the local profile: `npm run sync` serves files on 127.0.0.1). */
  SYNC_ALLOW_PRIVATE_SOURCES: z.enum(["on", "off"]).default("off"),
  SYNC_FETCH_TIMEOUT_MS: z.coerce.number().int().min(1000).max(600_000).default(120_000),
  /** A release that would orphan more than this share of the active catalog fails instead (a cut-off file looks complete). */
  SYNC_MAX_ORPHAN_SHARE: z.coerce.number().min(0).max(1).default(0.2),
  /**
   * Where the hourly cron reads bangumi-data's data.json for the airing schedules (at most
   * daily, with If-None-Match; src/schedule/loader.ts): a URL, r2:<key> in the catalog bucket,
   * or `off` (the local profile: `npm start` loads the installed package instead). Fetched with
   * the sync's rules (SYNC_ALLOW_PRIVATE_SOURCES, SYNC_FETCH_TIMEOUT_MS).
   */
  SCHEDULE_SOURCE_URL: z.string().min(1).default("https://raw.githubusercontent.com/bangumi-data/bangumi-data/master/dist/data.json"),
  /** `on` lets image ingestion and image search fetch from loopback and private addresses (local development only). */
  IMAGE_ALLOW_PRIVATE_SOURCES: z.enum(["on", "off"]).default("off"),
  /**
   * Hosts image ingestion fetches from, every redirect hop included (src/images/source-hosts.ts):
   * host names, `*.domain`, `default` (the catalog's CDNs), or `*` for any; absent → the catalog's CDNs.
   */
  IMAGE_SOURCE_HOSTS: z.string().optional(),
  IMAGE_FETCH_TIMEOUT_MS: z.coerce.number().int().min(100).max(60_000).default(10_000),
  /** Largest image accepted, by ingestion and by image search uploads and URLs. */
  IMAGE_MAX_BYTES: z.coerce.number().int().min(1024).max(20_000_000).default(5 * 1024 * 1024),
  /**
   * How image search finds anime: `local` (the deterministic image embedding), `vision` (a
   * Workers AI vision model's description embedded in the text space), `auto` (vision when the
   * AI binding and a text vector index exist, else local).
   */
  IMAGE_SEARCH_BACKEND: z.enum(["auto", "local", "vision"]).default("auto"),
  VISION_MODEL: z.string().min(1).optional(),
  /**
   * Catalog invalidation (src/cache/generation.ts): least time between two KV writes of the
   * generation key from one isolate (KV takes one write per second per key), and the delay of
   * the second delete of changed entity keys. The test profile lowers both (local KV has no
   * rate limit); production keeps the defaults.
   */
  CACHE_KV_WRITE_INTERVAL_MS: z.coerce.number().int().min(0).max(60_000).default(1000),
  CACHE_REDELETE_MS: z.coerce.number().int().min(0).max(60_000).default(1500),
  /**
   * The metrics view in production (GET /v1/admin/metrics) reads Analytics Engine through its
   * SQL API: the account id and an API token with Account Analytics: Read (secrets; absent →
   * that route answers 503, data points are written regardless). METRICS_DATASET is the
   * dataset of the METRICS binding in wrangler.toml.
   */
  ANALYTICS_ACCOUNT_ID: z.string().regex(/^[0-9a-f]{32}$/i, "a Cloudflare account id (32 hex digits)").optional(),
  ANALYTICS_API_TOKEN: z.string().min(1).optional(),
  METRICS_DATASET: z.string().regex(/^[A-Za-z0-9_]{1,64}$/).default("kensho_metrics"),
  /** `off` writes no request data points (the middleware steps aside): for the same-run cost benchmark, `npm run bench:metrics`. */
  METRICS_WRITES: z.enum(["on", "off"]).default("on"),
  /** Admin bearer token; absent or under 16 characters → admin routes answer 503 (disabled), never open. */
  ADMIN_TOKEN: z.string().optional(),
});
export type Config = z.infer<typeof VarsSchema>;

// Deliberate per-isolate cache: env is fixed for the isolate's lifetime.
const parsed = new WeakMap<object, Config>();

const KEYS = Object.keys(VarsSchema.shape) as (keyof Config)[];
/** "" from an unset var counts as absent. */
const present = (v: unknown) => (v === "" ? undefined : v);

/** Parses the vars; a misconfigured deployment fails loudly on its first request. */
export function configOf(env: Env): Config {
  let config = parsed.get(env);
  if (!config) {
    const raw = env as unknown as Record<string, unknown>;
    config = VarsSchema.parse(Object.fromEntries(KEYS.map((k) => [k, present(raw[k])])));
    parsed.set(env, config);
  }
  return config;
}
