import type { Catalog } from "../catalog/catalog";
import type { Anime } from "../catalog/anime-schema";
import type { Filters } from "../catalog/filters";
import { filtersFingerprint } from "../catalog/cursor";
import { normalise } from "./keyword/normalize";
import { ApiError } from "../errors/api-error";
import type { KeywordIndex } from "./keyword/keyword-index";
import { fuse, type FusedHit } from "./fusion";
import { DEFAULT_MIN_CONFIDENCE, fusionWeights, isKnownItem } from "./relevance";
import { decodeSearchCursor, encodeSearchCursor, type Legs } from "./search-cursor";
import { vectorLeg, type VectorSearch } from "./vector-leg";
import { similarTo, type SimilarOptions } from "./similar";

export const SEARCH_MODES = ["hybrid", "keyword", "semantic"] as const;
export type SearchMode = (typeof SEARCH_MODES)[number];

/** Candidates per leg; the fused list (≤ 2 × this) bounds how deep a cursor walk goes. */
export const LEG_POOL = 100;
/** Rows fetched beyond the page, in case the re-check drops some candidates above it. */
const PREFETCH_MARGIN = 10;

export interface SearchRequest {
  q: string;
  /** `q` in the search normal form, when the caller already has it (the route keys its cache by it): normalised once per request. */
  normalised?: string;
  mode: SearchMode;
  filters: Filters;
  limit: number;
  cursor?: string;
  /** Hits under this confidence are dropped (relevance.ts); default DEFAULT_MIN_CONFIDENCE. */
  minConfidence?: number;
}

export interface SearchPage {
  hits: { anime: Anime; match: FusedHit }[];
  next_cursor: string | null;
  /** Legs that were wanted but not used ("vector" when it failed, timed out or is off). */
  degraded: "vector"[];
  /** Milliseconds per stage, for the Server-Timing header. */
  timings: Record<string, number>;
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
    const nq = req.normalised ?? normalise(req.q);
    const fingerprint = filtersFingerprint({ q: nq, mode: req.mode, f: filtersFingerprint(req.filters), c: req.minConfidence ?? null });
    const cursor = req.cursor ? decodeSearchCursor(req.cursor, fingerprint) : null;
    const offset = cursor?.offset ?? 0;
    // A walk whose first page was ranked without the vector leg stays without it.
    const wantKeyword = req.mode !== "semantic" || cursor?.legs === "keyword";
    const wantVector = req.mode !== "keyword" && cursor?.legs !== "keyword";

    const timings: Record<string, number> = {};
    const time = async <T>(name: string, p: Promise<T>): Promise<T> => {
      const t = performance.now();
      try {
        return await p;
      } finally {
        timings[name] = (timings[name] ?? 0) + performance.now() - t;
      }
    };
    const [kw, vec] = await Promise.all([
      wantKeyword ? time("keyword", this.keyword.search(nq, req.filters, LEG_POOL)) : Promise.resolve([]),
      wantVector ? time("vector", vectorLeg(this.vectors, req.q, req.filters, LEG_POOL)) : Promise.resolve(null),
    ]);
    const degraded: "vector"[] = [];
    if (!wantVector && req.mode !== "keyword") degraded.push("vector");
    const vectorMatches = vec?.ok ? vec.matches : [];
    let keywordHits = kw;
    if (vec && !vec.ok) {
      if (cursor && cursor.legs !== "keyword") {
        // Ranking page 2 without the leg that ranked page 1 would repeat and skip hits.
        throw new ApiError("service_unavailable", "Semantic search became unavailable during this walk; retry shortly, or start again without a cursor.", { headers: { "Retry-After": "5" } });
      }
      degraded.push("vector");
      this.onDegrade(vec.reason, vec.message);
      // Semantic mode still answers: with the keyword results it would otherwise lack.
      if (!wantKeyword) keywordHits = await time("keyword", this.keyword.search(nq, req.filters, LEG_POOL));
    }

    // Keyword hits were filtered by D1 in this request; the index's metadata may lag the
    // catalog by one indexing pass, so vector-only hits are re-checked against D1 (which
    // has the last word), in the same round trip that fetches the likely page.
    const knownItem = isKnownItem(keywordHits);
    const floor = req.minConfidence ?? DEFAULT_MIN_CONFIDENCE;
    const fused = fuse(keywordHits, vectorMatches, fusionWeights(this.vectors.embedder.model, knownItem)).filter((h) => h.confidence >= floor);
    const fromKeyword = new Set(keywordHits.map((h) => h.id));
    const check = vectorMatches.filter((m) => !fromKeyword.has(m.id)).map((m) => m.id);
    const likely = fused.slice(0, offset + req.limit + PREFETCH_MARGIN).map((h) => h.id);
    // The likely page's links are read in the same round trip; present() reads them again
    // only when the re-check dropped a hit above the page's end.
    const { matching, rows, extras } = await time("hydrate", this.catalog.matchingWithRows(check, req.filters, likely, likely.slice(offset, offset + req.limit)));
    const ranked = fused.filter((h) => fromKeyword.has(h.id) || matching.has(h.id));
    const page = ranked.slice(offset, offset + req.limit);
    const missing = page.filter((h) => !rows.has(h.id)).map((h) => h.id);
    if (missing.length) for (const r of await this.catalog.rowsByIds(missing)) rows.set(r.id, r);
    const pageRows = page.map((h) => rows.get(h.id)).filter((r) => r !== undefined);
    const animes = await time("present", this.catalog.present(pageRows, extras));
    const byId = new Map(animes.map((a) => [a.id, a]));
    const more = offset + req.limit < ranked.length;
    return {
      hits: page.filter((h) => byId.has(h.id)).map((h) => ({ anime: byId.get(h.id)!, match: h })),
      next_cursor: more ? encodeSearchCursor({ offset: offset + req.limit, legs: legsOf(wantKeyword || !vec?.ok, !!vec?.ok) }, fingerprint) : null,
      degraded,
      timings,
    };
  }

  /** Anime like `id` (see similar.ts); null when the anime is unknown. */
  similar(id: number, opts: SimilarOptions) {
    return similarTo(this.catalog, this.db, this.vectors, id, opts, this.onDegrade);
  }
}

function legsOf(keyword: boolean, vector: boolean): Legs {
  return keyword && vector ? "keyword+vector" : vector ? "vector" : "keyword";
}
