import { McpServer, ProtocolError, ProtocolErrorCode, ResourceNotFoundError, ResourceTemplate, type CallToolResult } from "@modelcontextprotocol/server";
import { jsonSchemaOf } from "./schemas";
import type { ToolShape } from "./tool-shapes";
import type { RouteCaller } from "./call-tool";
import { registerPrompts } from "./prompts";

export const SERVER_INFO = { name: "kensho", title: "Kensho", version: "1.0.0", description: "Anime discovery: search, look up, compare and schedule anime." };

/** What the server tells a model once, at connect: the id workflow, the defaults, the errors. */
export const INSTRUCTIONS = [
  "Kensho is an anime catalog (about 40,000 anime, each with its ids on MyAnimeList, AniList, Kitsu, AniDB and other sites).",
  "Kensho ids are internal: never guess one. Turn a title into an id with search_anime (best match first; check the title, type and year) and another site's id or URL with lookup_anime; then get_anime, similar_anime and next_episode take that id.",
  "For a request in plain words use ask_anime (it spends the caller's daily `queries` budget, as search_anime_by_image does); for exact filters browse_anime, season_anime or top_anime. The `genres` filter takes the names list_genres gives; any other label is a tag (list_tags).",
  "Lists answer 10 anime with compact fields: pass `fields` for more (tags, synonyms, synopsis, related, external_ids, …) and `limit` for more at once; for the next page pass `next_cursor` back as `cursor` with the same arguments.",
  "A tool error carries a code: validation_failed names the argument to fix; not_found means the catalog lacks it; rate_limited says when to retry (my_quota shows what is left today); invalid_api_key means the configured key is wrong or revoked.",
  "Adult (hentai) anime are left out unless include_adult is true.",
].join("\n");

/** Lists whose results are the same for every caller until the Worker is redeployed (2026-07-28 `ttlMs` / `cacheScope`). */
const STATIC_LIST = { ttlMs: 3_600_000, cacheScope: "public" as const };

/** What one request's server answers with: the tools, and a route caller with the caller's credentials. */
export interface ServerDeps {
  tools: ToolShape[];
  callTool: (tool: ToolShape, args: Record<string, unknown>) => Promise<CallToolResult>;
  call: RouteCaller;
}

/**
 * One MCP server per request (stateless, both protocol eras): every tool read-only, with
 * input and output schemas derived from the routes' own; two or three prompts; and the
 * resource template kensho://anime/{id}.
 */
export function kenshoServer({ tools, callTool, call }: ServerDeps): McpServer {
  const server = new McpServer(SERVER_INFO, {
    instructions: INSTRUCTIONS,
    // The lists change only with a deployment: no list_changed notifications, so clients open no listen streams.
    capabilities: { tools: { listChanged: false }, prompts: { listChanged: false }, resources: { listChanged: false } },
    cacheHints: { "tools/list": STATIC_LIST, "prompts/list": STATIC_LIST, "resources/templates/list": STATIC_LIST, "server/discover": STATIC_LIST },
  });
  for (const tool of tools) {
    const { spec } = tool;
    server.registerTool(
      spec.name,
      {
        title: spec.title,
        description: spec.description,
        inputSchema: jsonSchemaOf(tool.input),
        outputSchema: jsonSchemaOf(tool.output),
        annotations: { title: spec.title, readOnlyHint: true, destructiveHint: false, idempotentHint: spec.name !== "random_anime", openWorldHint: spec.openWorld === true },
      },
      (args) => callTool(tool, args),
    );
  }
  registerPrompts(server, new Set(tools.map((t) => t.spec.name)));
  server.registerResource(
    "anime",
    new ResourceTemplate("kensho://anime/{id}", { list: undefined }),
    { title: "An anime", description: "One anime as GET /v1/anime/{id} answers it (JSON), by its Kensho id.", mimeType: "application/json" },
    async (uri, { id }) => {
      const res = await call("GET", `/v1/anime/${encodeURIComponent(String(id))}`);
      const text = await res.text();
      if (res.status === 404 || res.status === 400) throw new ResourceNotFoundError(uri.href, `No anime ${uri.href}.`);
      if (!res.ok) {
        const problem = JSON.parse(text) as { code?: string; detail?: string; request_id?: string };
        throw new ProtocolError(ProtocolErrorCode.InternalError, `${problem.code}: ${problem.detail} (request_id ${problem.request_id})`, problem);
      }
      return { contents: [{ uri: uri.href, mimeType: "application/json", text }] };
    },
  );
  return server;
}
