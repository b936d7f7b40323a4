import type { Config } from "../config";
import type { Embedder } from "./embedder/interface";
import { LocalEmbedder } from "./embedder/local";
import { CachedEmbedder } from "./embedder/cached";
import { WorkersAiEmbedder, DEFAULT_EMBEDDING_MODEL } from "./embedder/workers-ai";
import type { VectorIndex } from "./vector-index/interface";
import { LocalVectorIndex } from "./vector-index/local";
import { VectorizeVectorIndex } from "./vector-index/vectorize";
import { QdrantVectorIndex } from "./vector-index/qdrant";
import { UnavailableVectorIndex } from "./vector-index/unavailable";
import type { QueryParser } from "./query/interface";
import { LocalQueryParser } from "./query/local";
import { WorkersAiQueryParser, DEFAULT_QUERY_MODEL } from "./query/workers-ai";

/** The swappable search backends, chosen from bindings and config. */
export interface SearchBackends {
  embedder: Embedder;
  /** The embedder of queries: the same model, behind the KV cache when the model is remote. */
  queryEmbedder: Embedder;
  /** Null when VECTOR_BACKEND=off: search answers from the keyword index, flagged degraded. */
  vectorIndex: VectorIndex | null;
  queryParser: QueryParser;
}

/**
 * Production backends when their binding or secret is present, local ones otherwise:
 * Workers AI (AI binding) or the local lexical embedder; Vectorize (VECTORIZE binding),
 * Qdrant (QDRANT_URL) or the local Durable Object index, as VECTOR_BACKEND says (auto picks
 * in that order; in production the local index refuses embeddings too wide for its memory);
 * the Workers AI query parser (falling back to the local one) or the local one.
 * Built per request on purpose: a Durable Object stub is an I/O object bound to the request
 * that created it, so it must not be cached across requests. Construction is cheap.
 */
export function searchBackends(env: Env, config: Config, defer: (p: Promise<unknown>) => void): SearchBackends {
  const local = new LocalQueryParser();
  const embedder = embedderOf(env, config);
  return {
    embedder,
    queryEmbedder: env.AI ? new CachedEmbedder(embedder, env.CACHE, defer) : embedder,
    vectorIndex: vectorIndexOf(env, config, embedder),
    queryParser: env.AI ? new WorkersAiQueryParser({ ai: env.AI, model: config.QUERY_MODEL ?? DEFAULT_QUERY_MODEL, fallback: local }) : local,
  };
}

/**
 * Widest embedding the local index takes in production. It holds every vector in one
 * Durable Object isolate's memory (128 MB, shared by its requests): 40,000 anime × 1024
 * dims (bge-m3) is 41 MB as int8, a third of the isolate before any request's own memory.
 * The local embedder's 256 dims (10 MB at 40,000 anime) fit; a hosted index (Vectorize, Qdrant) is for wider models.
 */
export const LOCAL_INDEX_MAX_DIMS_IN_PRODUCTION = 256;

function vectorIndexOf(env: Env, config: Config, embedder: Embedder): VectorIndex | null {
  const choice = config.VECTOR_BACKEND === "auto" ? (env.VECTORIZE ? "vectorize" : config.QDRANT_URL ? "qdrant" : "local") : config.VECTOR_BACKEND;
  switch (choice) {
    case "off":
      return null;
    case "local":
      if (config.ENVIRONMENT === "production" && embedder.dimensions > LOCAL_INDEX_MAX_DIMS_IN_PRODUCTION) {
        return new UnavailableVectorIndex(
          "local",
          `the local vector index holds every vector in one isolate's memory, so in production it takes embeddings of at most ${LOCAL_INDEX_MAX_DIMS_IN_PRODUCTION} dimensions, and ${embedder.model} has ${embedder.dimensions}: bind VECTORIZE, set QDRANT_URL, or set VECTOR_BACKEND=off`,
        );
      }
      return new LocalVectorIndex(env.VECTOR_INDEX);
    case "vectorize":
      if (!env.VECTORIZE) return new UnavailableVectorIndex("vectorize", "VECTOR_BACKEND=vectorize but no VECTORIZE binding is configured");
      return new VectorizeVectorIndex(env.VECTORIZE);
    case "qdrant":
      if (!config.QDRANT_URL) return new UnavailableVectorIndex("qdrant", "VECTOR_BACKEND=qdrant but the QDRANT_URL secret is not set");
      return new QdrantVectorIndex({ url: config.QDRANT_URL, apiKey: config.QDRANT_API_KEY, collection: config.QDRANT_COLLECTION });
  }
}

/** Stands in for an embedding model that cannot be built: every embed fails with the reason. */
class UnavailableEmbedder implements Embedder {
  readonly dimensions = 0;
  readonly maxBatch = 1;
  constructor(
    readonly model: string,
    readonly reason: string,
  ) {}
  embed(): Promise<number[][]> {
    return Promise.reject(new Error(this.reason));
  }
}

/** A misconfigured embedding model degrades search (every embed fails with the reason), never the API. */
function embedderOf(env: Env, config: Config): Embedder {
  if (!env.AI) return new LocalEmbedder();
  const model = config.EMBEDDING_MODEL ?? DEFAULT_EMBEDDING_MODEL;
  try {
    return new WorkersAiEmbedder(env.AI, model);
  } catch (e) {
    return new UnavailableEmbedder(model, e instanceof Error ? e.message : String(e));
  }
}

/**
 * What keeps semantic search from working as configured (an index or model that cannot be
 * built), one sentence each; empty when nothing does. Search still answers, from the keyword
 * index (degraded); /health/ready reports these as its `search` check.
 */
export function configurationProblems(b: SearchBackends): string[] {
  const problems: string[] = [];
  if (b.embedder instanceof UnavailableEmbedder) problems.push(`embedding model: ${b.embedder.reason}`);
  if (b.vectorIndex instanceof UnavailableVectorIndex) problems.push(`vector index: ${b.vectorIndex.reason}`);
  return problems;
}
