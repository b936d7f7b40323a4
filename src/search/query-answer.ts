import type { Catalog } from "../catalog/catalog";
import type { Anime } from "../catalog/anime-schema";
import { filtersFingerprint } from "../catalog/cursor";
import { normalise } from "./keyword/normalize";
import type { QueryInterpretation, QueryParser } from "./query/interface";
import { relativeYears } from "./query/relative-years";
import { decodeQueryCursor, encodeQueryCursor, positionFor, readingFingerprint, type QueryPosition, type QueryStrategy } from "./query-cursor";
import { browsePage, searchPage, similarPage, type QueryHit, type QueryPage } from "./query-pages";
import type { SearchService } from "./search-service";

export type { QueryStrategy } from "./query-cursor";
type AnimeRef = { id: number; title: string };
type DatedRef = AnimeRef & { year: number | null };

export interface QueryAnswer {
  interpretation: QueryInterpretation & {
    similar_to_anime: AnimeRef | null;
    newer_than_anime: DatedRef | null;
    older_than_anime: DatedRef | null;
    strategy: QueryStrategy;
  };
  data: QueryHit[];
  /** Pass back as `cursor` (same query, limit, include_adult) for the next page; null on the last. */
  next_cursor: string | null;
  degraded: "vector"[];
}

export interface QueryRequest {
  limit: number;
  includeAdult?: boolean;
  /** `next_cursor` of the previous page. */
  cursor?: string;
}

const searchable = (s: string) => /[\p{L}\p{N}]/u.test(s);
const dated = (a: Anime | null): DatedRef | null => (a ? { id: a.id, title: a.title, year: a.season.year } : null);

/**
 * Answers a natural-language query: parse it; look up the titles it names ("like X", "newer
 * than X": the best keyword hit for each) and turn "newer/older than X" into years from X's;
 * then the first strategy that applies — "like <title>" found → its neighbours under the
 * filters; text left over → hybrid search of it under the filters; filters or a sort only →
 * browse them, by the sort asked for (score when none); nothing recognised at all → search the
 * whole query (never "list everything"). A sort asked for orders what search and similar
 * found (relevance picks the anime, the sort orders them), over the whole found set so the
 * order holds across pages (query-pages.ts). An empty first page says "nothing matched" in
 * the notes. Adult anime are left out of every strategy unless `includeAdult`
 * (catalog/adult.ts).
 *
 * Pages: `cursor` is bound to the request (normalised query, limit, include_adult) and to the
 * interpretation (query-cursor.ts): every page of a walk answers the same interpretation, or
 * the cursor is refused (400 invalid_cursor).
 */
export async function answerQuery(
  deps: { parser: QueryParser; search: SearchService; catalog: Catalog; vocabulary: () => Promise<{ genres: string[] }> },
  query: string,
  { limit, includeAdult = false, cursor: rawCursor }: QueryRequest,
): Promise<QueryAnswer> {
  const queryPrint = filtersFingerprint({ q: normalise(query), l: limit, a: includeAdult });
  // A cursor of another query is refused before any work.
  const cursor = rawCursor ? decodeQueryCursor(rawCursor, queryPrint) : null;
  const it = await deps.parser.parse(query, await deps.vocabulary());
  const notes = [...it.notes];
  // One lookup per distinct title: "like X but newer" names X twice.
  const lookups = new Map<string, Promise<Anime | null>>();
  const find = (title: string | null): Promise<Anime | null> => {
    if (!title) return Promise.resolve(null);
    const key = title.toLowerCase();
    if (!lookups.has(key)) lookups.set(key, deps.search.search({ q: title.slice(0, 256), mode: "keyword", filters: { include_adult: includeAdult }, limit: 1 }).then((p) => p.hits[0]?.anime ?? null));
    return lookups.get(key)!;
  };
  const [target, newer, older] = await Promise.all([find(it.similar_to), find(it.newer_than), find(it.older_than)]);
  const queryFilters = relativeYears(
    it.filters,
    { newer: it.newer_than ? { title: it.newer_than, anime: newer } : undefined, older: it.older_than ? { title: it.older_than, anime: older } : undefined },
    notes,
  );
  // Adult anime only when the request says so (its include_adult), never because of the wording.
  const filters = { include_orphaned: false, ...queryFilters, include_adult: includeAdult };

  /**
   * The page of `strategy` at the cursor's position (the first without one), under the
   * interpretation it is bound to; null when `run` finds the strategy does not apply after all.
   */
  const respond = async (
    strategy: QueryStrategy,
    kind: "inner" | "offset",
    run: (at: QueryPosition | undefined) => Promise<QueryPage | null>,
    empty: string,
    similarTo: AnimeRef | null = null,
  ): Promise<QueryAnswer | null> => {
    const interpretation = { ...it, filters: queryFilters, notes, similar_to_anime: similarTo, newer_than_anime: dated(newer), older_than_anime: dated(older), strategy };
    const reading = readingFingerprint(interpretation);
    const page = await run(cursor ? positionFor(cursor, strategy, reading, kind) : undefined);
    if (!page) return null;
    if (page.data.length === 0 && !cursor) notes.push(`nothing matched: ${empty}`);
    const next_cursor = page.next ? encodeQueryCursor({ strategy, position: page.next, query: queryPrint, reading }) : null;
    return { interpretation, data: page.data, next_cursor, degraded: page.degraded };
  };
  const searchFor = async (q: string): Promise<QueryAnswer> =>
    (await respond("search", it.sort ? "offset" : "inner", (at) => searchPage(deps.search, q.slice(0, 256), filters, it.sort, limit, at), `no anime is relevant enough to "${q.slice(0, 60)}"${Object.keys(queryFilters).length ? " within these filters" : ""}`))!;

  if (it.similar_to) {
    if (target) {
      const like = { id: target.id, title: target.title };
      const answer = await respond("similar", "offset", (at) => similarPage(deps.search, target.id, filters, it.sort, limit, at), `no anime like ${target.title} passes these filters`, like);
      if (answer) return answer;
    } else notes.push(`"${it.similar_to}" was not found: searched for it as words`);
  }
  const leftover = [it.text, it.similar_to].filter(Boolean).join(" ").trim();
  if (searchable(leftover)) return searchFor(leftover);
  if (Object.keys(queryFilters).length === 0 && !it.sort && searchable(query)) {
    notes.push(it.newer_than || it.older_than ? "nothing left to filter by: the whole query was searched" : "nothing recognised: the whole query was searched");
    return searchFor(query);
  }
  return (await respond("browse", "inner", (at) => browsePage(deps.catalog, filters, it.sort, limit, at), "no anime has all of these filters"))!;
}
