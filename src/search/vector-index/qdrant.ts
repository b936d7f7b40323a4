import { withAdultRule } from "../../catalog/adult";
import { tagConstraints } from "../../catalog/tag-constraints";
import { QdrantClient, type Schemas } from "@qdrant/js-client-rest";
import { episodesFloor, type Filters } from "../../catalog/filters";
import type { NeighbourQuery, VectorIndex, VectorMatch, VectorMetadata, VectorQuery, VectorRecord } from "./interface";

export const QDRANT_DEFAULT_COLLECTION = "kensho_anime";
/** The collection's one named vector. */
export const QDRANT_VECTOR_NAME = "text";
/**
 * Qdrant has no hard cap on `limit` (unless strict mode's max_query_limit is set); this keeps
 * parity with Vectorize so results do not depend on the backend.
 */
export const QDRANT_MAX_TOP_K = 100;
/** Points per upsert: ~1024 floats each as JSON stays far below the default 32 MB request limit. */
export const QDRANT_UPSERT_BATCH = 256;

/** Payload fields the filters use, with their index types; created by `ensureCollection`. */
export const QDRANT_PAYLOAD_INDEXES: Readonly<Record<keyof VectorMetadata, Schemas["PayloadSchemaType"]>> = {
  type: "keyword",
  status: "keyword",
  season: "keyword",
  genres: "keyword",
  studios: "keyword",
  system_status: "keyword",
  year: "integer",
  score: "float",
  episodes: "integer",
  updated_at: "integer",
};

export interface QdrantOptions {
  /** The `QDRANT_URL` secret, e.g. `https://xyz.cloud.qdrant.io:6333`; used as given (no port → the scheme's). */
  url: string;
  /** The `QDRANT_API_KEY` secret; sent as the `api-key` header. */
  apiKey?: string;
  collection?: string;
  /** Per-request timeout; a hung Qdrant must not hold a search, which falls back to keywords. */
  timeoutMs?: number;
}

/**
 * Vector index on Qdrant (REST). Point id = anime id; the vector is the named vector `text`
 * (cosine); the payload is the VectorMetadata. Every filter runs inside Qdrant on indexed payload
 * fields. Writes wait for Qdrant to apply them, so a resolved upsert is visible to queries.
 */
export class QdrantVectorIndex implements VectorIndex {
  readonly backend = "qdrant";
  readonly maxTopK = QDRANT_MAX_TOP_K;
  readonly collection: string;
  private readonly client: QdrantClient;

  constructor(options: QdrantOptions) {
    this.collection = options.collection ?? QDRANT_DEFAULT_COLLECTION;
    const { port } = new URL(options.url);
    this.client = new QdrantClient({
      url: options.url,
      apiKey: options.apiKey,
      // The client puts :6333 on a URL without a port; null keeps the URL as configured.
      port: port ? Number(port) : null,
      timeout: options.timeoutMs ?? 10_000,
      // Otherwise every construction fires an unawaited version request.
      checkCompatibility: false,
    });
  }

  /**
   * Creates the collection (named cosine vector `text` of `dimensions`) if it is missing, checks
   * an existing one has that size, and adds any missing payload index. Run once before the first
   * upsert (indexes built before the data avoid a rebuild). Safe to repeat.
   */
  prepare(dimensions: number): Promise<void> {
    return this.ensureCollection(dimensions);
  }

  async ensureCollection(dimensions: number): Promise<void> {
    const { exists } = await this.client.collectionExists(this.collection);
    if (!exists) {
      await this.client.createCollection(this.collection, { vectors: { [QDRANT_VECTOR_NAME]: { size: dimensions, distance: "Cosine" } } });
    }
    const info = await this.client.getCollection(this.collection);
    const vectors = info.config.params.vectors as Record<string, Schemas["VectorParams"] | undefined> | undefined;
    const text = vectors?.[QDRANT_VECTOR_NAME];
    if (text?.size !== dimensions || text.distance !== "Cosine") {
      throw new Error(`Qdrant collection ${this.collection} has no cosine vector "${QDRANT_VECTOR_NAME}" of ${dimensions} dimensions; reindex into a new collection`);
    }
    const indexed = new Set(Object.keys(info.payload_schema ?? {}));
    for (const [field_name, field_schema] of Object.entries(QDRANT_PAYLOAD_INDEXES)) {
      if (!indexed.has(field_name)) await this.client.createPayloadIndex(this.collection, { field_name, field_schema, wait: true });
    }
  }

  async upsert(records: VectorRecord[]): Promise<void> {
    for (let i = 0; i < records.length; i += QDRANT_UPSERT_BATCH) {
      const points = records.slice(i, i + QDRANT_UPSERT_BATCH).map((r) => ({
        id: r.id,
        vector: { [QDRANT_VECTOR_NAME]: r.values },
        payload: { ...r.metadata },
      }));
      await this.client.upsert(this.collection, { wait: true, points });
    }
  }

  async delete(ids: number[]): Promise<void> {
    if (ids.length > 0) await this.client.delete(this.collection, { wait: true, points: ids });
  }

  async query(q: VectorQuery): Promise<VectorMatch[]> {
    const { points } = await this.client.query(this.collection, {
      query: q.vector,
      using: QDRANT_VECTOR_NAME,
      limit: this.clamp(q.topK),
      filter: qdrantFilter(q.filter ?? {}),
      with_payload: false,
    });
    return points.map((p) => ({ id: toAnimeId(p.id), score: p.score }));
  }

  /**
   * The Query API's search by id (`query: <point id>`: the point's stored `text` vector),
   * one more than topK in case the point itself comes back. Qdrant answers 404 for an id it
   * does not hold, as for a missing collection, so a failure is followed by a retrieve of the
   * point to tell "not held" (null) from a real error.
   */
  async queryById(id: number, q: NeighbourQuery): Promise<VectorMatch[] | null> {
    const topK = this.clamp(q.topK);
    try {
      const { points } = await this.client.query(this.collection, {
        query: id,
        using: QDRANT_VECTOR_NAME,
        limit: Math.min(topK + 1, this.maxTopK),
        filter: qdrantFilter(q.filter ?? {}),
        with_payload: false,
      });
      return points.map((p) => ({ id: toAnimeId(p.id), score: p.score })).filter((m) => m.id !== id).slice(0, topK);
    } catch (e) {
      const held = await this.client.retrieve(this.collection, { ids: [id], with_payload: false, with_vector: false }).then((points) => points.length > 0, () => true);
      if (!held) return null;
      throw e;
    }
  }

  async count(): Promise<number> {
    return (await this.client.count(this.collection, { exact: true })).count;
  }

  private clamp(topK: number): number {
    return Math.min(Math.max(1, Math.floor(topK)), this.maxTopK);
  }
}

/**
 * The catalog filters as a Qdrant filter, with browse-query.ts's meaning: list filters match
 * any listed value, every tag group must match (one `must` each: tag-constraints.ts; the
 * payload's `genres` holds the tags), exclusions go to
 * `must_not` (`match.except` would pass an array holding any other value), ranges are
 * inclusive and never match a null. Undefined when nothing constrains the query.
 */
export function qdrantFilter(filters: Filters): Schemas["Filter"] | undefined {
  // Adult anime are left out natively unless asked for (catalog/adult.ts), not by D1's re-check.
  const f = withAdultRule(filters);
  const must: Schemas["Condition"][] = [];
  const mustNot: Schemas["Condition"][] = [];
  if (!f.include_orphaned) must.push({ key: "system_status", match: { value: "ACTIVE" } });
  if (f.type?.length) must.push({ key: "type", match: { any: f.type } });
  if (f.type_exclude?.length) mustNot.push({ key: "type", match: { any: f.type_exclude } });
  if (f.status?.length) must.push({ key: "status", match: { any: f.status } });
  if (f.season?.length) must.push({ key: "season", match: { any: f.season } });
  if (f.year_from !== undefined || f.year_to !== undefined) must.push({ key: "year", range: { gte: f.year_from, lte: f.year_to } });
  if (f.min_score !== undefined) must.push({ key: "score", range: { gte: f.min_score } });
  if (f.episodes_min !== undefined || f.episodes_max !== undefined) {
    must.push({ key: "episodes", range: { gte: episodesFloor(f), lte: f.episodes_max } });
  }
  if (f.updated_since !== undefined) must.push({ key: "updated_at", range: { gte: Date.parse(f.updated_since) } });
  const tags = tagConstraints(f);
  for (const group of tags.allOf) must.push({ key: "genres", match: { any: group } });
  if (tags.noneOf.length) mustNot.push({ key: "genres", match: { any: tags.noneOf } });
  if (f.studios?.length) must.push({ key: "studios", match: { any: lower(f.studios) } });
  if (!must.length && !mustNot.length) return undefined;
  return { ...(must.length > 0 && { must }), ...(mustNot.length > 0 && { must_not: mustNot }) };
}

const lower = (xs: string[] | undefined): string[] => (xs ?? []).map((x) => x.toLowerCase());

function toAnimeId(id: Schemas["ExtendedPointId"]): number {
  // Points are written with integer ids only; a UUID here means a foreign collection.
  if (typeof id !== "number") throw new Error(`Qdrant returned a point id that is not an anime id: ${id}`);
  return id;
}
