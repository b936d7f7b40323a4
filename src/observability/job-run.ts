import { messageOf } from "../logging/logger";
import type { Services } from "../services";
import type { JobRunRecord } from "./job-ledger";

/**
 * What a finished cron run leaves behind: one data point (the metrics sink: Analytics Engine,
 * the local window) and its line in the job ledger (D1). Neither may fail the run: a ledger
 * write that fails is logged as a warning.
 */
export async function recordJobRun(s: Services, run: JobRunRecord & { cron: string }): Promise<void> {
  s.metrics.write({ kind: "job", at: run.finishedAt, job: run.job, runId: run.runId, outcome: run.outcome, cron: run.cron, durationMs: run.finishedAt - run.startedAt, items: run.items });
  try {
    await s.jobLedger.record(run);
  } catch (err) {
    s.log.warn("scheduled.ledger_failed", { message: messageOf(err) });
  }
}
