/**
 * Loads bangumi-data's airing schedules into the local D1 (what `npm start` does on every start).
 *
 *   npm run schedule:load                                  # the installed package, into .wrangler/state
 *   npm run schedule:load -- --file data.json              # another copy of dist/data.json
 *   npm run schedule:load -- --persist-to /tmp/state       # the state of `wrangler dev --persist-to /tmp/state`
 *
 * A running server sees the new schedule at once (its cached answers are retired).
 */
import { join } from "node:path";
import { openLocalServices } from "./lib/local-db";
import { arg } from "./lib/cli";
import { loadSchedule } from "./lib/schedule-load";

const persistTo = arg("persist-to", "");
const file = arg("file", "");
const { services, dispose } = await openLocalServices({ job: "schedule-load", ...(persistTo ? { persistPath: join(persistTo, "v3") } : {}) });
try {
  await loadSchedule(services, file || undefined);
} finally {
  await dispose();
}
