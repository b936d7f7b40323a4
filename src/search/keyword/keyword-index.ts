import { sql, type SQL } from "drizzle-orm";
import { SQLiteSyncDialect } from "drizzle-orm/sqlite-core";
import type { Filters } from "../../catalog/filters";
import { filterConditions } from "../../catalog/browse-query";
import { trigrams } from "./normalize";
import { rarestByList, rarestListedCount, rarestTrigrams, uncommonTrigrams } from "./trigram-plan";
import { rankKeywordCandidates, type KeywordHit } from "./rank";
import { aboutExpression, aboutTerms, coverage } from "./about";

/** Candidates each index query contributes before re-ranking. */
const POOL = 150;
/** Above this many words the substring (trigram phrase) query is skipped. */
const SUBSTRING_MAX_WORDS = 5;
/** Candidates of the descriptive (about) query. */
const ABOUT_POOL = 60;
const MAX_WORDS = 12;
/**
 * Trigrams the typo query ORs: the query's rarest, at least 4 (a typo spoils at most four),
 * at most 8, and past 4 only while the names holding them stay under 6,000 (measured: 8
 * trigrams held by 17,000 names took 20 ms, 5 held by 6,000 took 9 ms).
 */
const FUZZY_TRIGRAMS = { min: 4, max: 8, budget: 6000 };
/** Below this many exact-ish candidates, the typo-tolerant trigram OR query runs too. */
const FUZZY_BELOW = 10;
/** Trigrams the substring query reads from the index (the rarest): `instr` checks the rest. */
const SUBSTRING_PINS = 2;
/**
 * A compact query this long (code points) is looked for by its thirds before the typo query:
 * one edit (a letter changed, added, dropped, or two swapped) spoils at most two of three
 * parts, so the name meant holds the third one whole. A part is looked for only when few
 * names hold its rarest trigram (at most PIECE_MAX_NAMES by the common list, trigram-plan.ts):
 * then finding the names holding it is cheap (substringStatement, 1–2 ms); "uchi" is in
 * thousands of names (7–8 ms), and a query none of whose thirds is rare enough goes straight
 * to the typo query.
 */
const PIECES_MIN_LENGTH = 12;
const PIECES = 3;
const PIECE_MAX_NAMES = 2000;

/** Renders drizzle SQL (the shared filter conditions) to text + params for a D1 batch. */
const dialect = new SQLiteSyncDialect();

/** FTS5 string literal: the query is normalised to letters and digits first, quoting is belt and braces. */
const quote = (s: string) => `"${s.replace(/"/g, '""')}"`;

/**
 * The keyword leg of search over the FTS5 tables of migrations/0003_search_fts.sql. Three
 * index queries, with the catalog filters inside them: all words of the query (last one as a
 * prefix) or the query run together ("rezero"); the compact query as a substring of a name
 * (spacing variants, CJK); and, when those find little and nothing matched exactly, typos:
 * the names holding a third of the query whole, then, if none is near enough, any of the
 * query's rarest trigrams (FUZZY_TRIGRAMS). The typo query alone post-filters its pool when
 * the filters are only the defaults (active, not adult: a few percent of names), because
 * ranking the trigram matches before joining them is ~4 ms cheaper; narrower filters stay
 * inside it. The candidates are then re-ranked in rank.ts.
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

    // One round trip for the exact-ish queries plus the document counts of the query's
    // uncommon trigrams; then, when needed, the typo query and the about query (below).
    const grams = long ? [...new Set(trigrams(cq))] : [];
    // Document counts only for the trigrams not on the common list: counting "shi" means
    // reading 17,746 names, and a listed trigram is never among a query's rarest anyway.
    const uncommon = uncommonTrigrams(grams);
    const wordMatch = sql`anime_fts MATCH ${wordExpr} AND ${where} ORDER BY bm25(anime_fts, 10.0, 5.0, 2.0) LIMIT ${POOL}`;
    // A query of many words is matched word by word (and, when that finds little, by its
    // rarest trigrams); the substring query is for names written with other spacing, and a
    // long phrase costs the trigram index most while such a query is rarely one name.
    const substring = long && toks.length <= SUBSTRING_MAX_WORDS;
    const vocab = uncommon.length ? this.db.prepare("SELECT term, doc FROM anime_trgm_vocab WHERE term IN (SELECT value FROM json_each(?1))").bind(JSON.stringify(uncommon)) : this.nothing();
    let wordRows: CandidateRow[], containRows: CandidateRow[] = [], df: { term: string; doc: number }[] = [];
    if (substring) {
      // Word and substring matches in one statement, each anime's names sent once: most
      // anime a name query finds are found both ways (111 of 111 for "detective conan").
      const [both, counted] = (await this.db.batch([this.namesStatement(wordMatch, cq, grams, where), vocab])).map((r) => r.results);
      wordRows = (both as FlaggedRow[]).filter((r) => r.words);
      containRows = (both as FlaggedRow[]).filter((r) => r.contains);
      df = counted as typeof df;
    } else {
      const word = this.statement(sql`SELECT ${CANDIDATE_COLUMNS} FROM anime_fts JOIN anime ON anime.id = anime_fts.rowid JOIN anime_search_text s ON s.anime_id = anime.id WHERE ${wordMatch}`);
      const statements = long ? [word, vocab] : shortCjk(cq) ? [word, this.likeStatement(cq, where)] : [word];
      const results = (await this.db.batch(statements)).map((r) => r.results);
      wordRows = results[0] as CandidateRow[];
      if (long) df = results[1] as typeof df;
      else containRows = (results[1] ?? []) as CandidateRow[];
    }
    const rows = new Map<number, CandidateRow>();
    for (const r of [...wordRows, ...containRows]) rows.set(r.id, r);
    const inWords = new Set(wordRows.map((r) => r.id)), contains = new Set(containRows.map((r) => r.id));
    const similarities = new Map<string, number>();
    const score = (rs: Map<number, CandidateRow>) => rankKeywordCandidates(cq, [...rs.values()].map((r) => ({ id: r.id, names: JSON.parse(r.names) as string[], words: inWords.has(r.id), contains: contains.has(r.id), score: r.score, popularity: r.popularity, type: r.type, year: r.year })), similarities);
    let hits = score(rows);
    // Then only what the names left open, one round trip each. Typos, when the names found
    // little and nothing exactly or by prefix (a query that names an anime so was typed right;
    // a long description is looked at too: a long title with one typo looks just like one).
    // Then the about query, unless a name now answers the query surely (a known item, where
    // about matches could only fill the tail): a typo of a title is answered by its name, and
    // skipping the about query saves it more (4–10 ms) than the extra round trip costs a
    // description (~1 ms).
    const add = (found: CandidateRow[]) => {
      for (const r of found) if (!rows.has(r.id)) rows.set(r.id, r);
      hits = score(rows);
    };
    if (long && rows.size < FUZZY_BELOW && !hits.some((h) => h.exact || h.prefix)) {
      // First the names holding a third of the query whole (a typo of a title: one edit
      // leaves a third intact), and only if none of them is near enough (a known item), the
      // typo query proper: ranking every name that shares a rare trigram costs 8–20 ms.
      const parts = thirds(cq).map((p) => ({ p, grams: [...new Set(trigrams(p))] })).filter(({ grams }) => rarestListedCount(grams) <= PIECE_MAX_NAMES);
      if (parts.length) add((await this.db.batch(parts.map(({ p, grams }) => this.substringStatement(p, grams, where)))).flatMap((r) => r.results as CandidateRow[]));
      const rarest = hits.some((h) => h.confidence >= KNOWN_ITEM) ? [] : rarestTrigrams(df, grams, FUZZY_TRIGRAMS);
      if (rarest.length) add((await this.typoStatement(rarest.map(quote).join(" OR "), filters, where).all<CandidateRow>()).results);
    }
    const terms = hits.some((h) => h.confidence >= KNOWN_ITEM) ? [] : aboutTerms(normalised);
    const aboutRows = terms.length ? (await this.aboutStatement(terms, where).all<AboutRow>()).results : [];
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
    return this.statement(sql`SELECT ${CANDIDATE_COLUMNS} FROM anime_search_text s
      JOIN anime ON anime.id = s.anime_id WHERE s.names LIKE ${pattern} ESCAPE '\\' AND ${where} LIMIT ${POOL}`);
  }

  private statement(query: SQL): D1PreparedStatement {
    const { sql: text, params } = dialect.sqlToQuery(query);
    return this.db.prepare(text).bind(...params);
  }

  private nothing(): D1PreparedStatement {
    return this.db.prepare("SELECT 1 WHERE 0");
  }

  /**
   * The word matches (`wordMatch`: the FTS condition, order and limit of the word query) and
   * the substring matches of `cq` (substringStatement) as one list, flagged `words` and `contains`.
   */
  private namesStatement(wordMatch: SQL, cq: string, grams: string[], where: SQL): D1PreparedStatement {
    return this.statement(sql`WITH w AS (SELECT anime.id AS id FROM anime_fts JOIN anime ON anime.id = anime_fts.rowid WHERE ${wordMatch}),
      c AS (SELECT anime.id AS id FROM anime_trgm JOIN anime ON anime.id = anime_trgm.rowid / 64 WHERE ${holding(cq, grams)} AND ${where} GROUP BY anime.id ORDER BY min(anime_trgm.rank) LIMIT ${POOL})
      SELECT ${CANDIDATE_COLUMNS}, anime.id IN w AS words, anime.id IN c AS contains FROM anime JOIN anime_search_text s ON s.anime_id = anime.id
      WHERE anime.id IN (SELECT id FROM w UNION SELECT id FROM c)`);
  }

  /** Anime with a name holding the compact string `cq` (its trigrams `grams`), best rank first. */
  private substringStatement(cq: string, grams: string[], where: SQL): D1PreparedStatement {
    return this.statement(sql`SELECT ${CANDIDATE_COLUMNS} FROM anime_trgm JOIN anime ON anime.id = anime_trgm.rowid / 64 JOIN anime_search_text s ON s.anime_id = anime.id
      WHERE ${holding(cq, grams)} AND ${where} GROUP BY anime.id ORDER BY min(anime_trgm.rank) LIMIT ${POOL}`);
  }

  /**
   * Anime with a name matching the typo expression `expr` (an OR of trigrams), best rank
   * first, one row per matching name (the caller de-duplicates). With only the default
   * filters, the names are ranked before they are joined and filtered (the pool loses the
   * few inactive or adult names among them); with narrower ones, the filters stay inside.
   */
  private typoStatement(expr: string, filters: Filters, where: SQL): D1PreparedStatement {
    if (onlyDefaultFilters(filters, where)) {
      return this.statement(sql`SELECT ${CANDIDATE_COLUMNS} FROM (SELECT anime_trgm.rowid / 64 AS aid, anime_trgm.rank AS r FROM anime_trgm WHERE anime_trgm MATCH ${expr} ORDER BY anime_trgm.rank LIMIT ${2 * POOL}) t
        JOIN anime ON anime.id = t.aid JOIN anime_search_text s ON s.anime_id = t.aid WHERE ${where} GROUP BY t.aid ORDER BY min(t.r) LIMIT ${2 * POOL}`);
    }
    return this.statement(sql`SELECT ${CANDIDATE_COLUMNS} FROM anime_trgm JOIN anime ON anime.id = anime_trgm.rowid / 64 JOIN anime_search_text s ON s.anime_id = anime.id
      WHERE anime_trgm MATCH ${expr} AND ${where} ORDER BY anime_trgm.rank LIMIT ${2 * POOL}`);
  }
}

/**
 * A trigram-index row whose name holds `cq`: the index reads the rarest of its trigrams
 * (trigram-plan.ts) and `instr` checks the whole string, the names a phrase query finds at a
 * fraction of the cost (a phrase reads every trigram's names: 6–7 ms for "detectiveconan" in
 * workerd's D1, 1–1.5 ms this way).
 */
function holding(cq: string, grams: string[]): SQL {
  return sql`anime_trgm MATCH ${rarestByList(grams, SUBSTRING_PINS).map(quote).join(" AND ")} AND instr(anime_trgm.name, ${cq}) > 0`;
}

/** True when `where` holds only what every search has (the active and adult rules), whatever `filters` spelled. */
function onlyDefaultFilters(filters: Filters, where: SQL): boolean {
  const base = filterConditions({ include_adult: filters.include_adult, include_orphaned: filters.include_orphaned }) ?? sql`1`;
  const a = dialect.sqlToQuery(where), b = dialect.sqlToQuery(base);
  return a.sql === b.sql && JSON.stringify(a.params) === JSON.stringify(b.params);
}

/** The compact query in PIECES parts of near-equal length, or none when it is shorter than PIECES_MIN_LENGTH. */
function thirds(cq: string): string[] {
  const chars = [...cq];
  if (chars.length < PIECES_MIN_LENGTH) return [];
  return Array.from({ length: PIECES }, (_, i) => chars.slice(Math.round((i * chars.length) / PIECES), Math.round(((i + 1) * chars.length) / PIECES)).join(""));
}

/** A two-character query in a script written without spaces (Han, kana, Hangul). */
const shortCjk = (cq: string) => [...cq].length === 2 && /[\p{Script=Han}\p{Script=Hiragana}\p{Script=Katakana}\p{Script=Hangul}]/u.test(cq);

/** What the ranker needs of a candidate (CandidateRow), from `anime` and `anime_search_text s`. */
const CANDIDATE_COLUMNS = sql`anime.id AS id, s.names AS names, anime.score AS score, anime.popularity AS popularity, anime.type AS type, anime.year AS year`;

interface FlaggedRow extends CandidateRow {
  words: number;
  contains: number;
}

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
