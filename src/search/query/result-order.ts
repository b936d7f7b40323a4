import type { Anime } from "../../catalog/anime-schema";
import { popularityOf } from "../../catalog/popularity";
import type { QuerySort } from "./interface";

type Ordered = Pick<Anime, "score" | "source_urls" | "related">;

/**
 * The rows a search or similar strategy found, re-ordered by the sort the query asked for:
 * score (unknown last) or popularity (popularityOf, the definition of sort=popularity, from
 * the row's sites, score and relations). Stable: ties keep the relevance order they came in.
 * Which anime are answered is relevance's decision; only their order is the sort's.
 */
export function orderBy<T extends Ordered>(rows: readonly T[], sort: QuerySort): T[] {
  const key = (a: Ordered) => (sort === "score" ? (a.score ?? -1) : popularityOf({ sources: [...a.source_urls], related: a.related.map((r) => r.url), score: a.score }));
  return rows
    .map((row, i) => ({ row, i, k: key(row) }))
    .sort((a, b) => b.k - a.k || a.i - b.i)
    .map((x) => x.row);
}
