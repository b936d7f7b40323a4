/**
 * What the docs page does to the document before Swagger UI renders it, as browser JavaScript:
 * the body of `function (spec)`, returning the spec changed in place.
 *
 * Swagger UI fills a parameter's Try-it-out field with its example or default and then sends
 * it, so on /v1/search a caller typing only `q` would send every optional filter's example.
 * Optional parameters therefore lose their example and default here and show them in their
 * description ("Default: `false`. Example: `TV`."), so Try-it-out sends only what the caller
 * fills in; required parameters keep theirs. /openapi.json itself keeps both, for client
 * generators and other tools.
 *
 * Plain source text rather than a function's toString(): the Worker's bundler rewrites named
 * functions with helpers (`__name`) that do not exist in the browser.
 */
export const SHOW_EXAMPLES_NOT_SENT = `
  var shown = function (v) {
    return "\`" + (Array.isArray(v) ? v.join(",") : typeof v === "object" && v !== null ? JSON.stringify(v) : String(v)) + "\`";
  };
  Object.values(spec.paths || {}).forEach(function (item) {
    Object.values(item || {}).forEach(function (op) {
      ((op && op.parameters) || []).forEach(function (p) {
        if (p.required) return;
        var s = p.schema || {};
        var example = p.example !== undefined ? p.example : s.example;
        var fallback = s.default !== undefined ? s.default : p.default;
        delete p.example; delete p.examples; delete p.default;
        delete s.example; delete s.examples; delete s.default;
        var notes = [];
        if (fallback !== undefined) notes.push("Default: " + shown(fallback) + ".");
        if (example !== undefined) notes.push("Example: " + shown(example) + ".");
        if (notes.length > 0) p.description = [p.description, notes.join(" ")].filter(Boolean).join("\\n\\n");
      });
    });
  });
  return spec;
`;
