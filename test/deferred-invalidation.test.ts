import { describe, expect, inject, it } from "vitest";
import { env } from "cloudflare:workers";
import { createExecutionContext, createScheduledController, runDurableObjectAlarm, waitOnExecutionContext } from "cloudflare:test";
import { importEntries, resetCatalog, testServices } from "./helpers";
import { entityKey, latestGeneration } from "../src/cache/generation";
import { runScheduled, JOBS } from "../src/scheduled";
import { entry, idOf, jsonl, mal, putRelease, resetSync, syncToEnd, V1, V2 } from "./sync/fixtures";

/**
 * The invalidator deletes a changed anime's L2 key twice: at the write, and again a moment
 * later, for a reader that loaded the old value just before the write and stored it just after
 * (src/cache/generation.ts). The second delete must outlive the code that wrote: a cron's
 * ExecutionContext and a Durable Object's call keep it alive. Each test plays that late
 * reader: it waits for the first delete, stores the stale value again, and expects it gone
 * by the time the invocation (and what it handed to waitUntil) has finished.
 */
const STALE = JSON.stringify({ value: "stale", status: 200, storedAt: 0, freshUntil: 8.64e15, staleUntil: 8.64e15 });

/** Resolves once `key` is gone from KV (the first delete), then puts the stale value back. */
async function replayLateReader(key: string, running: Promise<unknown>): Promise<void> {
  let finished = false;
  void running.finally(() => (finished = true));
  for (const started = Date.now(); Date.now() - started < 20_000; ) {
    if ((await env.CACHE.get(key)) === null) {
      await env.CACHE.put(key, STALE);
      return;
    }
    if (finished) throw new Error("the invocation ended without deleting the key");
    await new Promise((r) => setTimeout(r, 2));
  }
  throw new Error("the key was never deleted");
}

describe("the invalidator's second delete outlives the writer", () => {
  it("in a cron: the image job's invalidation, kept alive by the scheduled event's ExecutionContext", async () => {
    await resetCatalog();
    await env.DB.prepare("DELETE FROM image_source").run();
    const server = inject("imageServer");
    await importEntries(env.DB, [entry(9301, { picture: `${server}/good/1.jpg`, thumbnail: `${server}/good/1.jpg?t` })], { source: "deferred" });
    const id = (await idOf(mal(9301)))!;
    const key = entityKey((await latestGeneration(env.CACHE)).epoch, id);
    await env.CACHE.put(key, STALE);
    const ctx = createExecutionContext();
    const run = runScheduled(createScheduledController({ cron: JOBS.searchIndex.cron, scheduledTime: Date.now() }), env, ctx);
    await replayLateReader(key, run);
    await run;
    await waitOnExecutionContext(ctx);
    expect(await env.CACHE.get(key)).toBeNull();
  });

  it("in the sync Durable Object: the alarm does not end before the second delete", async () => {
    await resetSync();
    await syncToEnd(await putRelease("d1.jsonl", jsonl(V1, "2026-01-03")));
    const id = (await idOf(mal(9002)))!; // retitled by V2
    const key = entityKey((await latestGeneration(env.CACHE)).epoch, id);
    await env.CACHE.put(key, STALE);
    const s = testServices();
    await s.syncDriver.start("test", await putRelease("d2.jsonl", jsonl(V2, "2026-01-10")));
    const drive = (async () => {
      for (let i = 0; i < 50 && (await runDurableObjectAlarm(s.syncDriver)); i++);
    })();
    await replayLateReader(key, drive);
    await drive;
    expect(await env.CACHE.get(key)).toBeNull();
  });
});
