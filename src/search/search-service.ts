import type { Catalog } from "../catalog/catalog";
import type { Anime } from "../catalog/anime-schema";
import type { Filters } from "../catalog/filters";
import { filtersFingerprint } from "../catalog/cursor";
import { compact } from "./keyword/normalize";
import type { KeywordIndex } from "./keyword/keyword-index";
import { fuse, type FusedHit } from "./fusion";
import { decodeSearchCursor, encodeSearchCursor } from "./search-cursor";
import { vectorLeg, type VectorSearch } from "./vector-leg";
import { similarTo, type SimilarOptions } from "./similar";

export const SEARCH_MODES = ["hybrid", "keyword", "semantic"] as const;
export type SearchMode = (typeof SEARCH_MODES)[number];

/** Candidates per leg; the fused list (≤ 2 × this) bounds how deep a cursor walk goes. */
export const LEG_POOL = 100;

export interface SearchRequest {
  q: string;
  mode: SearchMode;
  filters: Filters;
  limit: number;
  cursor?: string;
}

export interface SearchPage {
  hits: { anime: Anime; match: FusedHit }[];
  next_cursor: string | null;
  /** Legs that were wanted but not used ("vector" when it failed, timed out or is off). */
  degraded: "vector"[];
}

/** Logs a degraded vector leg once per request; the reason is ours, the query is not logged. */
export type DegradeLog = (reason: string, message?: string) => void;

/**
 * Hybrid search: the keyword leg (D1 FTS5) and the vector leg run in parallel, each with the
 * filters inside it, and are fused by reciprocal rank (fusion.ts). A failed or slow vector
 * leg degrades the answer to keyword results, flagged in `degraded`; semantic mode degrades
 * the same way rather than fail. Pages are offsets into the fused list, recomputed per page.
 */
export class SearchService {
  constructor(
    private readonly catalog: Catalog,
    private readonly db: D1Database,
    private readonly keyword: KeywordIndex,
    private readonly vectors: VectorSearch,
    private readonly onDegrade: DegradeLog = () => {},
  ) {}

  async search(req: SearchRequest): Promise<SearchPage> {
    const fingerprint = filtersFingerprint({ q: compact(req.q), mode: req.mode, f: filtersFingerprint(req.filters) });
    const offset = req.cursor ? decodeSearchCursor(req.cursor, fingerprint) : 0;
    const wantKeyword = req.mode !== "semantic";
    const wantVector = req.mode !== "keyword";

    const [kw, vec] = await Promise.all([
      wantKeyword ? this.keyword.search(req.q, req.filters, LEG_POOL) : Promise.resolve([]),
      wantVector ? vectorLeg(this.vectors, req.q, req.filters, LEG_POOL) : Promise.resolve(null),
    ]);
    const degraded: "vector"[] = [];
    let vectorMatches = vec?.ok ? vec.matches : [];
    let keywordHits = kw;
    if (vec && !vec.ok) {
      degraded.push("vector");
      this.onDegrade(vec.reason, vec.message);
      // Semantic mode still answers: with the keyword results it would otherwise lack.
      if (!wantKeyword) keywordHits = await this.keyword.search(req.q, req.filters, LEG_POOL);
    }
    if (vectorMatches.length) {
      // The index's metadata may lag the catalog by one indexing pass: D1 has the last word.
      const ok = await this.catalog.matching(vectorMatches.map((m) => m.id), req.filters);
      vectorMatches = vectorMatches.filter((m) => ok.has(m.id));
    }

    const ranked = fuse(keywordHits, vectorMatches);
    const page = ranked.slice(offset, offset + req.limit);
    const animes = await this.catalog.getMany(page.map((h) => h.id));
    const byId = new Map(animes.map((a) => [a.id, a]));
    const more = offset + req.limit < ranked.length;
    return {
      hits: page.filter((h) => byId.has(h.id)).map((h) => ({ anime: byId.get(h.id)!, match: h })),
      next_cursor: more ? encodeSearchCursor(offset + req.limit, fingerprint) : null,
      degraded,
    };
  }

  /** Anime like `id` (see similar.ts); null when the anime is unknown. */
  similar(id: number, opts: SimilarOptions) {
    return similarTo(this.catalog, this.db, this.vectors, id, opts, this.onDegrade);
  }
}
