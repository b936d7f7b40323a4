/**
 * Loads the installed bangumi-data package (a dev dependency) into the local schedule tables:
 * `npm start` and `npm run schedule:load`. The JSON (~7 MB) is read here, in Node, and written
 * through the composition root's loader (src/schedule/loader.ts), the same code the hourly
 * cron runs in production; the Worker never bundles it. Same content as loaded: nothing written.
 */
import { readFileSync } from "node:fs";
import { createRequire } from "node:module";
import { dirname, join } from "node:path";
import type { Services } from "../../src/services";
import type { LoadOutcome } from "../../src/schedule/loader";

/** The installed package's data.json and version. */
export function installedBangumiData(): { text: string; version: string; path: string } {
  const pkg = createRequire(import.meta.url).resolve("bangumi-data/package.json");
  const path = join(dirname(pkg), "dist", "data.json");
  return { text: readFileSync(path, "utf8"), version: (JSON.parse(readFileSync(pkg, "utf8")) as { version: string }).version, path };
}

/** Loads `file` (a bangumi-data data.json), or the installed package; prints one line. */
export async function loadSchedule(services: Services, file?: string): Promise<LoadOutcome> {
  const started = Date.now();
  const from = file ? { text: readFileSync(file, "utf8"), version: undefined, source: `file:${file}` } : (({ text, version }) => ({ text, version, source: `npm:bangumi-data@${version}` }))(installedBangumiData());
  const outcome = await services.scheduleLoader().load(from.text, { source: from.source, version: from.version });
  const took = `${((Date.now() - started) / 1000).toFixed(1)} s`;
  if (outcome.status === "loaded") console.log(`schedule: loaded ${from.source} (version ${outcome.version}): ${outcome.items} items, ${outcome.rules} broadcast and stream rules, ${outcome.linked} items linked to the catalog, in ${took}`);
  else console.log(`schedule: ${from.source} already loaded${outcome.relinked ? " (links to the catalog refreshed)" : ""}`);
  return outcome;
}
