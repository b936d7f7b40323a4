import { env } from "cloudflare:workers";
import { createExecutionContext, waitOnExecutionContext } from "cloudflare:test";
import { createApp } from "../../src/app";
import { isolateMemory } from "../../src/cache/memory-tier";
import { latestGeneration } from "../../src/cache/generation";
import { animeKeys, generationKeys } from "../../src/cache/keys";
import { CacheApiTier } from "../../src/cache/cache-api-tier";
import { BASE } from "../helpers";

/** A settable clock, injected into the app: the cache's idea of "now". */
export function clock(start = Date.now()) {
  let t = start;
  return { now: () => t, set: (ms: number) => void (t = ms), advance: (s: number) => void (t += s * 1000) };
}

/**
 * One request through the app (the Worker's own factory) with the given clock; waits for
 * the waitUntil work (L1/L2 writes, background refreshes) before returning.
 */
export async function get(now: () => number, path: string, init?: RequestInit) {
  const ctx = createExecutionContext();
  const res = await createApp({ now }).fetch(new Request(BASE + path, init), env, ctx);
  const body = (await res.json()) as any;
  await waitOnExecutionContext(ctx);
  return { status: res.status, body, tier: res.headers.get("x-cache"), res };
}

/** Empties L0 (this isolate's memory). */
export const clearL0 = () => isolateMemory.clear();

/** Deletes an anime's L1 entry (the Cache API) under the current generation. */
export async function clearL1Anime(now: number, id: number) {
  await new CacheApiTier(caches.default).delete(animeKeys(await latestGeneration(env.CACHE), id).local);
}

export async function clearL1List(now: number, kind: string, params: Record<string, unknown>) {
  await new CacheApiTier(caches.default).delete((await generationKeys(await latestGeneration(env.CACHE), kind, params)).local);
}
