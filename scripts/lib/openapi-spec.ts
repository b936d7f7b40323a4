import { createApp } from "../../src/app";

/**
 * The OpenAPI document exactly as the Worker serves it, built in this process through the
 * app's own fetch path: GET /openapi.json reads no binding, so none is given. `origin` is the
 * request's, which the document's `servers` names.
 */
export async function buildSpec(origin = "http://127.0.0.1:8787"): Promise<OpenApiDocument> {
  const ctx = { waitUntil() {}, passThroughOnException() {}, props: {} } as unknown as ExecutionContext;
  const res = await createApp().request(`${origin}/openapi.json`, {}, { LOG_LEVEL: "silent" }, ctx);
  if (res.status !== 200) throw new Error(`GET /openapi.json answered ${res.status}: ${await res.text()}`);
  return (await res.json()) as OpenApiDocument;
}

/** The parts of an OpenAPI document the checks read. */
export interface OpenApiDocument {
  paths: Record<string, Record<string, { operationId?: string; tags?: string[] }>>;
  [key: string]: unknown;
}

/** Every operation's id, in document order. */
export function operationIds(doc: OpenApiDocument): string[] {
  return Object.values(doc.paths).flatMap((item) => Object.values(item).map((op) => op.operationId ?? ""));
}
