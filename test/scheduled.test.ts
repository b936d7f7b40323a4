import { afterEach, describe, expect, it, vi } from "vitest";
import { env } from "cloudflare:workers";
import { createExecutionContext, createScheduledController, waitOnExecutionContext } from "cloudflare:test";
import { importFixture } from "./helpers";
import worker from "../src/index";
import { JOBS } from "../src/scheduled";

afterEach(() => vi.restoreAllMocks());

/** Runs the Worker's scheduled handler for `cron` with LOG_LEVEL `level`; returns every console line, parsed. */
async function runCron(cron: string, level: string): Promise<Record<string, unknown>[]> {
  const lines: string[] = [];
  for (const m of ["log", "warn", "error"] as const) vi.spyOn(console, m).mockImplementation((line: unknown) => void lines.push(String(line)));
  const ctx = createExecutionContext();
  await worker.scheduled(createScheduledController({ cron, scheduledTime: Date.now() }), { ...env, LOG_LEVEL: level } as Env, ctx);
  await waitOnExecutionContext(ctx);
  return lines.map((l) => JSON.parse(l));
}

describe("cron logs", () => {
  it("carry the job and a run id on every line; LOG_LEVEL=silent writes none", async () => {
    await importFixture();
    const lines = await runCron(JOBS.curatedLists.cron, "info");
    expect(lines.map((l) => l.event)).toEqual(["curated.refreshed", "scheduled.done"]);
    expect(new Set(lines.map((l) => l.job))).toEqual(new Set(["curatedLists"]));
    expect(new Set(lines.map((l) => l.run_id)).size).toBe(1);
    expect(lines[0].run_id).toMatch(/^[0-9a-f-]{36}$/);
    expect(await runCron(JOBS.curatedLists.cron, "silent")).toEqual([]);
  });

  it("an expression that matches no job runs nothing and is logged as an error", async () => {
    const lines = await runCron("0 1 * * 6", "error");
    expect(lines).toEqual([expect.objectContaining({ level: "error", event: "scheduled.unknown_cron", cron: "0 1 * * 6" })]);
  });
});
