/**
 * The interactive docs page. Swagger UI is served from this Worker's static assets
 * (public/vendor, copied from the swagger-ui-dist package), so it renders with no network.
 */
export const DOCS_HTML = `<!doctype html>
<html lang="en">
<head>
  <meta charset="utf-8">
  <meta name="viewport" content="width=device-width, initial-scale=1">
  <title>Kensho API — docs</title>
  <link rel="stylesheet" href="/vendor/swagger-ui/swagger-ui.css">
  <style>body{margin:0} .topbar{display:none}</style>
</head>
<body>
  <div id="docs"></div>
  <script src="/vendor/swagger-ui/swagger-ui-bundle.js"></script>
  <script>
    window.ui = SwaggerUIBundle({ url: "/openapi.json", dom_id: "#docs", deepLinking: true, tryItOutEnabled: true });
  </script>
</body>
</html>`;
