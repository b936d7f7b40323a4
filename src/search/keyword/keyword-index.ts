import { sql, type SQL } from "drizzle-orm";
import { drizzle, type DrizzleD1Database } from "drizzle-orm/d1";
import type { Filters } from "../../catalog/filters";
import { filterConditions } from "../../catalog/browse-query";
import { compact, trigrams, words } from "./normalize";
import { rankKeywordCandidates, type KeywordHit } from "./rank";

/** Candidates each index query contributes before re-ranking. */
const POOL = 150;
const MAX_WORDS = 12;
const MAX_TRIGRAMS = 32;
/** Below this many exact-ish candidates, the typo-tolerant trigram OR query runs too. */
const FUZZY_BELOW = 10;

/** FTS5 string literal: the query is normalised to letters and digits first, quoting is belt and braces. */
const quote = (s: string) => `"${s.replace(/"/g, '""')}"`;

/**
 * The keyword leg of search over the FTS5 tables of migrations/0003_search_fts.sql. Three
 * index queries, all with the catalog filters inside them (never a post-filter): all words
 * of the query (last one as a prefix) or the query run together ("rezero"); the compact
 * query as a substring of a name (spacing variants, CJK); and, when those find little, any
 * trigram of the query (typos). The candidates are then re-ranked in rank.ts.
 */
export class KeywordIndex {
  private readonly orm: DrizzleD1Database;

  constructor(db: D1Database) {
    this.orm = drizzle(db);
  }

  async search(q: string, filters: Filters, limit: number): Promise<KeywordHit[]> {
    const toks = words(q).slice(0, MAX_WORDS);
    const cq = compact(q);
    if (toks.length === 0) return [];
    const where = filterConditions(filters) ?? sql`1`;

    const last = toks.length - 1;
    const allWords = toks.map((t, i) => quote(t) + (i === last && [...t].length >= 2 ? "*" : "")).join(" AND ");
    const wordExpr = `{title synonyms} : (${allWords}) OR joined : (${quote(cq)}${[...cq].length >= 2 ? "*" : ""})`;
    const long = [...cq].length >= 3;

    const [wordIds, containIds] = await Promise.all([
      this.ids(sql`SELECT anime.id AS id FROM anime_fts JOIN anime ON anime.id = anime_fts.rowid
        WHERE anime_fts MATCH ${wordExpr} AND ${where} ORDER BY bm25(anime_fts, 10.0, 5.0, 2.0) LIMIT ${POOL}`),
      long ? this.trigramIds(quote(cq), where) : Promise.resolve([]),
    ]);
    const found = new Set([...wordIds, ...containIds]);
    if (long && found.size < FUZZY_BELOW) {
      const grams = [...new Set(trigrams(cq))].slice(0, MAX_TRIGRAMS);
      for (const id of await this.trigramIds(grams.map(quote).join(" OR "), where)) found.add(id);
    }
    if (found.size === 0) return [];

    const rows = await this.orm.all<{ id: number; names: string; score: number | null }>(sql`
      SELECT s.anime_id AS id, s.names AS names, anime.score AS score FROM anime_search_text s
      JOIN anime ON anime.id = s.anime_id WHERE s.anime_id IN (SELECT value FROM json_each(${JSON.stringify([...found])}))`);
    const words_ = new Set(wordIds), contains = new Set(containIds);
    const candidates = rows.map((r) => ({ id: r.id, names: JSON.parse(r.names) as string[], words: words_.has(r.id), contains: contains.has(r.id), score: r.score }));
    return rankKeywordCandidates(cq, candidates).slice(0, limit);
  }

  private async ids(query: SQL): Promise<number[]> {
    return (await this.orm.all<{ id: number }>(query)).map((r) => r.id);
  }

  /** Anime with a name matching `expr` in the trigram index, best rank first. */
  private trigramIds(expr: string, where: SQL): Promise<number[]> {
    return this.ids(sql`SELECT anime.id AS id FROM anime_trgm JOIN anime ON anime.id = anime_trgm.rowid / 64
      WHERE anime_trgm MATCH ${expr} AND ${where} GROUP BY anime.id ORDER BY min(anime_trgm.rank) LIMIT ${POOL}`);
  }
}
