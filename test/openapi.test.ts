import { createExecutionContext, waitOnExecutionContext } from "cloudflare:test";
import { env, exports } from "cloudflare:workers";
import { beforeAll, describe, expect, it } from "vitest";
import { createApp } from "../src/app";
import { ERROR_CODES, type ErrorCode } from "../src/errors/codes";
import { adminHeaders, BASE, getJson, importFixture } from "./helpers";

type Operation = { operationId?: string; tags?: string[]; security?: Record<string, string[]>[]; parameters?: any[]; responses: Record<string, any> };
type Doc = { paths: Record<string, Record<string, Operation>>; tags: { name: string; description?: string }[]; servers: { url: string }[]; components: { securitySchemes: Record<string, any>; schemas: Record<string, any> } };

let doc: Doc;
const operations = () => Object.entries(doc.paths).flatMap(([path, item]) => Object.entries(item).map(([method, op]) => ({ path, method, op, name: `${method.toUpperCase()} ${path}` })));
/** Metered as src/app.ts meters: every /v1 route except the admin ones. */
const metered = (path: string) => path.startsWith("/v1/") && !path.startsWith("/v1/admin/");
const isAdmin = (path: string) => path.startsWith("/v1/admin/");

beforeAll(async () => {
  doc = (await getJson<Doc>("/openapi.json")).body;
});

describe("OpenAPI contract: operations", () => {
  it("every operation has a unique operationId and a tag the document describes", () => {
    const ops = operations();
    expect(ops.length).toBeGreaterThanOrEqual(40);
    const ids = ops.map((o) => o.op.operationId);
    for (const o of ops) expect(o.op.operationId, o.name).toMatch(/^[a-z][A-Za-z]+$/);
    expect(new Set(ids).size).toBe(ids.length);
    const described = new Set(doc.tags.filter((t) => t.description).map((t) => t.name));
    for (const o of ops) {
      expect(o.op.tags?.length, o.name).toBeGreaterThan(0);
      for (const t of o.op.tags!) expect(described.has(t), `${o.name}: tag ${t}`).toBe(true);
    }
  });

  it("names the operations by intent; admin ones admin-prefixed", () => {
    const byRoute = Object.fromEntries(operations().map((o) => [o.name, o.op.operationId]));
    expect(byRoute).toMatchObject({
      "GET /v1/search": "searchAnime",
      "GET /v1/anime/{id}": "getAnime",
      "GET /v1/anime/lookup": "lookupAnime",
      "GET /v1/anime": "browseAnime",
      "GET /v1/seasons/{year}/{season}": "listSeasonAnime",
      "GET /v1/me": "getMe",
      "POST /v1/query": "naturalLanguageQuery",
      "POST /v1/search/image": "searchByImage",
    });
    for (const o of operations()) expect(o.op.operationId!.startsWith("admin"), o.name).toBe(isAdmin(o.path));
  });
});

describe("OpenAPI contract: security", () => {
  it("declares the API key as both headers the limiter reads, and the admin token", () => {
    const s = doc.components.securitySchemes;
    expect(s.ApiKeyBearer).toMatchObject({ type: "http", scheme: "bearer" });
    expect(s.ApiKeyHeader).toMatchObject({ type: "apiKey", in: "header", name: "X-API-Key" });
    expect(s.AdminToken).toMatchObject({ type: "http", scheme: "bearer" });
  });

  it("every metered operation takes either key or none; admin ones the admin token only; the rest nothing", () => {
    for (const { path, op, name } of operations()) {
      if (metered(path)) expect(op.security, name).toEqual([{ ApiKeyBearer: [] }, { ApiKeyHeader: [] }, {}]);
      else if (isAdmin(path)) expect(op.security, name).toEqual([{ AdminToken: [] }]);
      else expect(op.security, name).toEqual([]);
    }
  });

  it("tells the truth: a key works in either header, as /v1/me reports", async () => {
    const created = await getJson("/v1/admin/keys", { method: "POST", headers: adminHeaders, body: JSON.stringify({ name: "openapi test", tier: "premium" }) });
    expect(created.status).toBe(201);
    for (const headers of [{ Authorization: `Bearer ${created.body.key}` }, { "X-API-Key": created.body.key }] as Record<string, string>[]) {
      const me = await getJson("/v1/me", { headers });
      expect([me.status, me.body.tier, me.body.key.id]).toEqual([200, "premium", created.body.id]);
    }
  });
});

describe("OpenAPI contract: error responses", () => {
  it("every metered operation declares 401 and 429, the 429 with Retry-After, RateLimit and RateLimit-Policy", () => {
    for (const { path, op, name } of operations().filter((o) => metered(o.path))) {
      expect(Object.keys(op.responses), name).toEqual(expect.arrayContaining(["401", "429"]));
      expect(Object.keys(op.responses["429"].headers ?? {}).sort(), `${name} ${path}`).toEqual(["RateLimit", "RateLimit-Policy", "Retry-After"]);
    }
  });

  it("a real 429 carries the headers the document declares", async () => {
    const ctx = createExecutionContext();
    const app = createApp();
    const vars = { ...env, RATE_LIMITS: JSON.stringify({ anonymous: { daily: 1, burst: 1000 } }) };
    const send = () => app.fetch(new Request(`${BASE}/v1/genres`, { headers: { "CF-Connecting-IP": "203.0.113.77" } }), vars, ctx);
    await send();
    const refused = await send();
    await waitOnExecutionContext(ctx);
    expect(refused.status).toBe(429);
    for (const h of Object.keys(doc.paths["/v1/genres"].get.responses["429"].headers)) expect(refused.headers.get(h), h).toBeTruthy();
  });

  it("declares 503 where the vector leg, readiness or image search can fail", () => {
    for (const [path, method] of [["/v1/search", "get"], ["/v1/query", "post"], ["/v1/search/image", "post"], ["/v1/search/multimodal", "post"], ["/health/ready", "get"]]) {
      expect(doc.paths[path][method].responses["503"], path).toBeDefined();
    }
  });

  it("gives each problem status its own example, whose code carries that status", () => {
    const seen = new Set<string>();
    for (const { op, name } of operations()) {
      for (const [status, response] of Object.entries(op.responses)) {
        const problem = response.content?.["application/problem+json"];
        if (!problem) continue;
        const example = problem.example;
        expect(example, `${name} ${status}`).toBeDefined();
        expect([example.status, ERROR_CODES[example.code as ErrorCode].status, example.type], `${name} ${status}`).toEqual([Number(status), Number(status), `/problems/${example.code}`]);
        seen.add(`${status} ${example.code}`);
      }
    }
    // The metered 401 is a bad key; the admin 401 a missing token.
    expect([...seen]).toEqual(expect.arrayContaining(["401 invalid_api_key", "401 unauthorized", "403 forbidden", "404 not_found", "429 rate_limited", "400 validation_failed"]));
  });
});

describe("OpenAPI contract: servers", () => {
  it("names the origin the document was requested from, never a fixed localhost", async () => {
    for (const origin of ["https://api.example.test", "http://127.0.0.1:8790"]) {
      const res = await exports.default.fetch(new Request(`${origin}/openapi.json`));
      const body = (await res.json()) as Doc;
      expect(body.servers[0].url).toBe(origin);
    }
  });
});

describe("OpenAPI contract: parameters and schemas", () => {
  const param = (path: string, name: string) => doc.paths[path].get.parameters!.find((p) => p.name === name);

  it("shows boolean parameters as booleans", () => {
    for (const [path, name] of [["/v1/anime", "include_adult"], ["/v1/anime", "include_orphaned"], ["/v1/search", "explain"], ["/v1/anime/{id}/similar", "exclude_related"]]) {
      expect(param(path, name).schema, `${path} ${name}`).toMatchObject({ type: "boolean", default: false });
      expect(param(path, name).schema.enum).toBeUndefined();
    }
  });

  it("shows repeatable filters as arrays, of the enum where the values are a closed list", () => {
    for (const name of ["type", "type_exclude", "status", "season", "genres", "genres_exclude"]) {
      const schema = param("/v1/search", name).schema;
      expect(schema.type, name).toBe("array");
      expect(schema.items.enum.length, name).toBeGreaterThan(1);
    }
    for (const name of ["tags", "tags_exclude", "studios"]) expect(param("/v1/anime", name).schema).toMatchObject({ type: "array", items: { type: "string" } });
    expect(param("/v1/anime", "type").schema.items.enum).toEqual(["TV", "MOVIE", "OVA", "ONA", "SPECIAL", "UNKNOWN"]);
    expect(param("/v1/anime/{id}", "fields").schema).toMatchObject({ type: "array", items: { enum: expect.arrayContaining(["id", "title", "score"]) } });
  });

  it("never offers null for a query parameter (a query string cannot carry one)", () => {
    for (const { op, name } of operations()) {
      for (const p of op.parameters ?? []) expect([p.schema.type].flat(), `${name} ${p.name}`).not.toContain("null");
    }
  });

  it("marks required what is always present, and says what `fields` does", () => {
    const { Anime, SearchHit, SimilarHit, SearchMatch } = doc.components.schemas;
    expect(Anime.required).toEqual(expect.arrayContaining(["id", "title", "type", "status", "season", "genres", "updated_at"]));
    expect(Anime.required).not.toContain("synopsis");
    expect(Anime.description).toMatch(/fields/);
    expect(SearchMatch.required).toEqual(expect.arrayContaining(["score", "confidence", "keyword_rank", "vector_rank"]));
    for (const [hit, extra] of [[SearchHit, "match"], [SimilarHit, "similarity"]]) {
      expect(hit.allOf[0].$ref).toBe("#/components/schemas/Anime");
      expect(hit.allOf[1].required).toEqual([extra]);
      expect(hit.description).toMatch(/fields/);
    }
  });
});

describe("query parameters as the document declares them", () => {
  beforeAll(async () => {
    await importFixture();
  });
  const ids = async (path: string) => {
    const { status, body } = await getJson(path);
    expect(status, path).toBe(200);
    return (body.data as { id: number }[]).map((a) => a.id);
  };

  it.each([
    ["true", "1"],
    ["false", "0"],
  ])("a boolean takes %s and %s alike", async (word, digit) => {
    expect(await ids(`/v1/anime?include_orphaned=${digit}&limit=50`)).toEqual(await ids(`/v1/anime?include_orphaned=${word}&limit=50`));
    const [a, b] = await Promise.all([getJson(`/v1/search?q=bebop&explain=${word}`), getJson(`/v1/search?q=bebop&explain=${digit}`)]);
    expect(a.body.data.length).toBeGreaterThan(0);
    expect(a.body.data.map((h: any) => "explain" in h.match)).toEqual(b.body.data.map((h: any) => "explain" in h.match));
    expect(a.body.data[0].match.explain !== undefined).toBe(word === "true");
  });

  it.each(["yes", "TRUE", "2", ""])("a boolean refuses %j with a 400 naming the parameter", async (value) => {
    const res = await exports.default.fetch(new Request(`${BASE}/v1/anime?include_adult=${value}`));
    expect(res.status).toBe(400);
    expect(res.headers.get("content-type")).toMatch(/^application\/problem\+json/);
    const body = (await res.json()) as any;
    expect(body.code).toBe("validation_failed");
    expect(body.errors).toEqual([{ param: "include_adult", message: "expected true, false, 1 or 0" }]);
  });

  it("a list filter takes repeated and comma-separated values alike, any case", async () => {
    const repeated = await ids("/v1/anime?type=TV&type=MOVIE&limit=100");
    expect(repeated.length).toBeGreaterThan(0);
    expect(await ids("/v1/anime?type=TV,MOVIE&limit=100")).toEqual(repeated);
    expect(await ids("/v1/anime?type=tv&type=movie&limit=100")).toEqual(repeated);
    const genres = await ids("/v1/anime?genres=Sci-Fi&genres=Action&limit=100");
    expect(genres.length).toBeGreaterThan(0);
    expect(await ids("/v1/anime?genres=sci-fi,action&limit=100")).toEqual(genres);
    expect((await getJson("/v1/anime/1?fields=id&fields=title")).body).toEqual((await getJson("/v1/anime/1?fields=id,title")).body);
  });

  it("an unknown value of a closed list is a 400 naming the parameter", async () => {
    const res = await exports.default.fetch(new Request(`${BASE}/v1/anime?type=TV&type=CARTOON`));
    expect(res.status).toBe(400);
    const body = (await res.json()) as any;
    expect(body.code).toBe("validation_failed");
    expect(body.errors.map((e: { param: string }) => e.param)).toEqual(["type"]);
  });
});
