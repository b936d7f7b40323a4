import type { Catalog } from "../catalog/catalog";
import type { Anime } from "../catalog/anime-schema";
import type { QueryInterpretation, QueryParser } from "./query/interface";
import type { SearchService } from "./search-service";
import type { SimilarHit } from "./similar";
import type { FusedHit } from "./fusion";

export type QueryStrategy = "similar" | "search" | "browse";

export interface QueryAnswer {
  interpretation: QueryInterpretation & { similar_to_anime: { id: number; title: string } | null; strategy: QueryStrategy };
  data: (Anime & { match?: Pick<FusedHit, "score" | "confidence" | "keyword_rank" | "vector_rank">; similarity?: SimilarHit["similarity"] })[];
  degraded: "vector"[];
}

const searchable = (s: string) => /[\p{L}\p{N}]/u.test(s);

/**
 * Answers a natural-language query: parse it, then the first strategy that applies —
 * "like <title>" resolved to an anime → its neighbours under the filters; text left over →
 * hybrid search of it under the filters; only filters → browse them, best score first;
 * nothing recognised at all → search the whole query (never "list everything"). Adult anime
 * are left out of every strategy unless `includeAdult` (catalog/adult.ts).
 */
export async function answerQuery(
  deps: { parser: QueryParser; search: SearchService; catalog: Catalog; vocabulary: () => Promise<{ genres: string[] }> },
  query: string,
  limit: number,
  includeAdult = false,
): Promise<QueryAnswer> {
  const it = await deps.parser.parse(query, await deps.vocabulary());
  // Adult anime only when the request says so (its include_adult), never because of the wording.
  const filters = { include_orphaned: false, ...it.filters, include_adult: includeAdult };
  const reading = (strategy: QueryStrategy, similar_to_anime: QueryAnswer["interpretation"]["similar_to_anime"] = null, notes = it.notes) => ({ ...it, notes, similar_to_anime, strategy });
  const searchFor = async (q: string, notes?: string[]): Promise<QueryAnswer> => {
    const page = await deps.search.search({ q: q.slice(0, 256), mode: "hybrid", filters, limit });
    const data = page.hits.map((h) => ({ ...h.anime, match: { score: h.match.score, confidence: h.match.confidence, keyword_rank: h.match.keyword_rank, vector_rank: h.match.vector_rank } }));
    return { interpretation: reading("search", null, notes), data, degraded: page.degraded };
  };

  if (it.similar_to) {
    const [target] = (await deps.search.search({ q: it.similar_to, mode: "keyword", filters: { include_adult: includeAdult }, limit: 1 })).hits;
    const similar = target ? await deps.search.similar(target.anime.id, { limit, excludeRelated: false, filters }) : null;
    if (target && similar) {
      const data = similar.hits.map((h) => ({ ...h.anime, similarity: h.similarity }));
      return { interpretation: reading("similar", { id: target.anime.id, title: target.anime.title }), data, degraded: similar.degraded };
    }
  }
  const leftover = [it.text, it.similar_to].filter(Boolean).join(" ").trim();
  if (searchable(leftover)) return searchFor(leftover);
  if (Object.keys(it.filters).length === 0 && searchable(query)) return searchFor(query, [...it.notes, "nothing recognised: the whole query was searched"]);
  const page = await deps.catalog.browse(filters, { sort: "score", limit });
  return { interpretation: reading("browse"), data: page.data, degraded: [] };
}
