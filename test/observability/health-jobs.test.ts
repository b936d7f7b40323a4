import { env } from "cloudflare:workers";
import { describe, expect, it } from "vitest";
import { JobLedger } from "../../src/observability/job-ledger";
import { getJson } from "../helpers";

describe("/health/ready job health", () => {
  it("reports each job's last success, and an overdue job as a warning, not a failure", async () => {
    const ledger = new JobLedger(env.DB);
    const now = Date.now();
    const run = (job: string, finishedAt: number, outcome: "ok" | "failed") => ledger.record({ job, runId: crypto.randomUUID(), startedAt: finishedAt - 1000, finishedAt, outcome, items: 1, error: outcome === "ok" ? null : "boom" });
    // Hourly lists: last success 3 h ago, the latest run failed → overdue.
    await run("curatedLists", now - 3 * 3600_000, "ok");
    await run("curatedLists", now - 60_000, "failed");
    // The 10-minute job ran 2 minutes ago → on time.
    await run("searchIndex", now - 120_000, "ok");
    await env.DB.prepare("DELETE FROM job_run WHERE job IN ('weeklySync', 'weeklySnapshot')").run();

    const { status, body } = await getJson("/health/ready");
    expect(status).toBe(200);
    expect(body.status).toBe("ok");
    expect(body.jobs.curatedLists).toEqual({ cron: "0 * * * *", last_success_at: new Date(now - 3 * 3600_000).toISOString(), last_outcome: "failed", overdue: true });
    expect(body.jobs.searchIndex).toMatchObject({ last_outcome: "ok", overdue: false });
    // Never run (a fresh deployment): no warning.
    expect(body.jobs.weeklySync).toEqual({ cron: "0 1 * * SAT", last_success_at: null, last_outcome: null, overdue: false });
    expect(body.warnings).toEqual([expect.stringMatching(/^job curatedLists is overdue: last success .*, runs every 1 h$/)]);
  });
});
