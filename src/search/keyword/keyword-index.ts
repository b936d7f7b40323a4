import { sql, type SQL } from "drizzle-orm";
import { SQLiteSyncDialect } from "drizzle-orm/sqlite-core";
import type { Filters } from "../../catalog/filters";
import { filterConditions } from "../../catalog/browse-query";
import { trigrams } from "./normalize";
import { rankKeywordCandidates, type KeywordHit } from "./rank";
import { aboutExpression, aboutTerms, coverage } from "./about";

/** Candidates each index query contributes before re-ranking. */
const POOL = 150;
/** Above this many words the substring (trigram phrase) query is skipped. */
const SUBSTRING_MAX_WORDS = 5;
/** Candidates of the descriptive (about) query. */
const ABOUT_POOL = 60;
const MAX_WORDS = 12;
/** Trigrams the typo query ORs: the rarest of the query's (a typo spoils at most three). */
const FUZZY_TRIGRAMS = 8;
/** Below this many exact-ish candidates, the typo-tolerant trigram OR query runs too. */
const FUZZY_BELOW = 10;

/** Renders drizzle SQL (the shared filter conditions) to text + params for a D1 batch. */
const dialect = new SQLiteSyncDialect();

/** FTS5 string literal: the query is normalised to letters and digits first, quoting is belt and braces. */
const quote = (s: string) => `"${s.replace(/"/g, '""')}"`;

/**
 * The keyword leg of search over the FTS5 tables of migrations/0003_search_fts.sql. Three
 * index queries, all with the catalog filters inside them (never a post-filter): all words
 * of the query (last one as a prefix) or the query run together ("rezero"); the compact
 * query as a substring of a name (spacing variants, CJK); and, when those find little and
 * nothing matched exactly, any of the query's eight rarest trigrams (typos). The
 * candidates are then re-ranked in rank.ts.
 */
export class KeywordIndex {
  constructor(private readonly db: D1Database) {}

  /** `normalised`: the query in the search normal form (normalize.ts), as the caller computed it once. */
  async search(normalised: string, filters: Filters, limit: number): Promise<KeywordHit[]> {
    const toks = (normalised ? normalised.split(" ") : []).slice(0, MAX_WORDS);
    const cq = normalised.replace(/ /g, "");
    if (toks.length === 0) return [];
    const where = filterConditions(filters) ?? sql`1`;

    const last = toks.length - 1;
    const allWords = toks.map((t, i) => quote(t) + (i === last && [...t].length >= 2 ? "*" : "")).join(" AND ");
    const wordExpr = `{title synonyms} : (${allWords}) OR joined : (${quote(cq)}${[...cq].length >= 2 ? "*" : ""})`;
    const long = [...cq].length >= 3;

    // One round trip for the exact-ish queries plus the document frequencies of the query's
    // trigrams; a second one, when needed, for the typo and about queries (below).
    const grams = long ? [...new Set(trigrams(cq))] : [];
    const word = this.statement(sql`SELECT anime.id AS id, s.names AS names, anime.score AS score, anime.popularity AS popularity, anime.type AS type, anime.year AS year FROM anime_fts
      JOIN anime ON anime.id = anime_fts.rowid JOIN anime_search_text s ON s.anime_id = anime.id
      WHERE anime_fts MATCH ${wordExpr} AND ${where} ORDER BY bm25(anime_fts, 10.0, 5.0, 2.0) LIMIT ${POOL}`);
    // A query of many words is matched word by word (and, when that finds little, by its
    // rarest trigrams); the substring query is for names written with other spacing, and a
    // long phrase costs the trigram index most while such a query is rarely one name.
    const substring = toks.length <= SUBSTRING_MAX_WORDS;
    const names: D1PreparedStatement[] = long
      ? [word, substring ? this.trigramStatement(quote(cq), where) : this.db.prepare("SELECT 1 WHERE 0"), this.db.prepare("SELECT term, doc FROM anime_trgm_vocab WHERE term IN (SELECT value FROM json_each(?1))").bind(JSON.stringify(grams))]
      : shortCjk(cq)
        ? [word, this.likeStatement(cq, where)]
        : [word];
    const results = (await this.db.batch(names)).map((r) => r.results);
    const [wordRows, containRows = [], df = []] = results as [CandidateRow[], CandidateRow[]?, { term: string; doc: number }[]?];
    const rows = new Map<number, CandidateRow>();
    for (const r of [...wordRows, ...containRows]) rows.set(r.id, r);
    const inWords = new Set(wordRows.map((r) => r.id)), contains = new Set(containRows.map((r) => r.id));
    const score = (rs: Map<number, CandidateRow>) => rankKeywordCandidates(cq, [...rs.values()].map((r) => ({ id: r.id, names: JSON.parse(r.names) as string[], words: inWords.has(r.id), contains: contains.has(r.id), score: r.score, popularity: r.popularity, type: r.type, year: r.year })));
    let hits = score(rows);
    // Second round trip, only for what the names left open: the typo query, when the names
    // found little and nothing exactly or by prefix (a query that names an anime so was typed
    // right; a long description runs it too: a long title with one typo looks just like one);
    // and the about query, unless a name already answers the query surely (a known item,
    // where about matches could only fill the tail: skipping them keeps title lookups fast).
    const typo = long && df.length && rows.size < FUZZY_BELOW && !hits.some((h) => h.exact || h.prefix);
    const terms = hits.some((h) => h.confidence >= KNOWN_ITEM) ? [] : aboutTerms(normalised);
    const second: D1PreparedStatement[] = [];
    if (typo) {
      const rarest = df.sort((a, b) => a.doc - b.doc || (a.term < b.term ? -1 : 1)).slice(0, FUZZY_TRIGRAMS).map((d) => quote(d.term));
      second.push(this.trigramStatement(rarest.join(" OR "), where, false));
    }
    if (terms.length) second.push(this.aboutStatement(terms, where));
    const more = second.length ? (await this.db.batch(second)).map((r) => r.results) : [];
    const aboutRows = (terms.length ? more.pop() : []) as AboutRow[];
    if (typo) {
      for (const r of more[0] as CandidateRow[]) if (!rows.has(r.id)) rows.set(r.id, r);
      hits = score(rows);
    }
    return blendAbout(hits, aboutRows, terms).slice(0, limit);
  }

  /**
   * Anime whose tags, studios or synopsis hold any of `terms`, best BM25 first. The synopsis
   * counts four times the tags: tags are many and broad (an anime tagged "mecha", "military",
   * "school" and "comedy" matches half of any description), a synopsis says what happens
   * (measured on ../shared/eval/descriptive-dev.json: recall@10 0.58 at 2:1, 0.90 at 1:4).
   */
  private aboutStatement(terms: string[], where: SQL): D1PreparedStatement {
    // One statement with the filters inside. (Sorting the FTS matches in a subquery before
    // joining was faster in the sqlite3 shell but 5× slower in workerd's D1: measured.)
    return this.statement(sql`SELECT anime.id AS id, bm25(anime_about_fts, 1.0, 4.0) AS rank, anime.popularity AS popularity,
      s.about_tags || ' ' || substr(s.about_text, 1, 3000) AS about
      FROM anime_about_fts JOIN anime ON anime.id = anime_about_fts.rowid JOIN anime_search_text s ON s.anime_id = anime.id
      WHERE anime_about_fts MATCH ${aboutExpression(terms)} AND ${where} ORDER BY rank LIMIT ${ABOUT_POOL}`);
  }

  /**
   * Names containing a two-character CJK word ("巨人" in 進撃の巨人), which the trigram index
   * cannot see: a scan of the names, affordable because only such short queries take it.
   */
  private likeStatement(cq: string, where: SQL): D1PreparedStatement {
    const pattern = `%${cq.replace(/[\\%_]/g, (ch) => `\\${ch}`)}%`;
    return this.statement(sql`SELECT anime.id AS id, s.names AS names, anime.score AS score, anime.popularity AS popularity, anime.type AS type, anime.year AS year FROM anime_search_text s
      JOIN anime ON anime.id = s.anime_id WHERE s.names LIKE ${pattern} ESCAPE '\\' AND ${where} LIMIT ${POOL}`);
  }

  private statement(query: SQL): D1PreparedStatement {
    const { sql: text, params } = dialect.sqlToQuery(query);
    return this.db.prepare(text).bind(...params);
  }

  /**
   * Anime with a name matching `expr` in the trigram index, best rank first. Ungrouped (one
   * row per matching name, de-duplicated by the caller) halves the SQL of the typo query,
   * whose matches are many; the substring query groups, its matches are few.
   */
  private trigramStatement(expr: string, where: SQL, grouped = true): D1PreparedStatement {
    const from = sql`FROM anime_trgm JOIN anime ON anime.id = anime_trgm.rowid / 64 JOIN anime_search_text s ON s.anime_id = anime.id
      WHERE anime_trgm MATCH ${expr} AND ${where}`;
    return this.statement(
      grouped
        ? sql`SELECT anime.id AS id, s.names AS names, anime.score AS score, anime.popularity AS popularity, anime.type AS type, anime.year AS year ${from} GROUP BY anime.id ORDER BY min(anime_trgm.rank) LIMIT ${POOL}`
        : sql`SELECT anime.id AS id, s.names AS names, anime.score AS score, anime.popularity AS popularity, anime.type AS type, anime.year AS year ${from} ORDER BY anime_trgm.rank LIMIT ${2 * POOL}`,
    );
  }
}

/** A two-character query in a script written without spaces (Han, kana, Hangul). */
const shortCjk = (cq: string) => [...cq].length === 2 && /[\p{Script=Han}\p{Script=Hiragana}\p{Script=Katakana}\p{Script=Hangul}]/u.test(cq);

interface CandidateRow {
  id: number;
  names: string;
  score: number | null;
  popularity: number;
  type: string;
  year: number | null;
}

interface AboutRow {
  id: number;
  rank: number;
  about: string;
  popularity: number;
}

/** RRF constant inside the keyword leg: small, so the head of each list keeps its lead. */
const BLEND_K = 10;
/** A name match this sure makes the query a known-item query (the title, a synonym, or a name it starts). */
export const KNOWN_ITEM = 0.85;

/**
 * One keyword ranking from the name matches (rank.ts) and the about matches (BM25 over tags
 * and synopsis), by weighted reciprocal rank: a known-item query (some name matches with
 * confidence ≥ KNOWN_ITEM) keeps its name order, the about matches weighing 0.05 (they fill
 * the tail, never reorder the names); a
 * description ranks by what the anime is about, the name matches weighing 0.6. An about
 * match's order is BM25 nudged by popularity (up to ×1.5: a famous anime wins a near-tie);
 * its confidence is 0.9 × the share of the description's words it holds (coverage).
 */
export function blendAbout(names: KeywordHit[], about: AboutRow[], terms: string[]): KeywordHit[] {
  if (about.length === 0) return names;
  const knownItem = names.some((h) => h.confidence >= KNOWN_ITEM);
  const [wNames, wAbout] = knownItem ? [1, 0.05] : [0.6, 1];
  const scored = about.map((r) => {
    const cover = coverage(terms, r.about);
    return { id: r.id, cover, order: -r.rank * (1 + 0.5 * Math.min(1, r.popularity / 1_000_000)) };
  });
  scored.sort((a, b) => b.order - a.order || a.id - b.id);
  const out = new Map<number, KeywordHit>();
  names.forEach((h, i) => out.set(h.id, { ...h, about: null, score: wNames / (BLEND_K + i + 1) }));
  scored.forEach((a, i) => {
    const add = wAbout / (BLEND_K + i + 1);
    const h = out.get(a.id);
    if (h) out.set(a.id, { ...h, about: a.cover, score: h.score + add, confidence: Math.max(h.confidence, 0.9 * a.cover) });
    else out.set(a.id, { id: a.id, score: add, exactTitle: false, exact: false, prefix: false, similarity: 0, confidence: 0.9 * a.cover, about: a.cover });
  });
  // A description ranks by how surely each anime answers it: a name that shares a word or two
  // ("Bounty Hunter: The Hard" for "bounty hunters in space with jazz") is weak evidence
  // beside an anime whose tags hold the whole description.
  const hits = [...out.values()];
  if (!knownItem) for (const h of hits) h.score *= 0.5 + h.confidence;
  return hits.sort((a, b) => b.score - a.score || a.id - b.id);
}
