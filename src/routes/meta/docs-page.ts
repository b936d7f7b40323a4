import { ODBL_NOTICE } from "../../catalog/attribution";
import { SHOW_EXAMPLES_NOT_SENT } from "./docs-spec";

/**
 * The interactive docs page. Swagger UI is served from this Worker's static assets
 * (public/vendor, copied from the swagger-ui-dist package), so it renders with no network.
 * The data's licence notice stands above it (the data is what users see here). The document
 * is fetched from /openapi.json and shown with optional parameters' examples and defaults in
 * their descriptions (docs-spec.ts), so Try-it-out sends only what the caller fills in; the
 * Authorize dialog takes an API key (either header) or the admin token, kept across reloads.
 */
export const DOCS_HTML = `<!doctype html>
<html lang="en">
<head>
  <meta charset="utf-8">
  <meta name="viewport" content="width=device-width, initial-scale=1">
  <title>Kensho API — docs</title>
  <link rel="stylesheet" href="/vendor/swagger-ui/swagger-ui.css">
  <style>body{margin:0} .topbar{display:none} .data-notice{font:14px/1.5 sans-serif;padding:8px 20px;background:#f4f6f8;border-bottom:1px solid #dde}</style>
</head>
<body>
  <p class="data-notice">${ODBL_NOTICE} Sources and licences: <a href="/v1/about">/v1/about</a>.</p>
  <div id="docs"></div>
  <script src="/vendor/swagger-ui/swagger-ui-bundle.js"></script>
  <script>
    fetch("/openapi.json")
      .then((res) => res.json())
      .then((spec) => {
        window.ui = SwaggerUIBundle({ spec: (function (spec) {${SHOW_EXAMPLES_NOT_SENT}})(spec), dom_id: "#docs", deepLinking: true, tryItOutEnabled: true, persistAuthorization: true });
      });
  </script>
</body>
</html>`;
