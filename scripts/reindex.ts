/**
 * `npm run reindex [-- --url <base> --pending]`: rebuilds the keyword and vector indexes of a
 * running API from scratch (or, with --pending, only what changed), showing progress. The
 * admin token comes from ADMIN_TOKEN in the environment, else from .dev.vars.
 * Start the API first (`npm start`); for production pass --url and set ADMIN_TOKEN.
 */
import { localAdminToken } from "./lib/admin-token";
import { arg } from "./lib/cli";
import { indexUntilDone, waitForServer } from "./lib/search-index";

const base = arg("url", "http://127.0.0.1:8787").replace(/\/$/, "");
const token = process.env.ADMIN_TOKEN ?? localAdminToken().token;

try {
  await waitForServer(base, 5000);
} catch {
  console.error(`reindex: no API answers on ${base}; start it with \`npm start\` (or pass --url).`);
  process.exit(1);
}
await indexUntilDone(base, token, { reset: !process.argv.includes("--pending") });
