/**
 * The security schemes of the OpenAPI document, as src/middleware/rate-limit.ts and
 * src/middleware/admin-auth.ts read credentials: an API key as `Authorization: Bearer ksk_…`
 * or as `X-API-Key` (X-API-Key wins when both are sent), the admin token as a bearer token.
 */
export const SECURITY_SCHEMES = {
  ApiKeyBearer: {
    type: "http",
    scheme: "bearer",
    bearerFormat: "ksk_ + 32 base64url characters",
    description: "An API key (`ksk_…`, created by an operator with POST /v1/admin/keys) as `Authorization: Bearer ksk_…`. Optional: without a key the caller is anonymous, limited per IP.",
  },
  ApiKeyHeader: {
    type: "apiKey",
    in: "header",
    name: "X-API-Key",
    description: "The same API key in the `X-API-Key` header (it wins over `Authorization` when both are sent). Never in the query string: that is a 401 `invalid_api_key`.",
  },
  AdminToken: { type: "http", scheme: "bearer", description: "The ADMIN_TOKEN secret (npm start writes one to .dev.vars). Admin routes only." },
} as const;

/**
 * Every metered operation (/v1, except admin): an API key in either header, or none at all
 * (the empty requirement: anonymous access, limited per IP).
 */
export const API_KEY_OR_ANONYMOUS: Record<string, string[]>[] = [{ ApiKeyBearer: [] }, { ApiKeyHeader: [] }, {}];

/** Admin operations: the admin token only. */
export const ADMIN_ONLY: Record<string, string[]>[] = [{ AdminToken: [] }];

/** Operations outside /v1 (health, images): not metered, no credentials read. */
export const PUBLIC: Record<string, string[]>[] = [];
