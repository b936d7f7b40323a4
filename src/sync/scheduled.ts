import type { Services } from "../services";

/** The weekly Cron Trigger: a sync of the configured release (a run already going is left alone). */
export async function startScheduledSync(s: Services): Promise<void> {
  const { run, started } = await s.syncDriver.start("cron", s.config.SYNC_SOURCE_URL);
  // The source without its query string: a signed URL's signature must not reach the logs.
  s.log.info(started ? "sync.started" : "sync.already_running", { sync_run: run.id, source: run.source.split("?")[0] });
}

/** The weekly snapshot Cron Trigger (Sunday 03:00 UTC, after Saturday's sync has settled). */
export async function writeScheduledSnapshot(s: Services): Promise<void> {
  const m = await s.snapshots.write();
  s.log.info("snapshot.written", { id: m.id, count: m.count, bytes: m.bytes });
}
