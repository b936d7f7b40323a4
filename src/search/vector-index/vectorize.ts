import { episodesFloor, type Filters } from "../../catalog/filters";
import { metadataPredicate } from "./filter-match";
import type { NeighbourQuery, VectorIndex, VectorMatch, VectorMetadata, VectorQuery, VectorRecord } from "./interface";

// Limits of a Vectorize V2 index, from https://developers.cloudflare.com/vectorize/platform/limits/
// (updated 2026-08-05) and https://developers.cloudflare.com/vectorize/reference/client-api/ unless noted.
/** topK with `returnMetadata: "none"` and no values. */
export const VECTORIZE_MAX_TOP_K = 100;
/** topK with `returnMetadata: "all"` or `returnValues` (raised from 20 to 50 on 2026-03-16, Cloudflare changelog). */
export const VECTORIZE_MAX_TOP_K_WITH_METADATA = 50;
/** Vectors per upsert from a Worker. */
export const VECTORIZE_UPSERT_BATCH = 1000;
/** Ids per deleteByIds. Not on the limits page: the service answers 40007 "max id count is 100". */
export const VECTORIZE_DELETE_BATCH = 100;

/**
 * The part of the Vectorize binding this adapter uses. `wrangler types` declares a
 * `[[vectorize]]` binding as the legacy `VectorizeIndex`, while a V2 index is a `Vectorize` at
 * run time (same methods plus `queryById`; `describe()` differs), so both must fit.
 */
export interface VectorizeBinding {
  query(vector: number[], options?: VectorizeQueryOptions): Promise<VectorizeMatches>;
  /** V2 only (absent from the legacy type `wrangler types` writes, present at run time). */
  queryById?(vectorId: string, options?: VectorizeQueryOptions): Promise<VectorizeMatches>;
  upsert(vectors: VectorizeVector[]): Promise<unknown>;
  deleteByIds(ids: string[]): Promise<unknown>;
  getByIds(ids: string[]): Promise<VectorizeVector[]>;
  describe(): Promise<VectorizeIndexInfo | VectorizeIndexDetails>;
}

type StoredMetadata = Record<string, VectorizeVectorMetadata>;
type Keep = (metadata: VectorMetadata) => boolean;

/**
 * Vector index on Cloudflare Vectorize (V2). Ids are the anime ids as decimal strings.
 *
 * Filters: type, type_exclude, status, season, year_from/to, min_score, episodes_min/max,
 * updated_since and the orphan rule run inside Vectorize, on the metadata indexes listed in
 * docs/vector-backends.md. genres, tags (and their exclusions) and studios cannot: Vectorize indexes only
 * string, number and boolean properties, not arrays. When one of them is set, one query asks
 * for the 50 nearest natively-filtered candidates with their metadata (the most Vectorize
 * returns with metadata) and keeps those that pass, so it can return fewer than topK even
 * when more matches exist further away.
 *
 * Writes are asynchronous in Vectorize: an upsert or delete is visible to queries seconds later.
 */
export class VectorizeVectorIndex implements VectorIndex {
  readonly backend = "vectorize";
  readonly maxTopK = VECTORIZE_MAX_TOP_K;

  constructor(private readonly binding: VectorizeBinding) {}

  async upsert(records: VectorRecord[]): Promise<void> {
    for (const batch of chunks(records, VECTORIZE_UPSERT_BATCH)) {
      await this.binding.upsert(batch.map((r) => ({ id: String(r.id), values: r.values, metadata: toStored(r.metadata) })));
    }
  }

  async delete(ids: number[]): Promise<void> {
    for (const batch of chunks(ids, VECTORIZE_DELETE_BATCH)) await this.binding.deleteByIds(batch.map(String));
  }

  async query(q: VectorQuery): Promise<VectorMatch[]> {
    const plan = this.plan(q, 0);
    if (!plan) return [];
    return plan.read((await this.binding.query(q.vector, plan.options)).matches);
  }

  /**
   * Vectorize's queryById, asking for one more than topK (the anime is its own nearest).
   * The service's answer for an id it does not hold is not documented, so an error or an
   * empty answer is followed by a getByIds to tell "not held" (null) from the real outcome.
   */
  async queryById(id: number, q: NeighbourQuery): Promise<VectorMatch[] | null> {
    const plan = this.plan(q, 1);
    if (!plan) return [];
    const key = String(id);
    let matches: VectorizeMatch[];
    try {
      matches = this.binding.queryById ? (await this.binding.queryById(key, plan.options)).matches : await this.queryByStoredValues(key, plan.options);
    } catch (e) {
      if (!(await this.holds(key).catch(() => true))) return null;
      throw e;
    }
    if (matches.length === 0 && !(await this.holds(key))) return null;
    return plan.read(matches.filter((m) => m.id !== key));
  }

  /** Vectorize's own count; it trails recent writes by up to minutes. */
  async count(): Promise<number> {
    const info = await this.binding.describe();
    return "vectorCount" in info ? info.vectorCount : info.vectorsCount;
  }

  /**
   * The query options and how to read the answer, or null when the filters exclude every
   * vector. `extra`: candidates to ask for beyond topK (queryById drops the anime itself).
   * Under a list filter, always the most candidates Vectorize returns with metadata.
   */
  private plan(q: NeighbourQuery, extra: number): { options: VectorizeQueryOptions; read: (matches: VectorizeMatch[]) => VectorMatch[] } | null {
    const topK = Math.min(Math.max(1, Math.floor(q.topK)), this.maxTopK);
    const f = q.filter ?? {};
    const filter = nativeFilter(f);
    if (filter === "nothing") return null;
    const keep = postFilter(f);
    const options: VectorizeQueryOptions = keep
      ? { topK: VECTORIZE_MAX_TOP_K_WITH_METADATA, returnMetadata: "all" }
      : { topK: Math.min(topK + extra, VECTORIZE_MAX_TOP_K), returnMetadata: "none" };
    if (Object.keys(filter).length > 0) options.filter = filter;
    const read = (matches: VectorizeMatch[]) => (keep ? matches.filter((m) => m.metadata !== undefined && keep(fromStored(m.metadata))) : matches).slice(0, topK).map(toMatch);
    return { options, read };
  }

  /** A legacy (V1) binding has no queryById: read the stored values, then query with them. */
  private async queryByStoredValues(key: string, options: VectorizeQueryOptions): Promise<VectorizeMatch[]> {
    const [stored] = await this.binding.getByIds([key]);
    if (!stored) return [];
    return (await this.binding.query(Array.from(stored.values), options)).matches;
  }

  private async holds(key: string): Promise<boolean> {
    return (await this.binding.getByIds([key])).length > 0;
  }
}

/**
 * Null year/score are left out rather than stored as null: metadata indexes take only
 * string/number/boolean values, and a vector without the property has no entry in its index,
 * so no range filter can match it — SQL's NULL behaviour (read from the docs, not verified).
 */
function toStored(m: VectorMetadata): StoredMetadata {
  const { year, score, ...rest } = m;
  const stored: StoredMetadata = { ...rest };
  if (year !== null) stored.year = year;
  if (score !== null) stored.score = score;
  return stored;
}

/** The inverse of toStored, for metadata this adapter wrote. */
function fromStored(m: StoredMetadata): VectorMetadata {
  const list = (v: VectorizeVectorMetadata | undefined): string[] => (Array.isArray(v) ? v : []);
  const orNull = (v: VectorizeVectorMetadata | undefined): number | null => (typeof v === "number" ? v : null);
  return { ...(m as unknown as VectorMetadata), year: orNull(m.year), score: orNull(m.score), genres: list(m.genres), studios: list(m.studios) };
}

/**
 * The filters Vectorize evaluates itself. "nothing" when they exclude every vector.
 * type and type_exclude are folded into one `$in`: the docs allow combining operators on one
 * property only for a lower with an upper range bound.
 */
export function nativeFilter(f: Filters): VectorizeVectorMetadataFilter | "nothing" {
  const filter: VectorizeVectorMetadataFilter = {};
  if (!f.include_orphaned) filter.system_status = { $eq: "ACTIVE" };
  const excluded = f.type_exclude ?? [];
  if (f.type?.length) {
    const types = f.type.filter((t) => !excluded.includes(t));
    if (types.length === 0) return "nothing";
    filter.type = { $in: types };
  } else if (excluded.length) {
    filter.type = { $nin: excluded };
  }
  if (f.status?.length) filter.status = { $in: f.status };
  if (f.season?.length) filter.season = { $in: f.season };
  const year = range(f.year_from, f.year_to);
  if (year) filter.year = year;
  if (f.min_score !== undefined) filter.score = { $gte: f.min_score };
  const episodes = range(episodesFloor(f), f.episodes_max);
  if (episodes) filter.episodes = episodes;
  if (f.updated_since !== undefined) filter.updated_at = { $gte: Date.parse(f.updated_since) };
  return filter;
}

function range(from: number | undefined, to: number | undefined): { $gte?: number; $lte?: number } | undefined {
  if (from === undefined && to === undefined) return undefined;
  return { ...(from !== undefined && { $gte: from }), ...(to !== undefined && { $lte: to }) };
}

/**
 * The list filters, with the catalog's meaning (filter-match.ts), for the metadata of
 * candidates that already passed the native filters; undefined when none is set.
 */
export function postFilter(f: Filters): Keep | undefined {
  if (!f.genres?.length && !f.genres_exclude?.length && !f.tags?.length && !f.tags_exclude?.length && !f.studios?.length) return undefined;
  // include_adult passes through: the predicate otherwise hides adult anime (catalog/adult.ts).
  // Without list filters adult anime are not post-filtered here: D1's re-check of vector hits
  // removes them (search-service.ts), at the cost of a few candidates.
  return metadataPredicate({
    genres: f.genres, genres_exclude: f.genres_exclude, tags: f.tags, tags_exclude: f.tags_exclude, studios: f.studios,
    include_adult: f.include_adult, include_orphaned: true,
  });
}

function toMatch(m: VectorizeMatch): VectorMatch {
  const id = Number(m.id);
  // Every vector here was written by this adapter; anything else means a shared or corrupt index.
  if (!Number.isSafeInteger(id)) throw new Error(`Vectorize returned a vector id that is not an anime id: ${m.id}`);
  return { id, score: m.score };
}

function* chunks<T>(xs: T[], size: number): Generator<T[]> {
  for (let i = 0; i < xs.length; i += size) yield xs.slice(i, i + size);
}
