import { z } from "@hono/zod-openapi";
import { describe, expect, it } from "vitest";
import { checkRanges, FILTER_SHAPE } from "../../catalog/filters";
import type { QueryFilters, QueryInterpretation, QueryParser, QuerySort, QueryVocabulary } from "./interface";

/**
 * Test support for the query parsers (imported by their *.test.ts files only): the browse
 * filter schema as the oracle for "filters are valid", and seeded hostile strings.
 */

const BrowseFilters = z.object(FILTER_SHAPE).strict().superRefine(checkRanges);
const QUERY_FILTER_KEYS = ["type", "type_exclude", "status", "year_from", "year_to", "season", "genres", "genres_exclude", "tags", "tags_exclude", "min_score", "episodes_min", "episodes_max"];

/**
 * Asserts an interpretation keeps the QueryParser contract: its filters pass the browse filter
 * schema when sent as query parameters (lists comma-joined, and they come back unchanged), use
 * only query-filter keys, never list a genre or type as both wanted and excluded, and name
 * genres exactly as the vocabulary spells them; text, title and notes are well formed.
 */
export function expectValidInterpretation(result: QueryInterpretation, vocabulary: QueryVocabulary, label: string): void {
  const { filters } = result;
  expect(typeof result.text, label).toBe("string");
  expect(result.text, label).toBe(result.text.trim());
  expect(result.text.length, label).toBeLessThanOrEqual(500);
  if (result.similar_to !== null) expect(result.similar_to.trim().length, label).toBeGreaterThan(0);
  expect(Array.isArray(result.notes) && result.notes.every((n) => typeof n === "string"), label).toBe(true);

  expect(Object.keys(filters).every((k) => QUERY_FILTER_KEYS.includes(k)), `${label}: keys ${Object.keys(filters)}`).toBe(true);
  const params = Object.fromEntries(Object.entries(filters).map(([k, v]) => [k, Array.isArray(v) ? v.join(",") : String(v)]));
  const parsed = BrowseFilters.safeParse(params);
  expect(parsed.success, `${label}: ${JSON.stringify(filters)} ${JSON.stringify(parsed.error?.issues)}`).toBe(true);
  for (const [k, v] of Object.entries(filters)) {
    if (Array.isArray(v)) {
      expect(v.length, `${label}: empty ${k}`).toBeGreaterThan(0);
      expect((parsed.data as Record<string, unknown>)[k], `${label}: ${k} round trip`).toEqual(v);
    } else expect((parsed.data as Record<string, unknown>)[k], `${label}: ${k}`).toBe(v);
  }
  for (const g of [...(filters.genres ?? []), ...(filters.genres_exclude ?? [])]) expect(vocabulary.genres, label).toContain(g);
  const tagKeys = vocabulary.genres.map((g) => g.toLowerCase());
  for (const t of [...(filters.tags ?? []), ...(filters.tags_exclude ?? [])]) expect(tagKeys, label).toContain(t);
  for (const g of filters.genres ?? []) expect(filters.genres_exclude ?? [], label).not.toContain(g);
  for (const t of filters.tags ?? []) expect(filters.tags_exclude ?? [], label).not.toContain(t);
  for (const t of filters.type ?? []) expect(filters.type_exclude ?? [], label).not.toContain(t);
}

/** One query and everything its reading must be (unset fields: nothing, "" for text). */
export interface PhraseCase {
  q: string;
  filters: QueryFilters;
  text?: string;
  similar?: string;
  sort?: QuerySort;
  newer?: string;
  older?: string;
}

/** A describe block with one test per case: the whole reading is checked, and kept valid. */
export function phraseTable(name: string, parser: QueryParser, vocabulary: QueryVocabulary, cases: PhraseCase[]): void {
  describe(name, () => {
    it.each(cases.map((c) => [c.q, c] as const))("%s", async (_q, c) => {
      const r = await parser.parse(c.q, vocabulary);
      expect(r.filters).toEqual(c.filters);
      expect(r.text).toBe(c.text ?? "");
      expect(r.similar_to).toBe(c.similar ?? null);
      expect(r.sort).toBe(c.sort ?? null);
      expect(r.newer_than).toBe(c.newer ?? null);
      expect(r.older_than).toBe(c.older ?? null);
      expectValidInterpretation(r, vocabulary, c.q);
    });
  });
}

/** A small deterministic PRNG (mulberry32), so a failing random case can be replayed. */
export function seededRandom(seed: number): () => number {
  let a = seed >>> 0;
  return () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

// Pieces a hostile or confused query is made of: phrase words, FTS syntax, odd unicode.
const PIECES = [
  "90s", "'90s", "1990s", "the eighties", "2010ish", "around", "circa", "before", "after", "between", "and", "from", "since",
  "winter", "spring", "fall", "autumn", "this season", "movie", "films", "OVA", "ONA", "specials", "tv", "series", "show me",
  "romance", "mecha", "sci-fi", "scifi", "slice of life", "romcom", "without", "no", "not", "but not", "excluding", "minus",
  "rated", "above", "score", "over", "at least", "highly rated", "+", "/10", "episodes", "under", "short", "long", "airing",
  "finished", "upcoming", "like", "similar to", "anime", "the", "a", "please", '"', "*", "NEAR", "(", ")", "^", ":", "-", ",",
  "'", "\\", "%", "--", ";", "DROP TABLE", "<script>", "😀", "🎌", "✨", "👨‍👩‍👧", "ｆｕｌｌｗｉｄｔｈ", "İ", "ß", "ǅ", "\u0000", "\u0001",
  "\u200b", "\ud800", "\udfff", "\u202e", "\n", "\t", "   ",
];

/** A random query of up to `maxLength` characters mixing phrase words, numbers, junk and odd code points. */
export function hostileQuery(random: () => number, maxLength = 500): string {
  const parts: string[] = [];
  const count = 1 + Math.floor(random() * 40);
  for (let i = 0; i < count; i++) {
    const r = random();
    if (r < 0.6) parts.push(PIECES[Math.floor(random() * PIECES.length)]);
    else if (r < 0.8) parts.push(String(Math.floor(random() * (random() < 0.5 ? 100 : 100000))));
    else parts.push(String.fromCharCode(...Array.from({ length: 1 + Math.floor(random() * 6) }, () => Math.floor(random() * 0xffff))));
  }
  return parts.join(random() < 0.8 ? " " : "").slice(0, maxLength);
}
