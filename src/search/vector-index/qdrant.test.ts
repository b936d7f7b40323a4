import { tagsOfGenre } from "../../catalog/genres";
import { createServer, type IncomingHttpHeaders, type Server } from "node:http";
import type { AddressInfo } from "node:net";
import { afterAll, afterEach, beforeAll, beforeEach, describe, expect, it, vi } from "vitest";
import type { VectorMetadata, VectorRecord } from "./interface";
import { QDRANT_PAYLOAD_INDEXES, QdrantVectorIndex } from "./qdrant";

/**
 * The real @qdrant/js-client-rest talks HTTP to a loopback server that plays the few Qdrant
 * REST endpoints the adapter uses (answers shaped like Qdrant's `{result, status, time}`).
 * The tests pin the requests Qdrant would receive and how the adapter reads the answers; they
 * do not show that Qdrant evaluates the filters as intended (see docs/vector-backends.md).
 */
interface Received {
  method: string;
  url: string;
  headers: IncomingHttpHeaders;
  body: unknown;
}
type Route = (body: unknown) => { status?: number; result: unknown };

const received: Received[] = [];
const routes = new Map<string, Route>();
let server: Server;
let url: string;

beforeAll(async () => {
  server = createServer((req, res) => {
    let raw = "";
    req.on("data", (chunk: Buffer) => (raw += chunk.toString()));
    req.on("end", () => {
      const body: unknown = raw ? JSON.parse(raw) : undefined;
      received.push({ method: req.method ?? "", url: req.url ?? "", headers: req.headers, body });
      const route = routes.get(`${req.method} ${new URL(req.url ?? "", "http://x").pathname}`);
      const { status = 200, result } = route ? route(body) : { status: 404, result: null };
      res.writeHead(status, { "content-type": "application/json" });
      res.end(JSON.stringify(status === 200 ? { result, status: "ok", time: 0.001 } : { status: { error: "fake error" }, time: 0 }));
    });
  });
  await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
  url = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
});

afterAll(async () => {
  server.closeAllConnections();
  await new Promise((resolve) => server.close(resolve));
});

beforeEach(() => {
  received.length = 0;
  routes.clear();
  // The client warns that an api key travels over plain http; true here, never in production.
  vi.spyOn(console, "warn").mockImplementation(() => {});
});
afterEach(() => vi.restoreAllMocks());

const COLLECTION = "/collections/kensho_anime";
const UPDATED = { operation_id: 1, status: "completed" };
const META: VectorMetadata = {
  type: "TV", status: "FINISHED", season: "SPRING", year: null, score: 8.7, episodes: 26,
  genres: ["action", "sci-fi"], studios: ["sunrise"], system_status: "ACTIVE", updated_at: 1_700_000_000_000,
};
const record = (id: number): VectorRecord => ({ id, values: [0.5, 0.5, 0, id], metadata: META });
const index = (collection?: string) => new QdrantVectorIndex({ url, apiKey: "secret-key", collection });
const only = (method: string) => received.filter((r) => r.method === method);

describe("QdrantVectorIndex.query", () => {
  it("queries the named vector without payload, active non-adult entries only, with the api key", async () => {
    routes.set(`POST ${COLLECTION}/points/query`, () => ({ result: { points: [{ id: 42, version: 3, score: 0.91 }, { id: 7, version: 1, score: 0.5 }] } }));
    const result = await index().query({ vector: [1, 0, 0, 0], topK: 5 });
    expect(received).toHaveLength(1);
    expect(received[0]).toMatchObject({ method: "POST", url: `${COLLECTION}/points/query` });
    expect(received[0].headers["api-key"]).toBe("secret-key");
    expect(received[0].body).toEqual({
      query: [1, 0, 0, 0], using: "text", limit: 5, with_payload: false,
      filter: { must: [{ key: "system_status", match: { value: "ACTIVE" } }], must_not: [{ key: "genres", match: { any: ["hentai"] } }] },
    });
    expect(result).toEqual([{ id: 42, score: 0.91 }, { id: 7, score: 0.5 }]);
  });

  it("translates every filter to must / must_not conditions", async () => {
    routes.set(`POST ${COLLECTION}/points/query`, () => ({ result: { points: [] } }));
    await index().query({
      vector: [1],
      topK: 10,
      filter: {
        type: ["TV", "MOVIE"], type_exclude: ["SPECIAL"], status: ["FINISHED"], season: ["FALL"],
        year_from: 1990, year_to: 1999, min_score: 7.5, episodes_min: 12, updated_since: "2026-01-01T00:00:00Z",
        genres: ["Mecha"], tags: ["Sci-Fi", "ACTION"], genres_exclude: ["Ecchi"], tags_exclude: ["Gore"], studios: ["Sunrise", "bones"],
      },
    });
    expect((received[0].body as { filter: unknown }).filter).toEqual({
      must: [
        { key: "system_status", match: { value: "ACTIVE" } },
        { key: "type", match: { any: ["TV", "MOVIE"] } },
        { key: "status", match: { any: ["FINISHED"] } },
        { key: "season", match: { any: ["FALL"] } },
        { key: "year", range: { gte: 1990, lte: 1999 } },
        { key: "score", range: { gte: 7.5 } },
        { key: "episodes", range: { gte: 12 } },
        { key: "updated_at", range: { gte: Date.UTC(2026, 0, 1) } },
        { key: "genres", match: { any: [...tagsOfGenre("Mecha")] } },
        { key: "genres", match: { any: ["sci-fi"] } },
        { key: "genres", match: { any: ["action"] } },
        { key: "studios", match: { any: ["sunrise", "bones"] } },
      ],
      must_not: [
        { key: "type", match: { any: ["SPECIAL"] } },
        { key: "genres", match: { any: ["ecchi", "gore", "hentai"] } },
      ],
    });
  });

  it("sends no filter when orphans are included and nothing else is set, and clamps topK", async () => {
    routes.set(`POST ${COLLECTION}/points/query`, () => ({ result: { points: [] } }));
    await index().query({ vector: [1], topK: 500, filter: { include_orphaned: true, include_adult: true } });
    expect(received[0].body).toEqual({ query: [1], using: "text", limit: 100, with_payload: false });
  });

  it("throws when Qdrant fails, and on a point id that is not an anime id", async () => {
    routes.set(`POST ${COLLECTION}/points/query`, () => ({ status: 500, result: null }));
    await expect(index().query({ vector: [1], topK: 1 })).rejects.toMatchObject({ status: 500 });
    routes.set(`POST ${COLLECTION}/points/query`, () => ({ result: { points: [{ id: "5c56c793-69f3-4fbf-87e6-c4bf54c28c26", version: 1, score: 1 }] } }));
    await expect(index().query({ vector: [1], topK: 1 })).rejects.toThrow(/not an anime id/);
  });

  it("uses the configured collection name", async () => {
    routes.set("POST /collections/anime_v2/points/query", () => ({ result: { points: [] } }));
    await index("anime_v2").query({ vector: [1], topK: 1 });
    expect(received[0].url).toBe("/collections/anime_v2/points/query");
  });
});

describe("QdrantVectorIndex.queryById", () => {
  it("searches by the point id on the named vector, one more than topK, dropping the point itself", async () => {
    routes.set(`POST ${COLLECTION}/points/query`, () => ({
      result: { points: [{ id: 42, version: 1, score: 1 }, { id: 7, version: 1, score: 0.8 }, { id: 9, version: 1, score: 0.7 }] },
    }));
    const result = await index().queryById(42, { topK: 2, filter: { studios: ["Sunrise"] } });
    expect(received).toHaveLength(1);
    expect(received[0].body).toEqual({
      query: 42, using: "text", limit: 3, with_payload: false,
      filter: { must: [{ key: "system_status", match: { value: "ACTIVE" } }, { key: "studios", match: { any: ["sunrise"] } }], must_not: [{ key: "genres", match: { any: ["hentai"] } }] },
    });
    expect(result).toEqual([{ id: 7, score: 0.8 }, { id: 9, score: 0.7 }]);
  });

  it("keeps topK when Qdrant already leaves the point out, and never asks for more than maxTopK", async () => {
    routes.set(`POST ${COLLECTION}/points/query`, () => ({ result: { points: [{ id: 7, version: 1, score: 0.8 }, { id: 9, version: 1, score: 0.7 }] } }));
    expect(await index().queryById(42, { topK: 1 })).toEqual([{ id: 7, score: 0.8 }]);
    await index().queryById(42, { topK: 500 });
    expect((received[1].body as { limit: number }).limit).toBe(100);
  });

  it("answers null when the point does not exist (404, then an empty retrieve)", async () => {
    routes.set(`POST ${COLLECTION}/points/query`, () => ({ status: 404, result: null }));
    routes.set(`POST ${COLLECTION}/points`, () => ({ result: [] }));
    expect(await index().queryById(42, { topK: 5 })).toBeNull();
    expect(received[1]).toMatchObject({ method: "POST", url: `${COLLECTION}/points`, body: { ids: [42], with_payload: false, with_vector: false } });
  });

  it("rethrows when the point exists or the retrieve fails too", async () => {
    routes.set(`POST ${COLLECTION}/points/query`, () => ({ status: 500, result: null }));
    routes.set(`POST ${COLLECTION}/points`, () => ({ result: [{ id: 42, payload: null, vector: null }] }));
    await expect(index().queryById(42, { topK: 5 })).rejects.toMatchObject({ status: 500 });
    routes.delete(`POST ${COLLECTION}/points`);
    await expect(index().queryById(42, { topK: 5 })).rejects.toMatchObject({ status: 500 });
  });
});

describe("QdrantVectorIndex writes and count", () => {
  it("upserts points with the anime id, the named vector and the metadata as payload, waiting", async () => {
    routes.set(`PUT ${COLLECTION}/points`, () => ({ result: UPDATED }));
    await index().upsert([record(1), record(2)]);
    expect(received).toHaveLength(1);
    expect(received[0].url).toBe(`${COLLECTION}/points?wait=true`);
    expect(received[0].body).toEqual({
      points: [
        { id: 1, vector: { text: [0.5, 0.5, 0, 1] }, payload: META },
        { id: 2, vector: { text: [0.5, 0.5, 0, 2] }, payload: META },
      ],
    });
  });

  it("upserts at most 256 points per request", async () => {
    routes.set(`PUT ${COLLECTION}/points`, () => ({ result: UPDATED }));
    await index().upsert(Array.from({ length: 300 }, (_, i) => record(i + 1)));
    const batches = only("PUT").map((r) => (r.body as { points: { id: number }[] }).points);
    expect(batches.map((b) => b.length)).toEqual([256, 44]);
    expect(batches[1][0].id).toBe(257);
  });

  it("deletes by point ids, waiting, and sends nothing for no ids", async () => {
    routes.set(`POST ${COLLECTION}/points/delete`, () => ({ result: UPDATED }));
    await index().delete([]);
    expect(received).toEqual([]);
    await index().delete([3, 4]);
    expect(received[0]).toMatchObject({ method: "POST", url: `${COLLECTION}/points/delete?wait=true`, body: { points: [3, 4] } });
  });

  it.each([
    ["https://qdrant.example", "https://qdrant.example/collections/kensho_anime/points/count"],
    ["https://qdrant.example:6333", "https://qdrant.example:6333/collections/kensho_anime/points/count"],
  ])("uses %s as given, adding no port", async (configured, requested) => {
    // Off the loopback server: a port-less URL cannot point at it, so the client's fetch is stubbed.
    const fetched: string[] = [];
    vi.stubGlobal("fetch", async (input: string) => {
      fetched.push(input);
      return Response.json({ result: { count: 1 }, status: "ok", time: 0 });
    });
    try {
      await new QdrantVectorIndex({ url: configured }).count();
    } finally {
      vi.unstubAllGlobals();
    }
    expect(fetched).toEqual([requested]);
  });

  it("counts exactly", async () => {
    routes.set(`POST ${COLLECTION}/points/count`, () => ({ result: { count: 24901 } }));
    expect(await index().count()).toBe(24901);
    expect(received[0].body).toEqual({ exact: true });
  });
});

describe("QdrantVectorIndex.ensureCollection", () => {
  function collection(size: number, indexed: string[]) {
    return {
      result: {
        status: "green",
        config: { params: { vectors: { text: { size, distance: "Cosine" } } } },
        payload_schema: Object.fromEntries(indexed.map((k) => [k, { data_type: "keyword", points: 0 }])),
      },
    };
  }

  it("creates a missing collection with the named cosine vector, then every payload index", async () => {
    routes.set(`GET ${COLLECTION}/exists`, () => ({ result: { exists: false } }));
    routes.set(`PUT ${COLLECTION}`, () => ({ result: true }));
    routes.set(`GET ${COLLECTION}`, () => collection(1024, []));
    routes.set(`PUT ${COLLECTION}/index`, () => ({ result: UPDATED }));
    await index().ensureCollection(1024);
    const create = received.find((r) => r.method === "PUT" && r.url === COLLECTION);
    expect(create?.body).toEqual({ vectors: { text: { size: 1024, distance: "Cosine" } } });
    const indexes = received.filter((r) => r.url === `${COLLECTION}/index?wait=true`).map((r) => r.body);
    expect(indexes).toEqual([
      { field_name: "type", field_schema: "keyword" },
      { field_name: "status", field_schema: "keyword" },
      { field_name: "season", field_schema: "keyword" },
      { field_name: "genres", field_schema: "keyword" },
      { field_name: "studios", field_schema: "keyword" },
      { field_name: "system_status", field_schema: "keyword" },
      { field_name: "year", field_schema: "integer" },
      { field_name: "score", field_schema: "float" },
      { field_name: "episodes", field_schema: "integer" },
      { field_name: "updated_at", field_schema: "integer" },
    ]);
    expect(received.every((r) => r.headers["api-key"] === "secret-key")).toBe(true);
  });

  it("keeps an existing collection and adds only the missing indexes", async () => {
    routes.set(`GET ${COLLECTION}/exists`, () => ({ result: { exists: true } }));
    routes.set(`GET ${COLLECTION}`, () => collection(1024, Object.keys(QDRANT_PAYLOAD_INDEXES).filter((k) => k !== "studios")));
    routes.set(`PUT ${COLLECTION}/index`, () => ({ result: UPDATED }));
    await index().ensureCollection(1024);
    expect(only("PUT").map((r) => r.body)).toEqual([{ field_name: "studios", field_schema: "keyword" }]);
  });

  it("refuses a collection whose vector has another size", async () => {
    routes.set(`GET ${COLLECTION}/exists`, () => ({ result: { exists: true } }));
    routes.set(`GET ${COLLECTION}`, () => collection(768, []));
    await expect(index().ensureCollection(1024)).rejects.toThrow(/1024 dimensions/);
    expect(only("PUT")).toEqual([]);
  });
});
