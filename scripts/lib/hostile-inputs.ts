/**
 * Seeded generators of random and hostile inputs for the search and query endpoints: FTS5
 * syntax, SQL, unicode edge cases (combining marks, RTL, zero-width, astral, lone surrogates),
 * very long strings, malformed percent-encoding and wrong parameter values. Shared by
 * `npm run fuzz:search` (thousands, against a running API) and the suite's fuzz test (hundreds).
 * No Node APIs: the Workers test runtime imports this too.
 */
export function seeded(seed: number): () => number {
  return () => {
    seed = (seed + 0x6d2b79f5) | 0;
    let t = Math.imul(seed ^ (seed >>> 15), 1 | seed);
    t = (t + Math.imul(t ^ (t >>> 7), 61 | t)) ^ t;
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

const FRAGMENTS = [
  '"', '""', "*", "NEAR(", "NEAR(a b, 2)", "-", "^", ":", "AND", "OR", "NOT", "{title}:", "(", ")", "+", "'", "''",
  "'; DROP TABLE anime; --", "1 OR 1=1", "%", "_", "\\", "/*", "*/", "\u0000", "\u200b", "\u202e", "\ufeff", "é", "e\u0301",
  "ō", "☆", "♥", "×", "進撃の巨人", "ｶｳﾎﾞｰｲ", "Ｒｅ：ＺＥＲＯ", "🙂", "👨‍👩‍👧", "𝔘𝔫𝔦𝔠𝔬𝔡𝔢", "\ud800", "\udfff", "ﷺ", "عربى", "עברית",
  "cowboy", "bebop", "rezero", "naruto", "  ", "\n", "\t", "<script>", "${x}", "{{x}}", "NULL", "undefined", "0x7f", "-1", "1e309",
];
const PARAMS: Record<string, string[]> = {
  mode: ["hybrid", "keyword", "semantic", "HYBRID", "", "fuzzy", "1"],
  limit: ["1", "50", "0", "51", "-1", "abc", "1.5", "1e2", ""],
  type: ["TV", "tv,movie", "BOGUS", "", ",,,"],
  year_from: ["1990", "0", "99999", "abc", ""],
  year_to: ["1999", "1800", "2101"],
  min_score: ["8", "-1", "11", "NaN", "Infinity"],
  genres: ["Action", "action,drama", "x".repeat(150), Array(12).fill("a").join(",")],
  cursor: ["abc", "", "eyJ9", "%%%", "x".repeat(600)],
  explain: ["true", "false", "yes", ""],
  fields: ["id,title", "bogus", "", "id,,title"],
  include_orphaned: ["true", "1"],
};

export function hostileText(r: () => number): string {
  const parts: string[] = [];
  const n = 1 + Math.floor(r() * 8);
  for (let i = 0; i < n; i++) {
    const roll = r();
    if (roll < 0.6) parts.push(FRAGMENTS[Math.floor(r() * FRAGMENTS.length)]);
    else if (roll < 0.9) parts.push(String.fromCodePoint(...Array.from({ length: 1 + Math.floor(r() * 6) }, () => Math.floor(r() * 0x2ffff) % 0x10ffff)).replace(/[\ud800-\udfff]/g, ""));
    else parts.push("ab ".repeat(Math.floor(r() * 200)));
  }
  return parts.join(r() < 0.5 ? " " : "");
}

/** Percent-encodes, writing lone surrogates as their (invalid) UTF-8 bytes %ED%A0%80 rather than failing. */
function encode(s: string): string {
  let out = "";
  // Iterating by code point keeps valid pairs (emoji) whole; a lone surrogate comes alone.
  for (const ch of s) out += ch.length === 1 && /[\ud800-\udfff]/.test(ch) ? "%ED%A0%80" : encodeURIComponent(ch);
  return out;
}

/** A GET /v1/search path: sometimes valid, often hostile. `raw` percent-encoding is sometimes malformed. */
export function searchPath(r: () => number): string {
  const qs: string[] = [];
  if (r() < 0.95) qs.push(`q=${r() < 0.05 ? "%E0%A4%A" : encode(hostileText(r))}`);
  for (const [k, values] of Object.entries(PARAMS)) if (r() < 0.15) qs.push(`${k}=${encodeURIComponent(values[Math.floor(r() * values.length)])}`);
  if (r() < 0.05) qs.push("unknown_param=1");
  if (r() < 0.03) qs.push("q=%FF%FE");
  return `/v1/search?${qs.join("&")}`;
}

/** A POST /v1/query body: JSON of several shapes, or not JSON at all. */
export function queryBody(r: () => number): string {
  const roll = r();
  if (roll < 0.6) return JSON.stringify({ query: hostileText(r), ...(r() < 0.2 ? { limit: [1, 50, 0, 51, "5", null][Math.floor(r() * 6)] } : {}) });
  if (roll < 0.7) return JSON.stringify({ query: [1, null, true, {}, [], "x".repeat(600)][Math.floor(r() * 6)] });
  if (roll < 0.8) return JSON.stringify([hostileText(r)]);
  if (roll < 0.9) return hostileText(r);
  return JSON.stringify({ query: "naruto", extra: hostileText(r) });
}
