import type { Catalog } from "../catalog/catalog";
import type { Anime } from "../catalog/anime-schema";
import type { QueryInterpretation, QueryParser } from "./query/interface";
import { relativeYears } from "./query/relative-years";
import { orderBy } from "./query/result-order";
import type { SearchService } from "./search-service";
import type { SimilarHit } from "./similar";
import type { FusedHit } from "./fusion";

export type QueryStrategy = "similar" | "search" | "browse";
type AnimeRef = { id: number; title: string };
type DatedRef = AnimeRef & { year: number | null };

export interface QueryAnswer {
  interpretation: QueryInterpretation & {
    similar_to_anime: AnimeRef | null;
    newer_than_anime: DatedRef | null;
    older_than_anime: DatedRef | null;
    strategy: QueryStrategy;
  };
  data: (Anime & { match?: Pick<FusedHit, "score" | "confidence" | "keyword_rank" | "vector_rank">; similarity?: SimilarHit["similarity"] })[];
  degraded: "vector"[];
}

const searchable = (s: string) => /[\p{L}\p{N}]/u.test(s);
const dated = (a: Anime | null): DatedRef | null => (a ? { id: a.id, title: a.title, year: a.season.year } : null);

/**
 * Answers a natural-language query: parse it; look up the titles it names ("like X", "newer
 * than X": the best keyword hit for each) and turn "newer/older than X" into years from X's;
 * then the first strategy that applies — "like <title>" found → its neighbours under the
 * filters; text left over → hybrid search of it under the filters; filters or a sort only →
 * browse them, by the sort asked for (score when none); nothing recognised at all → search the
 * whole query (never "list everything"). A sort asked for re-orders what search and similar
 * found (orderBy): relevance picks the anime, the sort orders them. An empty answer says
 * "nothing matched" in the notes. Adult anime are left out of every strategy unless
 * `includeAdult` (catalog/adult.ts).
 */
export async function answerQuery(
  deps: { parser: QueryParser; search: SearchService; catalog: Catalog; vocabulary: () => Promise<{ genres: string[] }> },
  query: string,
  limit: number,
  includeAdult = false,
): Promise<QueryAnswer> {
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

  const answer = (strategy: QueryStrategy, data: QueryAnswer["data"], degraded: "vector"[], empty: string, similarTo: AnimeRef | null = null): QueryAnswer => {
    const rows = it.sort && strategy !== "browse" ? orderBy(data, it.sort) : data;
    if (rows.length === 0) notes.push(`nothing matched: ${empty}`);
    const interpretation = { ...it, filters: queryFilters, notes, similar_to_anime: similarTo, newer_than_anime: dated(newer), older_than_anime: dated(older), strategy };
    return { interpretation, data: rows, degraded };
  };
  const searchFor = async (q: string): Promise<QueryAnswer> => {
    const page = await deps.search.search({ q: q.slice(0, 256), mode: "hybrid", filters, limit });
    const data = page.hits.map((h) => ({ ...h.anime, match: { score: h.match.score, confidence: h.match.confidence, keyword_rank: h.match.keyword_rank, vector_rank: h.match.vector_rank } }));
    return answer("search", data, page.degraded, `no anime is relevant enough to "${q.slice(0, 60)}"${Object.keys(queryFilters).length ? " within these filters" : ""}`);
  };

  if (it.similar_to) {
    const similar = target ? await deps.search.similar(target.id, { limit, excludeRelated: false, filters }) : null;
    if (target && similar) {
      const data = similar.hits.map((h) => ({ ...h.anime, similarity: h.similarity }));
      return answer("similar", data, similar.degraded, `no anime like ${target.title} passes these filters`, { id: target.id, title: target.title });
    }
    if (!target) notes.push(`"${it.similar_to}" was not found: searched for it as words`);
  }
  const leftover = [it.text, it.similar_to].filter(Boolean).join(" ").trim();
  if (searchable(leftover)) return searchFor(leftover);
  if (Object.keys(queryFilters).length === 0 && !it.sort && searchable(query)) {
    notes.push(it.newer_than || it.older_than ? "nothing left to filter by: the whole query was searched" : "nothing recognised: the whole query was searched");
    return searchFor(query);
  }
  const page = await deps.catalog.browse(filters, { sort: it.sort ?? "score", limit });
  return answer("browse", page.data, [], "no anime has all of these filters");
}
