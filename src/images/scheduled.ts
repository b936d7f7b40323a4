import type { Services } from "../services";

/** URLs one cron run tries: bounded so the run stays well inside its limits (10 s timeout each, 4 at a time). */
const CRON_BATCH = 100;

/** The 10-minute Cron Trigger's image job: one ingestion batch, one summary line; returns the URLs tried. */
export async function ingestScheduledImages(s: Services): Promise<number> {
  const report = await s.imageIngestor().runBatch(CRON_BATCH);
  s.log.info("images.ingested", { ...report });
  return report.candidates;
}
