import { env, exports } from "cloudflare:workers";
import { createExecutionContext, waitOnExecutionContext } from "cloudflare:test";
import { Client, StreamableHTTPClientTransport } from "@modelcontextprotocol/client";
import { createApp } from "../../src/app";
import { adminHeaders, BASE } from "../helpers";

/** The 2026-07-28 revision: what a modern client pins. */
export const MODERN = "2026-07-28";

export type Era = "legacy" | "modern";
export type Fetch = (request: Request) => Promise<Response>;

/** The Worker's own fetch handler, as a client's transport calls it. */
export const workerFetch: Fetch = (request) => exports.default.fetch(request);

/**
 * The SDK's own Client connected to /mcp through `fetch` (the Worker unless a test brings an
 * app of its own): `legacy` runs the 2025 `initialize` handshake, `modern` pins 2026-07-28
 * (`server/discover`, per-request envelope).
 */
export async function connect(era: Era, options: { headers?: Record<string, string>; fetch?: Fetch } = {}): Promise<Client> {
  const client = new Client({ name: "kensho-test", version: "1.0.0" }, era === "modern" ? { versionNegotiation: { mode: { pin: MODERN } } } : {});
  const send = options.fetch ?? workerFetch;
  const transport = new StreamableHTTPClientTransport(new URL(`${BASE}/mcp`), {
    requestInit: { headers: options.headers ?? {} },
    fetch: (url, init) => send(new Request(url, init)),
  });
  await client.connect(transport);
  return client;
}

/** A raw JSON-RPC POST to /mcp (2025 era unless headers say otherwise). */
export function post(body: unknown, headers: Record<string, string> = {}, send: Fetch = workerFetch): Promise<Response> {
  return send(new Request(`${BASE}/mcp`, { method: "POST", headers: { "Content-Type": "application/json", Accept: "application/json, text/event-stream", ...headers }, body: JSON.stringify(body) }));
}

export const INITIALIZE = { jsonrpc: "2.0", id: 1, method: "initialize", params: { protocolVersion: "2025-06-18", capabilities: {}, clientInfo: { name: "curl", version: "1" } } };

/**
 * A Worker app of its own with these RATE_LIMITS (like test/access/limits.test.ts), called as the
 * Worker is (waitUntil work awaited); leases off, so every unit is counted at once.
 */
export function meteredFetch(limits: object): Fetch {
  const app = createApp();
  const vars = { ...env, RATE_LIMITS: JSON.stringify(limits), RATE_LIMIT_LEASE_MS: "0" };
  return async (request) => {
    const ctx = createExecutionContext();
    const res = await app.fetch(request, vars, ctx);
    await waitOnExecutionContext(ctx);
    return res;
  };
}

/** Creates an API key through the admin route of `send`'s app; `revoke()` revokes it. */
export async function newKey(send: Fetch = workerFetch, tier = "free"): Promise<{ key: string; headers: Record<string, string>; revoke: () => Promise<void> }> {
  const res = await send(new Request(`${BASE}/v1/admin/keys`, { method: "POST", headers: adminHeaders, body: JSON.stringify({ name: "mcp test", tier }) }));
  const body = (await res.json()) as { key: string; id: number };
  return {
    key: body.key,
    headers: { Authorization: `Bearer ${body.key}` },
    revoke: async () => void (await send(new Request(`${BASE}/v1/admin/keys/${body.id}`, { method: "DELETE", headers: adminHeaders }))),
  };
}

/** A tool result's structured error (isError results carry the problem's code, detail and request_id). */
export type ToolError = { code: string; detail: string; request_id: string | null; errors?: { param: string; message: string }[]; retry_after_seconds?: number; retry_at?: string };
