import { beforeAll, describe, expect, it } from "vitest";
import { env } from "cloudflare:workers";
import { createExecutionContext, waitOnExecutionContext } from "cloudflare:test";
import { createApp } from "../../src/app";
import { BASE, importFixture } from "../helpers";
import { kensho, KenshoError, RateLimited } from "../../examples/typescript/client";

beforeAll(async () => {
  await importFixture();
});

/** The example client over the Worker itself, with the given RATE_LIMITS (the local profile's when absent), from its own IP. */
let ip = 0;
function client(rateLimits?: object) {
  const from = `198.51.100.${++ip}`;
  const app = createApp({ now: () => Date.UTC(2030, 0, 1, 12) });
  const vars = rateLimits ? { ...env, RATE_LIMITS: JSON.stringify(rateLimits) } : env;
  const fetch = async (request: Request) => {
    const ctx = createExecutionContext();
    const headers = new Headers(request.headers);
    headers.set("CF-Connecting-IP", from);
    const res = await app.fetch(new Request(request, { headers }), vars, ctx);
    await waitOnExecutionContext(ctx);
    return res;
  };
  return kensho(BASE, { fetch });
}

describe("examples/typescript: the generated client (openapi-typescript + openapi-fetch)", () => {
  it("searches and gets an anime, typed", async () => {
    const api = client();
    const [hit] = await api.search("cowboy bebop", 3);
    expect(hit?.title).toBe("Cowboy Bebop");
    expect(hit?.match.confidence).toBe(1);
    const anime = await api.getAnime(hit!.id);
    expect(anime?.title).toBe("Cowboy Bebop");
    expect(anime?.episodes).toBeGreaterThan(0);
  });

  it("turns a 404 into null and a bad request into a KenshoError carrying the problem", async () => {
    const api = client();
    expect(await api.getAnime(999_999_999)).toBeNull();
    const err = await api.search("", 3).catch((e: unknown) => e);
    expect(err).toBeInstanceOf(KenshoError);
    expect((err as KenshoError).problem.code).toBe("validation_failed");
    expect((err as KenshoError).problem.request_id).toBeTruthy();
  });

  it("surfaces a 429 as RateLimited with the seconds to wait", async () => {
    const api = client({ anonymous: { daily: 1, burst: 1000 } });
    await api.search("bebop", 1);
    const err = await api.search("bebop", 1).catch((e: unknown) => e);
    expect(err).toBeInstanceOf(RateLimited);
    expect((err as RateLimited).problem.code).toBe("rate_limited");
    expect((err as RateLimited).retryAfterSeconds).toBeGreaterThan(0);
  });
});
