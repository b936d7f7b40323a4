import { refreshCurated } from "./cache/curated-refresh";
import { indexPendingSearch } from "./search/scheduled";
import { startScheduledSync, writeScheduledSnapshot } from "./sync/scheduled";
import { ingestScheduledImages } from "./images/scheduled";

/** Cron expressions of wrangler.toml's [triggers], by job. */
export const CRONS = { curatedLists: "0 * * * *", searchIndex: "*/10 * * * *", weeklySync: "0 1 * * 6", weeklySnapshot: "0 3 * * 0" } as const;

/** Dispatches a Cron Trigger to its job (an unknown expression runs nothing and says so). */
export async function runScheduled(controller: ScheduledController, env: Env, ctx: ExecutionContext): Promise<void> {
  switch (controller.cron) {
    case CRONS.curatedLists:
      return refreshCurated(env, ctx);
    case CRONS.searchIndex:
      // Two independent jobs: one failing must not stop the other.
      await Promise.allSettled([indexPendingSearch(env), ingestScheduledImages(env)]).then((r) => r.forEach((x) => x.status === "rejected" && console.error(JSON.stringify({ event: "scheduled.job_failed", cron: controller.cron, message: String(x.reason) }))));
      return;
    case CRONS.weeklySync:
      return startScheduledSync(env);
    case CRONS.weeklySnapshot:
      return writeScheduledSnapshot(env);
    default:
      console.warn(JSON.stringify({ event: "scheduled.unknown_cron", cron: controller.cron }));
  }
}
