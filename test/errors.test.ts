import { beforeAll, describe, expect, it } from "vitest";
import { call, expectProblem, importFixture } from "./helpers";

// Data in the catalog, so the inputs below reach real queries, not just empty tables.
beforeAll(importFixture);

describe("error handling", () => {
  it("404s unknown routes with problem+json", async () => {
    const body = await expectProblem(await call("/v1/nothing-here"), 404, "route_not_found");
    expect(body).toMatchObject({ type: "/problems/route_not_found", status: 404, instance: "/v1/nothing-here" });
  });

  it("405s a wrong method with an Allow header", async () => {
    for (const method of ["POST", "PUT", "DELETE", "PATCH"]) {
      const res = await call("/v1/anime/1", { method });
      await expectProblem(res, 405, "method_not_allowed");
      expect(res.headers.get("allow")).toBe("GET, HEAD");
    }
  });

  it("413s an oversized body before anything else", async () => {
    const res = await call("/v1/anime", { method: "POST", body: "x".repeat(70 * 1024) });
    await expectProblem(res, 413, "payload_too_large");
  });

  it("keeps a well-formed X-Request-ID and replaces a malformed one", async () => {
    const kept = await call("/v1/nothing", { headers: { "X-Request-ID": "client-id_123" } });
    expect(kept.headers.get("x-request-id")).toBe("client-id_123");
    expect(((await kept.json()) as { request_id: string }).request_id).toBe("client-id_123");
    const replaced = await call("/health/live", { headers: { "X-Request-ID": "bad id; <script>" } });
    expect(replaced.headers.get("x-request-id")).toMatch(/^[0-9a-f-]{36}$/);
    const long = await call("/health/live", { headers: { "X-Request-ID": "a".repeat(300) } });
    expect(long.headers.get("x-request-id")).toHaveLength(36);
  });

  it("documents every problem type its `type` points to", async () => {
    const res = await call("/problems/invalid_cursor");
    expect(res.status).toBe(200);
    expect(await res.json()).toMatchObject({ code: "invalid_cursor", status: 400 });
    await expectProblem(await call("/problems/nope"), 404, "not_found");
    await expectProblem(await call("/problems/constructor"), 404, "not_found");
  });

  it("never answers a client mistake with a 500", async () => {
    const paths = ["/v1/anime", "/v1/anime/1", "/v1/anime/lookup", "/v1/seasons/2000/spring", "/v1/random", "/v1/genres", "/v1/studios"];
    const params = ["limit", "cursor", "type", "genres", "year_from", "fields", "sort", "site", "id", "url", "updated_since", "min_score", "x"];
    const values = ["", "%00", "%FF%FE", "-1", "1e309", "NaN", "null", "[]", "{}", "%27", "%22", "%3Cscript%3E", "a".repeat(3000), "%E2%80%AE", "..%2F..%2F", "9".repeat(40), "https%3A%2F%2Fnotify.moe%2Fanime%2F%25", "https%3A%2F%2Fmyanimelist.net%2Fanime%2F1"];
    let checked = 0;
    for (const path of paths) {
      for (const p of params) {
        for (const v of values) {
          const res = await call(`${path}?${p}=${v}`);
          expect(res.status, `${path}?${p}=${v.slice(0, 20)}`).toBeLessThan(500);
          if (res.status >= 400) expect(res.headers.get("content-type")).toMatch(/^application\/problem\+json/);
          await res.body?.cancel();
          checked++;
        }
      }
    }
    expect(checked).toBe(paths.length * params.length * values.length);
  });
});

describe("validation errors are bounded whatever the request", () => {
  it("a 47 KB query string of unknown parameters: each listed once, at most 20, the rest counted; the error stays small", async () => {
    const params = Array.from({ length: 1500 }, (_, i) => `unknown_${i}_${"p".repeat(20)}=${"v".repeat(8)}`);
    const qs = params.join("&");
    expect(qs.length).toBeGreaterThan(47_000);
    const res = await call(`/v1/anime?${qs}`);
    const text = await res.clone().text();
    const body = await expectProblem(res, 400, "validation_failed");
    expect(text.length).toBeLessThan(8 * 1024);
    expect(body.errors).toHaveLength(20);
    expect(body.errors_omitted).toBe(1480);
    expect(new Set(body.errors.map((e: { param: string }) => e.param)).size).toBe(20);
    expect(body.detail).toMatch(/; and 1497 more \(see errors\)$/);
    expect(body.detail.split("unknown parameter")).toHaveLength(4); // three named in detail, not all
  });

  it("long names and echoed values are clipped; a repeated mistake is listed once", async () => {
    const long = "n".repeat(5000);
    const res = await call(`/v1/anime?${long}=1&genres=${"g".repeat(100)}&genres=${"g".repeat(100)}&fields=${"f".repeat(20_000)}`);
    const text = await res.clone().text();
    const body = await expectProblem(res, 400, "validation_failed");
    expect(text.length).toBeLessThan(8 * 1024);
    for (const e of body.errors) expect(e.param.length + e.message.length).toBeLessThanOrEqual(1100);
    expect(body.errors.filter((e: { param: string }) => e.param === "genres")).toHaveLength(1);
  });

  it("a single error reads as before: `param: message`", async () => {
    const body = await expectProblem(await call("/v1/anime?limit=0"), 400, "validation_failed");
    expect(body.detail).toMatch(/^limit: /);
    expect(body.errors_omitted).toBeUndefined();
  });
});
