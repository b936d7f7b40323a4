import { messageOf } from "../logging/logger";
import type { Embedder } from "../search/embedder/interface";
import type { Config } from "../config";
import { configurationProblems, type SearchBackends } from "../search/backends";
import type { VectorIndex, VectorMatch } from "../search/vector-index/interface";
import { LocalVectorIndex } from "../search/vector-index/local";
import type { VectorIndexObject } from "../search/vector-index/local-object";
import { embedImage, LOCAL_IMAGE_MODEL } from "./embed/local";
import { visionJpeg } from "./embed/downscale";

export const DEFAULT_VISION_MODEL = "@cf/llava-hf/llava-1.5-7b-hf";
/** Budget of one vision search (description, embedding, query); llava answers in a few seconds. */
export const DEFAULT_VISION_TIMEOUT_MS = 15_000;
const DESCRIBE_PROMPT =
  "Describe this anime poster or screenshot for a search engine in one paragraph: any title text you can read, the characters, the setting, the art style, the mood and the likely genres.";

/**
 * The `image` vectors, beside the `text` ones: a space of its own in the vector-index Durable
 * Object (exact search, filters inside), whatever backend holds the text vectors — the local
 * image embedding is small (192 values). Only the local image search reads it.
 */
export const imageVectorIndex = (namespace: DurableObjectNamespace<VectorIndexObject>) => new LocalVectorIndex(namespace, "anime-image");

/** An image search's answer: the nearest anime, or why the backend could not answer (the route answers 503). */
export type NearestResult = { ok: true; matches: VectorMatch[] } | { ok: false; reason: "unavailable" | "timeout"; message: string };

/**
 * How an uploaded image becomes the nearest anime. `nearest` throws UnsupportedImage or
 * ImageTooLarge for an image it cannot take (the caller's fault: 415, 413); a failing or slow
 * backend is a typed result, never a throw.
 */
export interface ImageSearchBackend {
  readonly model: string;
  /** True when it searches the `anime-image` space: only then does the image indexer fill it. */
  readonly readsImageVectors: boolean;
  nearest(image: { bytes: Uint8Array; type: string }, topK: number): Promise<NearestResult>;
}

const failure = (err: unknown): NearestResult => ({ ok: false, reason: "unavailable", message: messageOf(err) });

/** Local: the deterministic image embedding against the `anime-image` vector space (same poster, resized or re-encoded). */
export class LocalImageSearch implements ImageSearchBackend {
  readonly model = LOCAL_IMAGE_MODEL;
  readonly readsImageVectors = true;
  constructor(private readonly index: VectorIndex) {}

  async nearest(image: { bytes: Uint8Array; type: string }, topK: number): Promise<NearestResult> {
    const vector = embedImage(image.bytes, image.type);
    return this.index.query({ vector, topK }).then((matches): NearestResult => ({ ok: true, matches }), failure);
  }
}

/**
 * Production with Workers AI: Workers AI offers no image-embedding model, so a vision model
 * describes the image and the description is embedded in the text space (the anime's text
 * vectors: bge-m3). Finds anime by what a picture shows, not by the picture itself. The model
 * gets a JPEG of at most VISION_MAX_SIDE px (src/images/embed/downscale.ts): it takes the
 * image file as an array of byte values, which must never be megabytes long.
 */
export class VisionImageSearch implements ImageSearchBackend {
  readonly model: string;
  readonly readsImageVectors = false;
  private readonly timeoutMs: number;

  constructor(
    private readonly ai: Ai,
    private readonly visionModel: string,
    private readonly embedder: Embedder,
    private readonly index: VectorIndex,
    options: { timeoutMs?: number } = {},
  ) {
    this.model = `${visionModel} → ${embedder.model}`;
    this.timeoutMs = options.timeoutMs ?? DEFAULT_VISION_TIMEOUT_MS;
  }

  async nearest(image: { bytes: Uint8Array; type: string }, topK: number): Promise<NearestResult> {
    const picture = await visionJpeg(image.bytes, image.type); // the caller's errors (format, size) throw here, before the budget starts
    const abort = new AbortController();
    let timer: ReturnType<typeof setTimeout> | undefined;
    const timeout = new Promise<NearestResult>((resolve) => {
      timer = setTimeout(() => {
        abort.abort();
        resolve({ ok: false, reason: "timeout", message: `${this.visionModel}: no answer within ${this.timeoutMs} ms` });
      }, this.timeoutMs);
    });
    const work = (async (): Promise<NearestResult> => {
      const [vector] = await this.embedder.embed([await this.describe(picture, abort.signal)]);
      return { ok: true, matches: await this.index.query({ vector, topK: Math.min(topK, this.index.maxTopK) }) };
    })().catch(failure);
    try {
      return await Promise.race([work, timeout]);
    } finally {
      clearTimeout(timer);
    }
  }

  /** The vision model's description of a prepared JPEG (the text that is embedded); throws when there is none. */
  private async describe(picture: Uint8Array, signal: AbortSignal): Promise<string> {
    const input = { image: Array.from(picture), prompt: DESCRIBE_PROMPT, max_tokens: 256 };
    const out = (await this.ai.run(this.visionModel as "@cf/llava-hf/llava-1.5-7b-hf", input, { signal })) as { description?: unknown } | null | undefined;
    if (typeof out?.description !== "string" || !out.description.trim()) throw new Error(`${this.visionModel} returned no description`);
    return out.description.trim();
  }
}

/**
 * Stands in for an image search that is configured but cannot be built
 * (IMAGE_SEARCH_BACKEND=vision without the AI binding or a working text vector index): every search
 * answers unavailable with the reason, and /health/ready names it.
 */
export class UnavailableImageSearch implements ImageSearchBackend {
  readonly readsImageVectors = false;
  constructor(
    readonly model: string,
    readonly reason: string,
  ) {}

  async nearest(): Promise<NearestResult> {
    return { ok: false, reason: "unavailable", message: this.reason };
  }
}

/**
 * The backend IMAGE_SEARCH_BACKEND selects (auto: vision when Workers AI and a working text
 * vector index are there, else local; vision without them: unavailable, with the reason).
 * `backends` and `imageVectors`: of the same services (built once, by the composition root).
 */
export function imageSearchBackend(ai: Ai | undefined, config: Config, backends: () => SearchBackends, imageVectors: LocalVectorIndex): ImageSearchBackend {
  const choice = config.IMAGE_SEARCH_BACKEND;
  const visionModel = config.VISION_MODEL ?? DEFAULT_VISION_MODEL;
  if (choice === "local") return new LocalImageSearch(imageVectors);
  if (!ai) {
    if (choice === "vision") return new UnavailableImageSearch(visionModel, "IMAGE_SEARCH_BACKEND=vision but no AI binding is configured");
    return new LocalImageSearch(imageVectors);
  }
  const b = backends();
  // The description is searched with semantic search: off or misconfigured, vision cannot work.
  const unusable = !b.vectorIndex ? "VECTOR_BACKEND is off" : configurationProblems(b).length > 0 ? "it is misconfigured (see /health/ready)" : null;
  if (unusable || !b.vectorIndex) {
    if (choice === "vision") return new UnavailableImageSearch(visionModel, `IMAGE_SEARCH_BACKEND=vision needs semantic search, and ${unusable}`);
    return new LocalImageSearch(imageVectors);
  }
  // The raw embedder, not the query cache: a description is practically never embedded twice.
  return new VisionImageSearch(ai, visionModel, b.embedder, b.vectorIndex);
}
