import type { OpenAPIHono } from "@hono/zod-openapi";
import type { Context } from "hono";
import type { AppEnv } from "../context";
import { ODBL_NOTICE } from "../catalog/attribution";
import { SECURITY_SCHEMES } from "./security";

/** Every tag an operation uses, in the order the docs show them. */
export const TAGS = [
  { name: "Anime", description: "The catalog: one anime, cross-site lookup, browsing with filters, seasons, random picks." },
  { name: "Search", description: "Search by title or description, similar anime, natural-language queries, image search." },
  { name: "Lists", description: "Curated lists, precomputed hourly: top, popular, this season, upcoming." },
  { name: "Taxonomy", description: "Genres, tags and studios with their counts." },
  { name: "Account", description: "The caller's tier, limits and usage." },
  { name: "Meta", description: "About the data: size, release, sources and licences." },
  { name: "Health", description: "Liveness and readiness probes (not metered)." },
  { name: "Images", description: "Images Kensho hosts (not metered)." },
  { name: "Admin", description: "Operator routes: the admin token only; not metered, no CORS." },
];

const DESCRIPTION = [
  "Edge-native anime discovery API. Every error is application/problem+json (RFC 9457) with a stable `code` and the `request_id` (also in the X-Request-ID header).",
  "**Access.** Every /v1 route except the admin ones is metered: send an API key as `Authorization: Bearer ksk_…` or `X-API-Key: ksk_…`, or nothing at all (anonymous, limited per IP). Every metered answer carries `RateLimit` and `RateLimit-Policy`; a used-up limit is a 429 with `Retry-After`. GET /v1/me tells where the caller stands.",
  "**Caching.** Public reads are cached in tiers (isolate memory, Cache API, KV) in front of D1; each response says which tier served it in `X-Cache` (L0, L1, L2 or MISS) and `Cache-Status` (RFC 9211), with `Age` and `Cache-Control`. Catalog writes invalidate what they change.",
  "**Projections.** Routes taking `fields=a,b` return only those top-level fields of each anime: the schemas' required fields hold for answers without `fields`.",
  "**MCP.** `POST /mcp` serves these operations as tools for AI assistants (Model Context Protocol, Streamable HTTP, stateless; the 2026-07-28 revision and the 2025 ones): `search_anime`, `ask_anime`, `get_anime`, `lookup_anime`, `similar_anime`, `season_anime`, `top_anime`, `airing_schedule`, … Each tool calls its route in-process with the same key (`Authorization: Bearer` or `X-API-Key`, or none), so it validates, caches, counts and fails as the route does. Setup for Claude Code, Cursor and the MCP Inspector: the README's MCP section.",
  `**Data.** ${ODBL_NOTICE} Sources and licences: \`GET /v1/about\`.`,
].join("\n\n");

/**
 * The document's top level. `servers` is the origin the request came to, so the docs'
 * Try-it-out and generated clients call the host that served the document, whatever its name.
 */
export function documentConfig(c: Context<AppEnv>) {
  return {
    openapi: "3.1.0",
    info: {
      title: "Kensho API",
      version: "1.0.0",
      description: DESCRIPTION,
      license: { name: "The catalog data: Open Database License 1.0 (contents: DbCL 1.0)", url: "https://opendatacommons.org/licenses/odbl/1-0/" },
    },
    servers: [{ url: new URL(c.req.url).origin, description: "The server this document was served by" }],
    tags: TAGS,
  };
}

/** Registers the security schemes the operations name (src/openapi/security.ts). */
export function registerSecuritySchemes(app: OpenAPIHono<AppEnv>): void {
  for (const [name, scheme] of Object.entries(SECURITY_SCHEMES)) app.openAPIRegistry.registerComponent("securitySchemes", name, scheme);
}
