import { createExecutionContext, createScheduledController, waitOnExecutionContext } from "cloudflare:test";
import { env } from "cloudflare:workers";
import { describe, expect, it } from "vitest";
import { importFixture } from "../helpers";
import { JOBS, runScheduled } from "../../src/scheduled";
import { toDataPoint } from "../../src/observability/data-points";
import { recordingSink } from "./helpers";

async function runJob(cron: string, vars: Record<string, unknown> = {}) {
  const sink = recordingSink();
  const ctx = createExecutionContext();
  const run = runScheduled(createScheduledController({ cron, scheduledTime: Date.now() }), { ...env, ...vars } as Env, ctx, { metrics: sink });
  const error = await run.then(() => null, (err: unknown) => err);
  await waitOnExecutionContext(ctx);
  return { sink, error };
}

describe("one data point per cron run", () => {
  it("records job, run id, outcome, cron, duration and items, and the run in the job ledger", async () => {
    await importFixture();
    const { sink, error } = await runJob(JOBS.curatedLists.cron);
    expect(error).toBeNull();
    expect(sink.points).toHaveLength(1);
    const p = sink.points[0];
    expect(p).toEqual({ kind: "job", at: expect.any(Number), job: "curatedLists", runId: expect.stringMatching(/^[0-9a-f-]{36}$/), outcome: "ok", cron: "0 * * * *", durationMs: expect.any(Number), items: 4 });
    expect(toDataPoint(p)).toEqual({ indexes: ["curatedLists"], blobs: ["job", "curatedLists", p.kind === "job" ? p.runId : "", "ok", "0 * * * *"], doubles: [expect.any(Number), 4] });
    const row = await env.DB.prepare("SELECT * FROM job_run WHERE job = 'curatedLists'").first<Record<string, unknown>>();
    expect(row).toMatchObject({ outcome: "ok", run_id: p.kind === "job" && p.runId, items: 4, error: null, last_success_run_id: p.kind === "job" && p.runId });
  });

  it("a failed run is recorded as failed and keeps the last success", async () => {
    await runJob(JOBS.weeklySnapshot.cron);
    const before = await env.DB.prepare("SELECT last_success_at FROM job_run WHERE job = 'weeklySnapshot'").first<{ last_success_at: number }>();
    // A snapshot with a bucket that refuses every write fails the run.
    const failing = { put: () => Promise.reject(new Error("r2 down")), get: () => Promise.resolve(null), head: () => Promise.resolve(null), list: () => Promise.resolve({ objects: [], truncated: false }) };
    const { sink, error } = await runJob(JOBS.weeklySnapshot.cron, { CATALOG: failing });
    expect(error).toBeInstanceOf(Error);
    expect(sink.points).toEqual([expect.objectContaining({ kind: "job", job: "weeklySnapshot", outcome: "failed", items: 0 })]);
    const row = await env.DB.prepare("SELECT outcome, error, last_success_at FROM job_run WHERE job = 'weeklySnapshot'").first<Record<string, unknown>>();
    expect(row).toMatchObject({ outcome: "failed", error: expect.stringContaining("r2 down"), last_success_at: before!.last_success_at });
  });
});
