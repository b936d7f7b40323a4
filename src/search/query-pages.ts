import type { Catalog } from "../catalog/catalog";
import type { Anime } from "../catalog/anime-schema";
import type { Filters } from "../catalog/filters";
import { ApiError } from "../errors/api-error";
import type { QuerySort } from "./query/interface";
import { orderBy } from "./query/result-order";
import type { QueryPosition } from "./query-cursor";
import { publicMatch } from "./public-match";
import { LEG_POOL, type SearchService } from "./search-service";
import type { SimilarHit } from "./similar";

/** Every hit a search can rank: LEG_POOL per leg, fused. */
export const SEARCH_SET_MAX = 2 * LEG_POOL;
/** Every candidate similarTo gathers: ≤ 100 vector neighbours, ≤ 100 tag candidates (TAG_POOL), ≤ 100 of the franchise. */
export const SIMILAR_SET_MAX = 300;

export type QueryHit = Anime & { match?: ReturnType<typeof publicMatch>; similarity?: SimilarHit["similarity"] };

/** One page of a strategy, and where the next starts (null: this was the last). */
export interface QueryPage {
  data: QueryHit[];
  degraded: "vector"[];
  next: QueryPosition | null;
}

const offsetOf = (at: QueryPosition | undefined) => (at && "offset" in at ? at : undefined);
const innerOf = (at: QueryPosition | undefined) => (at && "inner" in at ? at.inner : undefined);

/** A walk ranked with the vector leg cannot go on without it: its order would change under it. */
const vectorLost = () =>
  new ApiError("service_unavailable", "Semantic search became unavailable during this walk; retry shortly, or start again without a cursor.", { headers: { "Retry-After": "5" } });

/** `rows` ordered whole by `sort` when one is asked for, then the page at `offset`. */
function offsetPage(rows: QueryHit[], sort: QuerySort | null, offset: number, limit: number, vector: boolean): QueryPage {
  const ordered = sort ? orderBy(rows, sort) : rows;
  const more = offset + limit < ordered.length;
  return { data: ordered.slice(offset, offset + limit), degraded: vector ? [] : ["vector"], next: more ? { offset: offset + limit, vector } : null };
}

/**
 * Hybrid search of `q` under `filters`. Without a sort, SearchService's own pages (its cursor
 * is `inner`). With one, the whole ranked set (≤ SEARCH_SET_MAX) is fetched on every page,
 * ordered by the sort and paged by offset, so the order is the same across pages; a walk whose
 * first page was ranked without the vector leg is ranked by keyword mode after it (what hybrid
 * ranks when that leg fails), and one ranked with it answers 503 if the leg fails.
 */
export async function searchPage(search: SearchService, q: string, filters: Filters, sort: QuerySort | null, limit: number, at: QueryPosition | undefined): Promise<QueryPage> {
  const hit = (h: { anime: Anime; match: Parameters<typeof publicMatch>[0] }): QueryHit => ({ ...h.anime, match: publicMatch(h.match) });
  if (!sort) {
    const page = await search.search({ q, mode: "hybrid", filters, limit, cursor: innerOf(at) });
    return { data: page.hits.map(hit), degraded: page.degraded, next: page.next_cursor ? { inner: page.next_cursor } : null };
  }
  const from = offsetOf(at);
  const withVector = from?.vector ?? true;
  const all = await search.search({ q, mode: withVector ? "hybrid" : "keyword", filters, limit: SEARCH_SET_MAX });
  const vector = withVector && all.degraded.length === 0;
  if (from?.vector && !vector) throw vectorLost();
  return offsetPage(all.hits.map(hit), sort, from?.offset ?? 0, limit, vector);
}

/**
 * Neighbours of anime `id` under `filters`, paged by offset into similarTo's ranking (computed
 * whole on every call). With a sort the whole set (≤ SIMILAR_SET_MAX) is ordered by it first.
 * The vector leg must answer every page as it answered the first; null when `id` is unknown.
 */
export async function similarPage(search: SearchService, id: number, filters: Filters, sort: QuerySort | null, limit: number, position: QueryPosition | undefined): Promise<QueryPage | null> {
  const at = offsetOf(position);
  const offset = at?.offset ?? 0;
  // Without a sort only this page (and one more hit, to know whether another follows) is presented.
  const found = await search.similar(id, sort ? { limit: SIMILAR_SET_MAX, excludeRelated: false, filters } : { limit: limit + 1, offset, excludeRelated: false, filters });
  if (!found) return null;
  const vector = found.degraded.length === 0;
  if (at?.vector && !vector) throw vectorLost();
  if (at && !at.vector && vector) throw new ApiError("invalid_cursor", "This walk was ranked without semantic search, which has since come back; start again without a cursor.");
  const rows = found.hits.map((h) => ({ ...h.anime, similarity: h.similarity }));
  return sort ? offsetPage(rows, sort, offset, limit, vector) : { ...offsetPage(rows, null, 0, limit, vector), next: rows.length > limit ? { offset: offset + limit, vector } : null };
}

/** The filters alone, in the catalog's keyset pages by `sort` (score when none); its cursor is `inner`. */
export async function browsePage(catalog: Catalog, filters: Filters, sort: QuerySort | null, limit: number, at: QueryPosition | undefined): Promise<QueryPage> {
  const page = await catalog.browse(filters, { sort: sort ?? "score", limit, cursor: innerOf(at) });
  return { data: page.data, degraded: [], next: page.next_cursor ? { inner: page.next_cursor } : null };
}
