import type { Services } from "../services";

/** The weekly Cron Trigger: a sync of the configured release (a run already going is left alone); returns 1 when it started one. */
export async function startScheduledSync(s: Services): Promise<number> {
  const { run, started } = await s.syncDriver.start("cron", s.config.SYNC_SOURCE_URL);
  // The source without its query string: a signed URL's signature must not reach the logs.
  s.log.info(started ? "sync.started" : "sync.already_running", { sync_run: run.id, source: run.source.split("?")[0] });
  return started ? 1 : 0;
}

/** The weekly snapshot Cron Trigger (Sunday 03:00 UTC, after Saturday's sync has settled); returns the anime written. */
export async function writeScheduledSnapshot(s: Services): Promise<number> {
  const m = await s.snapshots.write();
  s.log.info("snapshot.written", { id: m.id, count: m.count, bytes: m.bytes });
  return m.count;
}
