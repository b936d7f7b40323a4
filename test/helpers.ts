import { env, exports } from "cloudflare:workers";
import { importEntries as importInto, type ImportOptions, type ImportReport } from "../src/catalog/import/importer";
import { buildServices, collectingScope, type Services } from "../src/services";
import offlineCatalog from "./fixtures/offline-catalog.json";

export const BASE = "http://kensho.test";

/** Sends a request through the Worker's own fetch handler. */
export function call(path: string, init?: RequestInit): Promise<Response> {
  return exports.default.fetch(new Request(BASE + path, init));
}

/** GET + JSON body, for the happy paths. */
export async function getJson<T = any>(path: string, init?: RequestInit): Promise<{ status: number; body: T; res: Response }> {
  const res = await call(path, init);
  return { status: res.status, body: (await res.json()) as T, res };
}

/**
 * Services as the composition root builds them for a job, on the test's bindings. Work handed
 * to waitUntil is collected: `settle()` awaits it (a test that checks deferred work calls it).
 */
export function testServices(options: Parameters<typeof buildServices>[2] = {}): Services & { settle: () => Promise<void> } {
  const scope = collectingScope();
  return Object.assign(buildServices(env, scope, options), { settle: () => scope.settled() });
}

/** Services on other bindings or vars (a misconfiguration, a fake AI binding); deferred work is not awaited. */
export const servicesOf = (bindings: Partial<Env> | Record<string, unknown>): Services => buildServices(bindings as Env, { waitUntil: () => {} });

/** The invalidation every writer runs (bumps the catalog generation in the test KV). */
export const invalidateCache = async (ids: number[]) => {
  // The composition root's invalidation (referrers included), unpaced and without the
  // delayed second delete: local KV has no write rate limit, and tests write many times a second.
  const services = servicesOf({ ...env, CACHE_KV_WRITE_INTERVAL_MS: "0", CACHE_REDELETE_MS: "0" });
  await services.invalidate(ids);
  await services.invalidator.settled();
};

/** The importer with the cache invalidation wired, as the CLI and the Worker run it. */
export function importEntries(db: D1Database, entries: Iterable<unknown>, opts: Omit<ImportOptions, "invalidate"> & Partial<Pick<ImportOptions, "invalidate">>): Promise<ImportReport> {
  return importInto(db, entries, { invalidate: invalidateCache, ...opts });
}

/** Imports the offline-database fixture (MAL ids < 400 plus the Re:Zero and Shingeki no Kyojin franchises). Idempotent. */
export function importFixture(): Promise<ImportReport> {
  return importEntries(env.DB, offlineCatalog.data, { source: "offline-catalog.json" });
}

export const fixtureEntries = offlineCatalog.data;

/** Counts rows with raw SQL: the independent oracle the API's answers are checked against. */
export async function sqlCount(query: string, ...binds: unknown[]): Promise<number> {
  const row = await env.DB.prepare(query).bind(...binds).first<{ n: number }>();
  return row!.n;
}

/** Asserts the RFC 9457 body every error must have and returns it. */
export async function expectProblem(res: Response, status: number, code: string) {
  const body = (await res.json()) as Record<string, any>;
  if (res.status !== status || body.code !== code) {
    throw new Error(`expected ${status} ${code}, got ${res.status} ${JSON.stringify(body)}`);
  }
  if (!res.headers.get("content-type")?.startsWith("application/problem+json")) throw new Error(`content-type ${res.headers.get("content-type")}`);
  for (const k of ["type", "title", "status", "detail", "code", "request_id"]) if (!(k in body)) throw new Error(`problem lacks ${k}`);
  if (body.request_id !== res.headers.get("x-request-id")) throw new Error("request_id differs from X-Request-ID");
  return body;
}

/** Empties the catalog tables, for tests that count exactly what an import wrote. */
export async function resetCatalog(): Promise<void> {
  await env.DB.batch(["search_vector_state", "anime_search_text", "anime_genre", "anime_studio", "anime_source", "anime", "import_run"].map((t) => env.DB.prepare(`DELETE FROM ${t}`)));
}

export const ADMIN_TOKEN = env.ADMIN_TOKEN!;
export const adminHeaders = { Authorization: `Bearer ${env.ADMIN_TOKEN}`, "Content-Type": "application/json" };

/** Indexes the catalog for search through the admin route, until nothing remains. */
export async function indexSearch(reset = false): Promise<{ text: number; vectors: number }> {
  const done = { text: 0, vectors: 0 };
  for (let first = true; ; first = false) {
    const res = await call("/v1/admin/search/index", { method: "POST", headers: adminHeaders, body: JSON.stringify({ limit: 5000, reset: reset && first }) });
    if (res.status !== 200) throw new Error(`indexing: ${res.status} ${await res.text()}`);
    const s = (await res.json()) as { indexed: typeof done; remaining: typeof done };
    done.text += s.indexed.text;
    done.vectors += s.indexed.vectors;
    if (s.remaining.text + s.remaining.vectors === 0) return done;
  }
}
