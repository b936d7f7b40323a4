import type { Embedder } from "../search/embedder/interface";
import { configOf } from "../config";
import { searchBackends, type SearchBackends } from "../search/backends";
import type { VectorIndex, VectorMatch } from "../search/vector-index/interface";
import { imageVectorIndex, embedImage } from "./image-index";
import { LOCAL_IMAGE_MODEL } from "./embed/local";

export const DEFAULT_VISION_MODEL = "@cf/llava-hf/llava-1.5-7b-hf";
const DESCRIBE_PROMPT =
  "Describe this anime poster or screenshot for a search engine in one paragraph: any title text you can read, the characters, the setting, the art style, the mood and the likely genres.";

/** How an uploaded image becomes the nearest anime. */
export interface ImageSearchBackend {
  readonly model: string;
  nearest(image: { bytes: Uint8Array; type: string }, topK: number): Promise<VectorMatch[]>;
}

/** Local: the deterministic image embedding against the `anime-image` vector space (same poster, resized or re-encoded). */
export class LocalImageSearch implements ImageSearchBackend {
  readonly model = LOCAL_IMAGE_MODEL;
  constructor(private readonly env: Env) {}

  nearest(image: { bytes: Uint8Array; type: string }, topK: number): Promise<VectorMatch[]> {
    return imageVectorIndex(this.env).query({ vector: embedImage(image.bytes, image.type), topK });
  }
}

/**
 * Production with Workers AI: Workers AI offers no image-embedding model, so a vision model
 * describes the image and the description is embedded in the text space (the anime's text
 * vectors: bge-m3). Finds anime by what a picture shows, not by the picture itself.
 */
export class VisionImageSearch implements ImageSearchBackend {
  readonly model: string;

  constructor(
    private readonly ai: Ai,
    private readonly visionModel: string,
    private readonly embedder: Embedder,
    private readonly index: VectorIndex,
  ) {
    this.model = `${visionModel} → ${embedder.model}`;
  }

  /** The vision model's description of the image (the text that is embedded). */
  async describe(bytes: Uint8Array): Promise<string> {
    const out = (await this.ai.run(this.visionModel as Parameters<Ai["run"]>[0], { image: Array.from(bytes), prompt: DESCRIBE_PROMPT, max_tokens: 256 } as never)) as { description?: unknown };
    if (typeof out?.description !== "string" || !out.description.trim()) throw new Error(`${this.visionModel} returned no description`);
    return out.description.trim();
  }

  async nearest(image: { bytes: Uint8Array; type: string }, topK: number): Promise<VectorMatch[]> {
    const [vector] = await this.embedder.embed([await this.describe(image.bytes)]);
    return this.index.query({ vector, topK: Math.min(topK, this.index.maxTopK) });
  }
}

/**
 * The backend IMAGE_SEARCH_BACKEND selects (auto: vision when Workers AI and a text vector
 * index are there). `backends`: the request's search backends (built once, by the services
 * middleware); the default builds them, for callers outside a request.
 */
export function imageSearchBackend(env: Env, backends: () => SearchBackends = () => searchBackends(env, configOf(env))): ImageSearchBackend {
  const config = configOf(env);
  if (config.IMAGE_SEARCH_BACKEND === "local" || !env.AI) return new LocalImageSearch(env);
  const b = backends();
  if (!b.vectorIndex) {
    if (config.IMAGE_SEARCH_BACKEND === "vision") throw new Error("IMAGE_SEARCH_BACKEND=vision needs a text vector index");
    return new LocalImageSearch(env);
  }
  return new VisionImageSearch(env.AI, config.VISION_MODEL ?? DEFAULT_VISION_MODEL, b.queryEmbedder, b.vectorIndex);
}
