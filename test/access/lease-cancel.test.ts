import { describe, expect, it } from "vitest";
import { env, exports } from "cloudflare:workers";
import { runInDurableObject } from "cloudflare:test";
import { BASE } from "../helpers";

const pause = (ms: number) => new Promise((r) => setTimeout(r, ms));

describe("leases: no request awaits another request's I/O", () => {
  it("the first of two concurrent leased requests is cancelled mid-call; the second still completes", async () => {
    const ip = "203.0.113.77";
    const quota = env.QUOTA.get(env.QUOTA.idFromName(`ip:${ip}`));
    // Hold the caller's quota object for a moment, so that both requests' quota calls are in flight together.
    void runInDurableObject(quota, (_o, state) => void state.blockConcurrencyWhile(() => pause(400)));
    await pause(20);
    const abort = new AbortController();
    const first = exports.default.fetch(new Request(`${BASE}/v1/genres`, { headers: { "CF-Connecting-IP": ip }, signal: abort.signal })).catch((e: unknown) => e);
    await pause(20);
    const second = exports.default.fetch(new Request(`${BASE}/v1/genres`, { headers: { "CF-Connecting-IP": ip } }));
    await pause(20);
    abort.abort();
    await first;
    const outcome = await Promise.race([second.then((r) => r.status), pause(3000).then(() => "hung")]);
    expect(outcome).toBe(200);
  });
});
