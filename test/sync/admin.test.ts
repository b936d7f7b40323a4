import { beforeEach, describe, expect, it } from "vitest";
import { env } from "cloudflare:workers";
import { runDurableObjectAlarm } from "cloudflare:test";
import { adminHeaders, call, expectProblem, getJson } from "../helpers";
import { idOf, jsonl, mal, putRelease, resetSync, V1, V2 } from "./fixtures";
import { testServices } from "../helpers";
import { JOBS } from "../../src/scheduled";
import { configOf } from "../../src/config";

beforeEach(resetSync);

const admin = (path: string, method = "GET", body?: unknown) => call(path, { method, headers: adminHeaders, ...(body === undefined ? {} : { body: JSON.stringify(body) }) });

/** Starts a sync through the API and drives the driver object's alarm to the end. */
async function syncViaApi(source: string) {
  const res = await admin("/v1/admin/sync", "POST", { source });
  expect(res.status).toBe(202);
  const run = (await res.json()) as any;
  expect(res.headers.get("location")).toBe(`/v1/admin/sync/runs/${run.id}`);
  for (let i = 0; i < 50 && (await runDurableObjectAlarm(testServices().syncDriver)); i++);
  return (await getJson(`/v1/admin/sync/runs/${run.id}`, { headers: adminHeaders })).body;
}

describe("POST /v1/admin/sync and the run records", () => {
  it("runs through the driver object's alarms; the record has counts, duration and events", async () => {
    await syncViaApi(await putRelease("v1.jsonl", jsonl(V1, "2026-01-03")));
    const run = await syncViaApi(await putRelease("v2.jsonl", jsonl(V2, "2026-01-10")));
    expect(run).toMatchObject({ trigger: "admin", status: "succeeded", phase: "done", source_last_update: "2026-01-10", error: null, counts: { added: 2, flagged: 2, orphaned: 3, merged: 1, split: 1 } });
    expect(run.chunks.done).toBe(run.chunks.total);
    expect(run.duration_ms).toBeGreaterThanOrEqual(0);
    expect(run.events.map((e: any) => e.kind).sort()).toEqual(["merge", "split"]);
    const list = (await getJson("/v1/admin/sync/runs?limit=1", { headers: adminHeaders })).body;
    expect(list.data.map((r: any) => r.id)).toEqual([run.id]);
  });

  it("refuses a bad source, a second run while one runs, and callers without the token", async () => {
    await expectProblem(await admin("/v1/admin/sync", "POST", { source: "ftp://example.org/x.json" }), 400, "validation_failed");
    await expectProblem(await admin("/v1/admin/sync", "POST", { source: "r2:" }), 400, "validation_failed");
    await expectProblem(await admin("/v1/admin/sync", "POST", { source: "r2:x.jsonl", extra: 1 }), 400, "validation_failed");
    expect((await admin("/v1/admin/sync", "POST", { source: await putRelease("v1.jsonl", jsonl(V1, "2026-01-03")) })).status).toBe(202);
    await expectProblem(await admin("/v1/admin/sync", "POST", { source: "r2:sources/v1.jsonl" }), 409, "conflict");
    await expectProblem(await call("/v1/admin/sync", { method: "POST" }), 401, "unauthorized");
    await expectProblem(await admin("/v1/admin/sync/runs/abc"), 400, "validation_failed");
    await expectProblem(await admin("/v1/admin/sync/runs/999999"), 404, "not_found");
  });

  it("the weekly Cron Trigger starts a run of SYNC_SOURCE_URL", async () => {
    const { createScheduledController, createExecutionContext, waitOnExecutionContext } = await import("cloudflare:test");
    const worker = (await import("../../src/index")).default;
    const ctx = createExecutionContext();
    const source = await putRelease("weekly.jsonl", jsonl(V1, "2026-01-03"));
    const cronEnv = { ...env, SYNC_SOURCE_URL: source }; // no real network in tests
    await worker.scheduled(createScheduledController({ cron: JOBS.weeklySync.cron, scheduledTime: Date.now() }), cronEnv, ctx);
    await waitOnExecutionContext(ctx);
    for (let i = 0; i < 50 && (await runDurableObjectAlarm(testServices().syncDriver)); i++);
    const run = await env.DB.prepare("SELECT trigger, source, status FROM sync_run ORDER BY id DESC LIMIT 1").first();
    expect(run).toEqual({ trigger: "cron", source: configOf(cronEnv).SYNC_SOURCE_URL, status: "succeeded" });
  });
});

describe("review queue", () => {
  it("lists open items; approve writes the (edited) entry and invalidates; reject keeps ours; decided items are 409", async () => {
    await syncViaApi(await putRelease("v1.jsonl", jsonl(V1, "2026-01-03")));
    await syncViaApi(await putRelease("v2.jsonl", jsonl(V2, "2026-01-10")));
    const open = (await getJson("/v1/admin/reviews", { headers: adminHeaders })).body.data;
    expect(open.map((r: any) => r.reasons[0])).toEqual(["status: ONGOING → FINISHED", "episodes: 12 → 24"]);
    expect(open[0].current).toMatchObject({ status: "ONGOING" });
    const [finished, longer] = open;

    await env.DB.prepare("UPDATE anime SET synopsis = 'written after the sync' WHERE id = ?1").bind(finished.anime_id).run();
    const before = await call(`/v1/anime/${finished.anime_id}`); // cached now
    expect(((await before.json()) as any).status).toBe("ONGOING");
    const approved = await admin(`/v1/admin/reviews/${finished.id}/approve`, "POST", { entry: { title: "Sync Test 9003 (approved)" } });
    expect(approved.status).toBe(200);
    expect(((await approved.json()) as any).status).toBe("approved");
    const after = (await (await call(`/v1/anime/${finished.anime_id}`)).json()) as any;
    expect([after.status, after.title]).toEqual(["FINISHED", "Sync Test 9003 (approved)"]);
    expect(await env.DB.prepare("SELECT synopsis FROM anime WHERE id = ?1").bind(finished.anime_id).first("synopsis")).toBe("written after the sync"); // the current row, not the proposal's copy

    const rejected = (await (await admin(`/v1/admin/reviews/${longer.id}/reject`, "POST")).json()) as any;
    expect(rejected.status).toBe("rejected");
    expect((await env.DB.prepare("SELECT episodes FROM anime WHERE id = ?1").bind(await idOf(mal(9004))).first("episodes"))).toBe(12);

    await expectProblem(await admin(`/v1/admin/reviews/${finished.id}/approve`, "POST", {}), 409, "conflict");
    await expectProblem(await admin(`/v1/admin/reviews/999999/reject`, "POST"), 404, "not_found");
    await expectProblem(await admin(`/v1/admin/reviews/${longer.id}/approve`, "POST", { entry: { episodes: -3 } }), 400, "validation_failed");
    expect((await getJson("/v1/admin/reviews?status=approved", { headers: adminHeaders })).body.data.map((r: any) => r.id)).toEqual([finished.id]);
  });
});

describe("review decisions race and staleness", () => {
  it("approve and reject at once: one wins, the other is 409, and the entry matches the winner", async () => {
    await syncViaApi(await putRelease("v1.jsonl", jsonl(V1, "2026-01-03")));
    await syncViaApi(await putRelease("v2.jsonl", jsonl(V2, "2026-01-10")));
    const [item] = (await getJson("/v1/admin/reviews", { headers: adminHeaders })).body.data;
    const [a, r] = await Promise.all([admin(`/v1/admin/reviews/${item.id}/approve`, "POST", {}), admin(`/v1/admin/reviews/${item.id}/reject`, "POST")]);
    expect([a.status, r.status].sort()).toEqual([200, 409]);
    const status = await env.DB.prepare("SELECT status FROM anime WHERE id = ?1").bind(item.anime_id).first("status");
    expect(status).toBe(a.status === 200 ? "FINISHED" : "ONGOING");
  });

  it("an item whose anime was orphaned since cannot be approved", async () => {
    await syncViaApi(await putRelease("v1.jsonl", jsonl(V1, "2026-01-03")));
    await syncViaApi(await putRelease("v2.jsonl", jsonl(V2, "2026-01-10")));
    const [item] = (await getJson("/v1/admin/reviews", { headers: adminHeaders })).body.data;
    await env.DB.prepare("UPDATE anime SET system_status = 'ORPHANED' WHERE id = ?1").bind(item.anime_id).run();
    await expectProblem(await admin(`/v1/admin/reviews/${item.id}/approve`, "POST", {}), 409, "conflict");
  });

  it("a POST with an empty body of another media type is a 415, not a 500", async () => {
    await expectProblem(await call("/v1/admin/sync", { method: "POST", headers: { Authorization: adminHeaders.Authorization, "Content-Type": "text/plain" }, body: "" }), 415, "unsupported_media_type");
  });

  it("a sync chunk landing between an approval's read and its write makes the approval a 409, writing nothing", async () => {
    await syncViaApi(await putRelease("v1.jsonl", jsonl(V1, "2026-01-03")));
    await syncViaApi(await putRelease("v2.jsonl", jsonl(V2, "2026-01-10")));
    const [item] = (await getJson("/v1/admin/reviews", { headers: adminHeaders })).body.data;
    const { SyncService } = await import("../../src/sync/service");
    let raced = false;
    const db = new Proxy(env.DB, {
      get(t, p) {
        if (p === "batch")
          return async (s: D1PreparedStatement[]) => {
            if (!raced) {
              raced = true;
              await t.prepare("UPDATE anime SET title = 'NEW FROM SOURCE', updated_at = updated_at + 1 WHERE id = ?1").bind(item.anime_id).run();
            }
            return t.batch(s);
          };
        const v = (t as any)[p];
        return typeof v === "function" ? v.bind(t) : v;
      },
    });
    const service = new SyncService(db, testServices().syncDriver, async () => {});
    await expect(service.approve(item.id, {}, Date.now())).rejects.toMatchObject({ code: "conflict" });
    expect(await env.DB.prepare("SELECT title, status FROM anime WHERE id = ?1").bind(item.anime_id).first()).toEqual({ title: "NEW FROM SOURCE", status: "ONGOING" });
    expect(await env.DB.prepare("SELECT status FROM review_item WHERE id = ?1").bind(item.id).first("status")).toBe("open");
  });
});
