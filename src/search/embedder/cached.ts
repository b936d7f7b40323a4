import type { Embedder } from "./interface";

const TTL_S = 30 * 24 * 3600;

const toBase64 = (v: number[]) => btoa(String.fromCharCode(...new Uint8Array(Float32Array.from(v).buffer)));
const fromBase64 = (s: string) => Array.from(new Float32Array(Uint8Array.from(atob(s), (ch) => ch.charCodeAt(0)).buffer));

async function sha256(text: string): Promise<string> {
  const digest = await crypto.subtle.digest("SHA-256", new TextEncoder().encode(text));
  return [...new Uint8Array(digest)].map((b) => b.toString(16).padStart(2, "0")).join("");
}

/** Texts seen once in this isolate, remembered so that their second embedding is stored. */
const SEEN_MAX = 10_000;
// Deliberate per-isolate memory of keys (not vectors): bounded, oldest first out.
const seenOnce = new Set<string>();

/** Whether `key` was embedded here before (then it is forgotten: KV holds it from now on); else remembers it. */
function seenBefore(key: string): boolean {
  if (seenOnce.delete(key)) return true;
  if (seenOnce.size >= SEEN_MAX) seenOnce.delete(seenOnce.values().next().value!);
  seenOnce.add(key);
  return false;
}

/**
 * Query embeddings cached in KV by model and text hash (`emb:<model>:<sha256>`, float32 in
 * base64, 30 days): a repeated query costs a KV read instead of a model call. Same contract
 * as the wrapped embedder (vectors come back at f32 precision). Only worth it for a remote
 * model: the local embedder computes a vector faster than KV returns one.
 *
 * Anyone can make up new queries, and a KV write costs ten reads (and a daily quota on the
 * free plan): a text's vector is stored only the second time this isolate embeds it (a query
 * asked once is never written), after the response (`defer`, a Worker's waitUntil).
 */
export class CachedEmbedder implements Embedder {
  readonly model: string;
  readonly dimensions: number;
  readonly maxBatch: number;

  constructor(
    private readonly inner: Embedder,
    private readonly kv: KVNamespace,
    private readonly defer: (p: Promise<unknown>) => void,
  ) {
    this.model = inner.model;
    this.dimensions = inner.dimensions;
    this.maxBatch = inner.maxBatch;
  }

  async embed(texts: string[]): Promise<number[][]> {
    const keys = await Promise.all(texts.map(async (t) => `emb:${this.model}:${await sha256(t)}`));
    // KV trouble is a cache miss, never a failed embedding: the model is asked instead.
    const found = await Promise.all(keys.map((k) => this.kv.get(k, "text").catch(() => null)));
    const missing = texts.map((_, i) => i).filter((i) => found[i] === null);
    const computed = missing.length ? await this.inner.embed(missing.map((i) => texts[i])) : [];
    const store = missing.filter((i) => seenBefore(keys[i]));
    if (store.length) this.defer(Promise.allSettled(store.map((i) => this.kv.put(keys[i], toBase64(computed[missing.indexOf(i)]), { expirationTtl: TTL_S }))));
    return texts.map((_, i) => (found[i] !== null ? fromBase64(found[i]!) : computed[missing.indexOf(i)]));
  }
}
