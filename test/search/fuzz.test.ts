import { beforeAll, describe, expect, it } from "vitest";
import { call, importFixture, indexSearch } from "../helpers";
import { queryBody, searchPath, seeded } from "../../scripts/lib/hostile-inputs";

beforeAll(async () => {
  await importFixture();
  await indexSearch();
});

/** Every answer is a 2xx with data, or a problem+json 4xx with code and request id — never a 5xx. */
async function expectWellFormed(res: Response, label: string) {
  expect(res.status, label).toBeLessThan(500);
  const body = (await res.json()) as Record<string, unknown>;
  if (res.status >= 400) {
    expect(res.headers.get("content-type"), label).toMatch(/^application\/problem\+json/);
    expect(typeof body.code, label).toBe("string");
    expect(body.request_id, label).toBe(res.headers.get("x-request-id"));
  } else {
    expect(Array.isArray(body.data), label).toBe(true);
  }
}

// Hundreds of requests per test: a generous timeout, so a loaded machine cannot fail a
// robustness test (speed is measured by scripts, never asserted here).
const MANY = 60_000;

describe("hostile inputs (seeded; npm run fuzz:search sends thousands to a running API)", () => {
  it("GET /v1/search: 300 inputs", async () => {
    const r = seeded(11);
    for (let i = 0; i < 300; i++) {
      const path = searchPath(r);
      await expectWellFormed(await call(path), path);
    }
  }, MANY);

  it("POST /v1/query: 150 bodies, some not JSON, some under another media type", async () => {
    const r = seeded(12);
    for (let i = 0; i < 150; i++) {
      const body = queryBody(r);
      const type = i % 10 === 0 ? "text/plain" : "application/json";
      await expectWellFormed(await call("/v1/query", { method: "POST", headers: { "Content-Type": type }, body }), `${type} ${body.slice(0, 80)}`);
    }
  }, MANY);

  it("a body under another media type is 415, and POST on a GET route still 405", async () => {
    const res = await call("/v1/query", { method: "POST", headers: { "Content-Type": "text/plain" }, body: '{"query":"naruto"}' });
    expect(res.status).toBe(415);
    expect(((await res.json()) as any).code).toBe("unsupported_media_type");
    expect((await call("/v1/search?q=a", { method: "POST", body: "x" })).status).toBe(405);
  });
});
