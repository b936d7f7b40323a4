import type { Services } from "../services";

/**
 * Hourly cron step: refreshes the airing schedule from SCHEDULE_SOURCE_URL at most daily
 * (src/schedule/loader.ts). Logs one line when it asked the source; nothing when the source is
 * `off` or not due.
 */
export async function refreshScheduleSource(s: Services): Promise<void> {
  const outcome = await s.scheduleLoader().refresh();
  if (outcome.status !== "off" && outcome.status !== "not_due") s.log.info("schedule.refreshed", outcome);
}
