import { configOf } from "../config";
import { syncDriver } from "./factory";
import { writeSnapshot } from "./snapshot";

/** The weekly Cron Trigger: a sync of the configured release (a run already going is left alone). */
export async function startScheduledSync(env: Env): Promise<void> {
  const { run, started } = await syncDriver(env).start("cron", configOf(env).SYNC_SOURCE_URL);
  console.log(JSON.stringify({ event: started ? "sync.started" : "sync.already_running", run: run.id, source: run.source }));
}

/** The weekly snapshot Cron Trigger (Sunday 03:00 UTC, after Saturday's sync has settled). */
export async function writeScheduledSnapshot(env: Env): Promise<void> {
  const m = await writeSnapshot(env.DB, env.CATALOG, Date.now());
  console.log(JSON.stringify({ event: "snapshot.written", id: m.id, count: m.count, bytes: m.bytes }));
}
