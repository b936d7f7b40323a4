import { Hono, type Context } from "hono";
import { cors } from "hono/cors";
import type { OpenAPIHono } from "@hono/zod-openapi";
import { createMcpHandler, localhostAllowedOrigins, originValidationResponse, validateOriginHeader } from "@modelcontextprotocol/server";
import type { AppEnv } from "../context";
import type { ApiError } from "../errors/api-error";
import { problemResponse } from "../errors/problem";
import { DISPATCHED } from "../middleware/request-log";
import { callTool, type RouteCaller } from "./call-tool";
import { FORWARDED_HEADERS, refuseBadKey } from "./credentials";
import { jsonAnswer, normalisedRequest } from "./http";
import type { OpenApiDocument } from "./schemas";
import { kenshoServer } from "./server";
import { toolShapes, type ToolShape } from "./tool-shapes";

/**
 * Browser origins allowed to call /mcp: localhost-class pages only (the MCP Inspector's web UI,
 * local tools). Any other Origin is a 403 (DNS rebinding, cross-site requests); clients that
 * are not browsers send none.
 */
const ALLOWED_ORIGINS = localhostAllowedOrigins();
const allowedOrigin = (origin: string) => validateOriginHeader(origin, ALLOWED_ORIGINS).ok;

/** The JSON-RPC methods that open a connection (2025: initialize; 2026-07-28: server/discover): where a bad key is refused. */
const HANDSHAKES = new Set(["initialize", "server/discover"]);

/**
 * Calls a route of `app` in-process with the caller's key, address and request id: the route
 * validates, caches and meters as for any REST call. Its path, status and time go on the /mcp
 * request's log line (one line per request, as for REST).
 */
function routeCaller(app: OpenAPIHono<AppEnv>, c: Context<AppEnv>): RouteCaller {
  const origin = new URL(c.req.url).origin;
  const base = new Headers({ Accept: "application/json", "X-Request-ID": c.var.requestId });
  for (const name of FORWARDED_HEADERS) {
    const value = c.req.header(name);
    if (value !== undefined) base.set(name, value);
  }
  let ctx: Parameters<typeof app.fetch>[2];
  try {
    ctx = c.executionCtx;
  } catch {
    ctx = undefined; // app.request() without one (scripts)
  }
  return async (method, pathAndQuery, body) => {
    const headers = new Headers(base);
    if (body !== undefined) headers.set("Content-Type", "application/json");
    const request = new Request(origin + pathAndQuery, { method, headers, body: body === undefined ? undefined : JSON.stringify(body) });
    DISPATCHED.add(request);
    const started = Date.now();
    const res = await app.fetch(request, c.env, ctx);
    c.set("logFields", { ...c.get("logFields"), route: pathAndQuery.replace(/\?.*/, ""), route_status: res.status, route_ms: Date.now() - started });
    return res;
  };
}

/**
 * POST /mcp: Kensho's tools for AI assistants (Model Context Protocol, Streamable HTTP),
 * stateless, serving the 2026-07-28 revision and the 2025 ones (`initialize`) from one server
 * factory (the SDK's createMcpHandler). GET and DELETE (2025 session streams and teardown) are
 * 405: there are no sessions. No OAuth metadata is published: clients that find some ignore
 * the key headers they were configured with.
 */
export function mcpRoutes(app: OpenAPIHono<AppEnv>) {
  // Per app (one per isolate in production): the tools, derived once from the OpenAPI document.
  let tools: ToolShape[] | undefined;
  const toolsOf = () => (tools ??= toolShapes(app.getOpenAPI31Document({ openapi: "3.1.0", info: { title: "Kensho API", version: "1.0.0" } }) as unknown as OpenApiDocument));

  return new Hono<AppEnv>()
    .use("/mcp", async (c, next) => originValidationResponse(c.req.raw, ALLOWED_ORIGINS) ?? next())
    .use(
      "/mcp",
      cors({
        origin: (origin) => (allowedOrigin(origin) ? origin : null),
        allowMethods: ["POST", "OPTIONS"],
        allowHeaders: ["Authorization", "X-API-Key", "Content-Type", "Accept", "MCP-Protocol-Version", "Mcp-Method", "Mcp-Name", "Last-Event-ID"],
        exposeHeaders: ["X-Request-ID", "MCP-Protocol-Version"],
      }),
    )
    .post("/mcp", async (c) => {
      const text = await c.req.text();
      let parsed: unknown;
      try {
        parsed = text ? JSON.parse(text) : undefined;
      } catch {
        parsed = undefined; // the SDK answers the parse error
      }
      const method = parsed && typeof parsed === "object" && !Array.isArray(parsed) ? (parsed as { method?: unknown }).method : undefined;
      const tool = method === "tools/call" ? (parsed as { params?: { name?: unknown } }).params?.name : undefined;
      c.set("logFields", { rpc: typeof method === "string" ? method.slice(0, 64) : null, ...(typeof tool === "string" ? { tool: tool.slice(0, 64) } : {}) });
      await refuseBadKey(c, typeof method === "string" && HANDSHAKES.has(method));

      const { services } = c.var;
      const call = routeCaller(app, c);
      // An error a tool finds before its route runs (a missing path parameter): the body a route would send.
      const problemOf = (err: ApiError) => problemResponse(c, err).json() as Promise<Record<string, unknown>>;
      const handler = createMcpHandler(
        () => kenshoServer({ tools: toolsOf(), call, callTool: (tool, args) => callTool(tool, args, call, problemOf, services.now) }),
        { onerror: (e) => services.log.info("mcp_rejected", { message: e.message }) },
      );
      const { request, jsonOnly } = normalisedRequest(c.req.raw, text);
      const res = await handler.fetch(request, parsed === undefined ? undefined : { parsedBody: parsed });
      return jsonOnly ? jsonAnswer(res) : res;
    });
}
