import { configOf } from "../config";
import { imageIngestor } from "./factory";

/** URLs one cron run tries: bounded so the run stays well inside its limits (10 s timeout each, 4 at a time). */
const CRON_BATCH = 100;

/** The 10-minute Cron Trigger's image job: one ingestion batch, one summary line. */
export async function ingestScheduledImages(env: Env): Promise<void> {
  const report = await imageIngestor(env).runBatch(CRON_BATCH);
  if (configOf(env).LOG_LEVEL !== "silent") console.log(JSON.stringify({ event: "images.ingested", ...report }));
}
