import { configOf, type Config } from "./config";
import { createLogger, messageOf, type Logger } from "./logging/logger";
import { Catalog } from "./catalog/catalog";
import { catalogFacts, type CatalogFacts } from "./catalog/facts";
import { importEntries, type ImportOptions, type ImportReport } from "./catalog/import/importer";
import { BULK_INVALIDATION, CatalogInvalidator, latestGeneration, type Generation } from "./cache/generation";
import { ResponseCache } from "./cache/response-cache";
import { TieredCache } from "./cache/tiered-cache";
import { cacheTiers } from "./cache/tiers";
import { KeyStore } from "./access/key-store";
import { QuotaService } from "./access/quota-service";
import { LeaseBook } from "./access/leases";
import { KeywordIndex } from "./search/keyword/keyword-index";
import { SearchService } from "./search/search-service";
import { SearchIndexer } from "./search/indexer";
import { searchBackends, type SearchBackends } from "./search/backends";
import type { VectorSearch } from "./search/vector-leg";
import type { QueryParser } from "./search/query/interface";
import { SyncService } from "./sync/service";
import { SyncEngine, type SyncOptions } from "./sync/engine";
import { SnapshotStore } from "./sync/snapshot-store";
import { ImageService } from "./images/service";
import { ImageIngestor, type IngestOptions } from "./images/ingestor";
import { imageSourceHosts } from "./images/source-hosts";
import { ImageIndexer } from "./images/image-index";
import { imageSearchBackend, imageVectorIndex, type ImageSearchBackend } from "./images/image-search";
import type { LocalVectorIndex } from "./search/vector-index/local";
import { ScheduleReads } from "./schedule/reads";
import { ScheduleLoader, type ScheduleLoaderOptions } from "./schedule/loader";
import { analyticsEngineSink, fanOut, windowSink, type MetricsSink } from "./observability/sink";
import { LOCAL_WINDOW } from "./observability/local-window";
import { JobLedger } from "./observability/job-ledger";
import { analyticsEngineSource, localWindowSource, type MetricsSource } from "./observability/sources";

/**
 * Where work runs: a request's or cron's ExecutionContext, a Durable Object's state, or a
 * script's collector. Work handed to `waitUntil` (a cache write, the invalidator's second
 * delete) outlives the response or the step that started it.
 */
export interface Scope {
  waitUntil(promise: Promise<unknown>): void;
}

/**
 * A scope that keeps what it is handed until `settled()`: for a Durable Object (whose
 * `waitUntil` does not hold an alarm or call open: the object awaits `settled()` before
 * returning) and for scripts (which await it before closing their bindings).
 */
export function collectingScope(): Scope & { settled(): Promise<void> } {
  const pending: Promise<unknown>[] = [];
  return {
    waitUntil: (p) => void pending.push(p),
    settled: async () => {
      // Work may hand on more work while it runs (a retried write): drain until none is left.
      while (pending.length) await Promise.allSettled(pending.splice(0));
    },
  };
}

export interface ServiceOptions {
  /** The clock of caches, quotas and sync (tests inject one). */
  now?: () => number;
  /** What every log line says about where it comes from: `{ request_id }` or `{ job, run_id }`. */
  context?: Record<string, unknown>;
  /** Quota leases: per app (so per isolate) for requests; a fresh book elsewhere. */
  leases?: LeaseBook;
  /** Where data points go instead of the bindings' sinks (tests record them). */
  metrics?: MetricsSink;
}

/**
 * The composition root: the one place that turns bindings and vars into services. HTTP
 * requests (src/middleware/services.ts), every cron job (src/scheduled.ts), every Durable
 * Object and the scripts build their services here, so a backend or an option is chosen
 * once and the copies cannot drift. Everything is built on first use and kept for the
 * scope's life: a request that only reads one anime builds the catalog and the cache, nothing
 * else. A Services object belongs to one request or job: Durable Object stubs and I/O objects
 * in it are bound to the request that created them and must never be shared across requests.
 */
export class Services {
  readonly config: Config;
  readonly log: Logger;
  readonly now: () => number;
  private readonly memo = new Map<string, unknown>();

  constructor(
    private readonly env: Env,
    private readonly scope: Scope,
    private readonly options: ServiceOptions = {},
  ) {
    this.config = configOf(env);
    this.log = createLogger(this.config.LOG_LEVEL, options.context);
    this.now = options.now ?? Date.now;
  }

  private once<T>(name: string, build: () => T): T {
    if (!this.memo.has(name)) this.memo.set(name, build());
    return this.memo.get(name) as T;
  }

  get catalog(): Catalog {
    return this.once("catalog", () => new Catalog(this.env.DB));
  }

  /** Read-through tiers L0 → L1 → L2 → D1 (src/cache). */
  get cache(): ResponseCache {
    return this.once("cache", () => {
      const onError = (tier: string, op: string, err: unknown) => this.log.warn("cache.tier_error", { tier, op, message: messageOf(err) });
      const tiered = new TieredCache(cacheTiers(this.env.CACHE), this.now, (p) => this.scope.waitUntil(p), onError);
      return new ResponseCache(tiered, this.env.CACHE, this.now);
    });
  }

  /** Told of every catalog write. Its delayed second delete lives on through the scope's waitUntil. */
  get invalidator(): CatalogInvalidator {
    return this.once(
      "invalidator",
      () =>
        new CatalogInvalidator(this.env.CACHE, {
          now: this.now,
          defer: (p) => this.scope.waitUntil(p),
          writeIntervalMs: this.config.CACHE_KV_WRITE_INTERVAL_MS,
          redeleteAfterMs: this.config.CACHE_REDELETE_MS,
          warn: (event, fields) => this.log.warn(event, fields),
        }),
    );
  }

  /** The catalog's size and the release it follows (GET /v1/about). */
  catalogFacts(): Promise<CatalogFacts> {
    return catalogFacts(this.env.DB);
  }

  /** The catalog generation as KV holds it now (no memo): what a precomputed value is stored under. */
  catalogGeneration(): Promise<Generation> {
    return latestGeneration(this.env.CACHE);
  }

  /**
   * The invalidation every catalog writer runs: the changed anime and the anime whose
   * `related` lists point at them (a cached anime shows its relations resolved — id, title,
   * type, year — so a sequel added, retitled or moved must retire its referrers too). Above
   * BULK_INVALIDATION ids the whole epoch goes anyway, so the referrer scan is skipped.
   */
  readonly invalidate = async (ids: number[]): Promise<void> => {
    const referrers = ids.length > 0 && ids.length <= BULK_INVALIDATION ? await this.catalog.referrersOf(ids) : [];
    await this.invalidator.changed([...ids, ...referrers]);
  };

  /** Imports release entries into the catalog, invalidating what changes (scripts, tests). */
  importEntries(entries: Iterable<unknown> | AsyncIterable<unknown>, options: Omit<ImportOptions, "invalidate">): Promise<ImportReport> {
    return importEntries(this.env.DB, entries, { ...options, invalidate: this.invalidate });
  }

  get keys(): KeyStore {
    return this.once("keys", () => new KeyStore(this.env.DB, this.env.QUOTA));
  }

  get leases(): LeaseBook {
    return this.once("leases", () => this.options.leases ?? new LeaseBook());
  }

  /** Callers' standing (GET /v1/me). */
  get quota(): QuotaService {
    return this.once("quota", () => new QuotaService(this.env.QUOTA, this.env.DB, this.config.RATE_LIMITS, this.leases));
  }

  /** The quota object of a caller (a key's hash or an anonymous IP). */
  quotaObject(name: string) {
    return this.env.QUOTA.get(this.env.QUOTA.idFromName(name));
  }

  /** Embedder, vector index and query parser as bindings and vars select them. */
  get backends(): SearchBackends {
    return this.once("backends", () => searchBackends(this.env, this.config, (p) => this.scope.waitUntil(p)));
  }

  get search(): SearchService {
    return this.once("search", () => {
      const backends = () => this.backends;
      const vectors: VectorSearch = {
        get embedder() {
          return backends().queryEmbedder;
        },
        get index() {
          return backends().vectorIndex;
        },
        timeoutMs: this.config.VECTOR_TIMEOUT_MS,
      };
      const onDegrade = (reason: string, message?: string) => this.log.warn("search.vector_degraded", { reason, message });
      return new SearchService(this.catalog, this.env.DB, new KeywordIndex(this.env.DB), vectors, onDegrade);
    });
  }

  get queryParser(): QueryParser {
    return this.backends.queryParser;
  }

  /** Writes what imports and syncs changed into the keyword and vector indexes. */
  get indexer(): SearchIndexer {
    return this.once("indexer", () => new SearchIndexer(this.env.DB, this.backends.embedder, this.backends.vectorIndex, this.now, () => this.invalidator.changed([]), (event, fields) => this.log.warn(event, fields)));
  }

  /** How an uploaded image becomes the nearest anime (IMAGE_SEARCH_BACKEND). */
  get imageSearch(): ImageSearchBackend {
    return this.once("imageSearch", () => imageSearchBackend(this.env.AI, this.config, () => this.backends, this.imageVectors));
  }

  /** The `anime-image` vector space (local image search; src/images/image-search.ts). */
  get imageVectors(): LocalVectorIndex {
    return this.once("imageVectors", () => imageVectorIndex(this.env.VECTOR_INDEX));
  }

  /** Keeps the image vectors in step with the stored pictures. */
  get imageIndexer(): ImageIndexer {
    return this.once("imageIndexer", () => new ImageIndexer(this.env.DB, this.env.IMAGES, this.imageVectors, () => this.imageSearch, this.now));
  }

  /** Image ingestion into R2; tests override any option. */
  imageIngestor(overrides: Partial<IngestOptions> = {}): ImageIngestor {
    const c = this.config;
    return new ImageIngestor({
      db: this.env.DB,
      bucket: this.env.IMAGES,
      fetch: (input, init) => fetch(input, init),
      timeoutMs: c.IMAGE_FETCH_TIMEOUT_MS,
      maxBytes: c.IMAGE_MAX_BYTES,
      allowPrivate: c.IMAGE_ALLOW_PRIVATE_SOURCES === "on",
      allowHost: imageSourceHosts(c.IMAGE_SOURCE_HOSTS),
      now: this.now,
      invalidate: this.invalidate,
      afterBatch: () => this.imageIndexer.catchUp(),
      ...overrides,
    });
  }

  /** Image ingestion as the admin routes see it. */
  get images(): ImageService {
    return this.once("images", () => new ImageService(this.env.DB, () => this.imageIngestor()));
  }

  /** The data centre's Cache API (GET /images/{key} keeps whole image responses there). */
  get edgeCache(): Cache {
    return caches.default;
  }

  /** The stored image objects (GET /images/{key}). */
  get imageObjects(): R2Bucket {
    return this.env.IMAGES;
  }

  /** The sync engine; tests override any option. */
  syncEngine(overrides: Partial<SyncOptions> = {}): SyncEngine {
    const c = this.config;
    return new SyncEngine({
      db: this.env.DB,
      bucket: this.env.CATALOG,
      fetch: (input, init) => fetch(input, init),
      allowPrivate: c.SYNC_ALLOW_PRIVATE_SOURCES === "on",
      timeoutMs: c.SYNC_FETCH_TIMEOUT_MS,
      maxOrphanShare: c.SYNC_MAX_ORPHAN_SHARE,
      invalidate: this.invalidate,
      now: this.now,
      log: this.log,
      ...overrides,
    });
  }

  /** The one sync driver object: all runs go through it. */
  get syncDriver() {
    return this.once("syncDriver", () => this.env.SYNC.get(this.env.SYNC.idFromName("sync")));
  }

  /** Sync runs and the review queue (admin routes). */
  get sync(): SyncService {
    return this.once("sync", () => new SyncService(this.env.DB, this.syncDriver, this.invalidate));
  }

  /** Catalog snapshots in R2. */
  get snapshots(): SnapshotStore {
    return this.once("snapshots", () => new SnapshotStore(this.env.DB, this.env.CATALOG, this.now, () => this.invalidator.purgeAll()));
  }

  /** The airing schedules as stored (src/schedule). */
  get schedule(): ScheduleReads {
    return this.once("schedule", () => new ScheduleReads(this.env.DB));
  }

  /** Loads bangumi-data into the schedules: the hourly cron (SCHEDULE_SOURCE_URL) and npm start; tests override any option. */
  scheduleLoader(overrides: Partial<ScheduleLoaderOptions> = {}): ScheduleLoader {
    const c = this.config;
    return new ScheduleLoader({
      db: this.env.DB,
      source: c.SCHEDULE_SOURCE_URL,
      bucket: this.env.CATALOG,
      fetch: (input, init) => fetch(input, init),
      allowPrivate: c.SYNC_ALLOW_PRIVATE_SOURCES === "on",
      timeoutMs: c.SYNC_FETCH_TIMEOUT_MS,
      now: this.now,
      // Lists (the schedule's among them) are keyed by the catalog generation: a new schedule retires them.
      invalidate: () => this.invalidator.changed([]),
      log: this.log,
      ...overrides,
    });
  }

  /**
   * Where the request and job data points go (src/observability/): Analytics Engine when
   * METRICS is bound (both profiles; workerd simulates it locally), plus this isolate's
   * in-process window outside production (the local metrics view's source). Writes never block.
   */
  get metrics(): MetricsSink {
    return this.once("metrics", () => {
      if (this.options.metrics) return this.options.metrics;
      const sinks: MetricsSink[] = [];
      if (this.env.METRICS) sinks.push(analyticsEngineSink(this.env.METRICS));
      if (this.config.ENVIRONMENT !== "production") sinks.push(windowSink(LOCAL_WINDOW));
      return fanOut(sinks, (err) => this.log.warn("metrics.write_failed", { message: messageOf(err) }));
    });
  }

  /** What GET /v1/admin/metrics reads: the Analytics Engine SQL API in production (503 without its secrets), else the local window. */
  metricsSource(): MetricsSource {
    const c = this.config;
    if (c.ENVIRONMENT !== "production") return localWindowSource(LOCAL_WINDOW);
    return analyticsEngineSource({ accountId: c.ANALYTICS_ACCOUNT_ID, apiToken: c.ANALYTICS_API_TOKEN, dataset: c.METRICS_DATASET, fetch: (input, init) => fetch(input, init) });
  }

  /** The last run and last success of each cron job (D1), for /health/ready and the metrics view. */
  get jobLedger(): JobLedger {
    return this.once("jobLedger", () => new JobLedger(this.env.DB));
  }

  /** One cheap call to each storage binding, for /health/ready. */
  get probes(): Record<"d1" | "kv" | "r2", () => Promise<unknown>> {
    return {
      d1: () => this.env.DB.prepare("SELECT 1").first(),
      kv: () => this.env.CACHE.get("health:probe"),
      r2: () => this.env.IMAGES.head("health/probe"),
    };
  }
}

/** Builds the services of one request, cron run, Durable Object call or script. */
export const buildServices = (env: Env, scope: Scope, options: ServiceOptions = {}): Services => new Services(env, scope, options);
