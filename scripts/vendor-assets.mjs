// Copies the docs page's swagger-ui files from node_modules into public/ so /docs renders
// with no network. Idempotent and quick; run before start, dev, test and deploy.
import { copyFileSync, mkdirSync } from "node:fs";
import { createRequire } from "node:module";
import { dirname, join } from "node:path";

const require = createRequire(import.meta.url);
const dist = dirname(require.resolve("swagger-ui-dist/package.json"));
const out = "public/vendor/swagger-ui";
mkdirSync(out, { recursive: true });
for (const f of ["swagger-ui-bundle.js", "swagger-ui.css"]) copyFileSync(join(dist, f), join(out, f));
