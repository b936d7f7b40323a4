import { beforeAll, describe, expect, it } from "vitest";
import { env } from "cloudflare:workers";
import { call, expectProblem } from "../helpers";

const bytes = new Uint8Array(Array.from({ length: 1000 }, (_, i) => i % 251));
let key: string;

beforeAll(async () => {
  const sha = [...new Uint8Array(await crypto.subtle.digest("SHA-256", bytes))].map((x) => x.toString(16).padStart(2, "0")).join("");
  key = `${sha}.png`;
  await env.IMAGES.put(`images/${key}`, bytes, { httpMetadata: { contentType: "image/png" } });
});

describe("GET /images/{key}", () => {
  it("200 with type, ETag, Last-Modified and an immutable cache policy; then from the Cache API", async () => {
    const res = await call(`/images/${key}`);
    expect(res.status).toBe(200);
    expect(res.headers.get("content-type")).toBe("image/png");
    expect(res.headers.get("cache-control")).toBe("public, max-age=31536000, immutable");
    expect(res.headers.get("etag")).toMatch(/^"/);
    expect(res.headers.get("last-modified")).toMatch(/GMT$/);
    expect(new Uint8Array(await res.arrayBuffer())).toEqual(bytes);
    let again: Response | undefined;
    for (let i = 0; i < 10 && again?.headers.get("x-cache") !== "HIT"; i++) {
      again = await call(`/images/${key}`);
      await again.arrayBuffer();
    }
    expect(again!.headers.get("x-cache")).toBe("HIT");
  });

  it("304 on If-None-Match with the ETag", async () => {
    const etag = (await call(`/images/${key}`)).headers.get("etag")!;
    const res = await call(`/images/${key}`, { headers: { "If-None-Match": etag } });
    expect([res.status, res.headers.get("etag")]).toEqual([304, etag]);
  });

  it("206 on a Range request, with Content-Range", async () => {
    const res = await call(`/images/${key}`, { headers: { Range: "bytes=100-199" } });
    expect(res.status).toBe(206);
    expect(res.headers.get("content-range")).toBe("bytes 100-199/1000");
    expect(new Uint8Array(await res.arrayBuffer())).toEqual(bytes.slice(100, 200));
    const tail = await call(`/images/${key}`, { headers: { Range: "bytes=-10" } });
    expect([tail.status, tail.headers.get("content-range")]).toEqual([206, "bytes 990-999/1000"]);
  });

  it("a malformed key is 400, an unknown one 404 (problem+json)", async () => {
    await expectProblem(await call("/images/..%2Fsecret.png"), 400, "validation_failed");
    await expectProblem(await call("/images/not-a-hash.png"), 400, "validation_failed");
    await expectProblem(await call(`/images/${"0".repeat(64)}.jpg`), 404, "not_found");
  });

  it("a range past the end is 416; a malformed or multi-range header gets the whole image", async () => {
    const past = await call(`/images/${key}`, { headers: { Range: "bytes=5000-" } });
    expect([past.status, past.headers.get("content-range")]).toEqual([416, "bytes */1000"]);
    for (const range of ["bytes=abc", "bytes=0-1,5-6", "items=0-5"]) {
      const res = await call(`/images/${key}`, { headers: { Range: range } });
      expect([range, res.status, (await res.arrayBuffer()).byteLength]).toEqual([range, 200, 1000]);
    }
  });
});
