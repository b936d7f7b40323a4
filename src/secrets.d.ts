/**
 * Secrets and optional vars, which `wrangler types` cannot see (merged into the generated base
 * of both `Env` and `Cloudflare.Env`) (they live in `.dev.vars` or
 * `wrangler secret put`). Parsed once in src/config.ts; never logged.
 */
interface __BaseEnv_Env {
  /** Bearer token of the /v1/admin routes. */
  ADMIN_TOKEN?: string;
  /** Qdrant endpoint and key: when set (and no Vectorize binding), Qdrant is the vector index. */
  QDRANT_URL?: string;
  QDRANT_API_KEY?: string;
  QDRANT_COLLECTION?: string;
  /** Workers AI model ids (defaults in src/config.ts). */
  EMBEDDING_MODEL?: string;
  QUERY_MODEL?: string;
  /** The Analytics Engine SQL API (GET /v1/admin/metrics in production): account id and an API token with Account Analytics: Read. */
  ANALYTICS_ACCOUNT_ID?: string;
  ANALYTICS_API_TOKEN?: string;
  METRICS_DATASET?: string;
}
