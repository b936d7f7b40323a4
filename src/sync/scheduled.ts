import { configOf } from "../config";
import { syncDriver } from "./factory";

/** The weekly Cron Trigger: a sync of the configured release (a run already going is left alone). */
export async function startScheduledSync(env: Env): Promise<void> {
  const { run, started } = await syncDriver(env).start("cron", configOf(env).SYNC_SOURCE_URL);
  console.log(JSON.stringify({ event: started ? "sync.started" : "sync.already_running", run: run.id, source: run.source }));
}
