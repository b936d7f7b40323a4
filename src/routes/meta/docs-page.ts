import { ODBL_NOTICE } from "../../catalog/attribution";

/**
 * The interactive docs page. Swagger UI is served from this Worker's static assets
 * (public/vendor, copied from the swagger-ui-dist package), so it renders with no network.
 * The data's licence notice stands above it (the data is what users see here).
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
    window.ui = SwaggerUIBundle({ url: "/openapi.json", dom_id: "#docs", deepLinking: true, tryItOutEnabled: true });
  </script>
</body>
</html>`;
