import { beforeAll, describe, expect, it } from "vitest";
import { call, importFixture } from "./helpers";
import { ANIME_FIELDS } from "../src/catalog/anime-schema";

/**
 * Routes without a projection send the cached JSON as it is stored (src/routes/cached.ts):
 * the body must be exactly what serialising the value would give, on a miss and on a hit.
 */
beforeAll(importFixture);

const ALL = `fields=${ANIME_FIELDS.join(",")}`;

describe("stored JSON sent as it is", () => {
  it.each([
    ["/v1/anime/5", `/v1/anime/5?${ALL}`],
    ["/v1/anime?limit=3&type=TV", `/v1/anime?limit=3&type=TV&${ALL}`],
    ["/v1/seasons/1998/spring?limit=2", `/v1/seasons/1998/spring?limit=2&${ALL}`],
  ])("%s equals the serialised value (miss and hit), with the same content type", async (plain, projected) => {
    const expected = await (await call(projected)).json();
    for (const tier of ["miss", "hit"]) {
      const res = await call(plain);
      expect(res.status, tier).toBe(200);
      expect(res.headers.get("content-type")).toBe("application/json");
      const text = await res.text();
      expect(JSON.parse(text), tier).toEqual(expected);
      expect(text, tier).toBe(JSON.stringify(expected));
    }
  });

  it("/v1/genres wraps the stored list as {data}", async () => {
    const a = await (await call("/v1/genres")).text();
    const b = await (await call("/v1/genres")).text();
    expect(a).toBe(b);
    const body = JSON.parse(a);
    expect(Array.isArray(body.data)).toBe(true);
    expect(body.data[0]).toEqual({ name: expect.any(String), count: expect.any(Number) });
  });
});

describe("the ETag of stored JSON", () => {
  const sha1 = async (text: string) => [...new Uint8Array(await crypto.subtle.digest("SHA-1", new TextEncoder().encode(text)))].map((b) => b.toString(16).padStart(2, "0")).join("");

  it.each(["/v1/anime/7", "/v1/anime?limit=4", "/v1/genres"])("%s: the SHA-1 of the body, the same on a hit, and a 304 for it", async (path) => {
    const miss = await call(path);
    const hit = await call(path);
    const [a, b] = [await miss.text(), await hit.text()];
    expect(miss.headers.get("etag")).toBe(`"${await sha1(a)}"`);
    expect(hit.headers.get("etag")).toBe(`"${await sha1(b)}"`);
    const notModified = await call(path, { headers: { "If-None-Match": hit.headers.get("etag")! } });
    expect(notModified.status).toBe(304);
  });
});
