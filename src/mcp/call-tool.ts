import type { CallToolResult } from "@modelcontextprotocol/server";
import { ANIME_FIELDS, FieldsParam } from "../catalog/anime-schema";
import { validationError, type ApiError } from "../errors/api-error";
import { zodParamErrors } from "../errors/problem";
import type { ToolShape } from "./tool-shapes";
import type { OperationShape } from "./schemas";

/** Calls one route of this Worker in-process, as the MCP caller (src/mcp/route-caller.ts). */
export type RouteCaller = (method: string, pathAndQuery: string, body?: Record<string, unknown>) => Promise<Response>;

/** Renders an error the tool finds before any route runs as the problem body a route would send. */
export type ProblemOf = (err: ApiError) => Promise<Record<string, unknown>>;

/** A query-string value as the routes read it: lists repeated, booleans and numbers as text. */
function queryValues(value: unknown): string[] {
  if (value === undefined || value === null) return [];
  if (Array.isArray(value)) return value.flatMap(queryValues);
  return [typeof value === "object" ? JSON.stringify(value) : String(value)];
}

/** The route URL and body for these arguments; an argument the operation does not declare goes to the query, where the route refuses it by name. */
function request(op: OperationShape, args: Record<string, unknown>): { url: string; body?: Record<string, unknown> } | ApiError {
  const missing = [...op.path.matchAll(/\{(\w+)\}/g)].map((m) => m[1]).filter((name) => args[name] === undefined || args[name] === null);
  if (missing.length) return validationError(missing.map((param) => ({ param, message: "required" })));
  const path = op.path.replace(/\{(\w+)\}/g, (_, name: string) => encodeURIComponent(String(args[name])));
  const query = new URLSearchParams();
  let body: Record<string, unknown> | undefined;
  for (const [name, value] of Object.entries(args)) {
    const place = op.placement[name] ?? "query";
    if (place === "body") (body ??= {})[name] = value;
    else if (place === "query") for (const v of queryValues(value)) query.append(name, v);
  }
  if (op.method === "POST") body ??= {};
  const qs = query.toString();
  return { url: qs ? `${path}?${qs}` : path, body };
}

/** Keeps the listed anime fields of an object, and whatever is not an anime field (match, similarity). */
const projected = (anime: unknown, fields: string[]) =>
  anime && typeof anime === "object" ? Object.fromEntries(Object.entries(anime).filter(([k]) => fields.includes(k) || !(ANIME_FIELDS as string[]).includes(k))) : anime;

/** Applies `fields` to an answer of a route that takes none (the tool's `project`). */
function project(body: any, how: ToolShape["spec"]["project"], fields: string[] | undefined): any {
  if (!how || !fields || !Array.isArray(body?.data)) return body;
  const data = body.data.map((item: any) => (how === "data" ? projected(item, fields) : { ...item, anime: projected(item.anime, fields) }));
  return { ...body, data };
}

/**
 * A problem answer as a tool error: `isError`, the problem's code, detail and request_id (and
 * the invalid parameters), and for a 429 when to retry — in the text a model reads and in
 * `structuredContent` for programs.
 */
export function problemResult(problem: Record<string, any>, retryAfter: string | null, now: number): CallToolResult {
  const seconds = retryAfter !== null && /^\d+$/.test(retryAfter) ? Number(retryAfter) : undefined;
  const error = {
    code: problem.code ?? "internal_error",
    status: problem.status,
    title: problem.title,
    detail: problem.detail,
    request_id: problem.request_id ?? null,
    ...(problem.errors ? { errors: problem.errors } : {}),
    ...(seconds !== undefined ? { retry_after_seconds: seconds, retry_at: new Date(now + seconds * 1000).toISOString() } : {}),
  };
  const retry = seconds !== undefined ? ` Retry after ${seconds} s (${error.retry_at}).` : "";
  const text = `${error.title ?? "Error"} (${error.code}): ${error.detail}${retry} request_id: ${error.request_id}\n${JSON.stringify({ error })}`;
  return { isError: true, content: [{ type: "text", text }], structuredContent: { error } };
}

/**
 * Runs a tool: picks the operation, fills the tool's defaults, sends the arguments where the
 * operation reads them and answers with the route's JSON as `structuredContent` and as text.
 * The route validates, caches, meters and fails exactly as over REST; its problem answers
 * become tool errors.
 */
export async function callTool(shape: ToolShape, given: Record<string, unknown>, call: RouteCaller, problemOf: ProblemOf, now: () => number): Promise<CallToolResult> {
  const { spec } = shape;
  const routed = spec.route?.(given) ?? { operationId: spec.operations[0], args: given };
  const op = shape.operations.get(routed.operationId)!;
  const args: Record<string, unknown> = {};
  // Defaults apply to what this operation (or the tool itself) reads: `when: "now"` takes no filters.
  for (const [name, value] of Object.entries(spec.defaults ?? {})) if (op.placement[name] || shape.own.has(name)) args[name] = value;
  for (const [name, value] of Object.entries(routed.args)) if (value !== undefined && value !== null) args[name] = value;

  let fields: string[] | undefined;
  if (shape.own.has("fields")) {
    const parsed = FieldsParam.safeParse(args.fields);
    if (!parsed.success) return problemResult(await problemOf(validationError(zodParamErrors(parsed.error).map((e) => ({ ...e, param: "fields" })))), null, now());
    fields = parsed.data;
    delete args.fields;
  }
  const req = request(op, args);
  if (!("url" in req)) return problemResult(await problemOf(req), null, now());
  const res = await call(op.method, req.url, req.body);
  const json = (await res.json().catch(() => null)) as Record<string, unknown> | null;
  if (!res.ok || json === null) return problemResult(json ?? { code: "internal_error", status: res.status, detail: `The route answered ${res.status}.` }, res.headers.get("Retry-After"), now());
  const structured = project(json, spec.project, fields);
  return { content: [{ type: "text", text: JSON.stringify(structured) }], structuredContent: structured };
}
