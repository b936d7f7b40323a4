import { LocalVectorIndex } from "../search/vector-index/local";
import { vectorMetadata } from "../search/document";
import { loadStoredRows } from "../catalog/import/stored-entry";
import { decodeImage, UnsupportedImage } from "./embed/decode";
import { embedPixels } from "./embed/local";

/**
 * The `image` vectors, beside the `text` ones: a space of its own in the vector-index Durable
 * Object (exact search, filters inside), whatever backend holds the text vectors — the local
 * image embedding is small (192 values) and the same in every environment.
 */
export const imageVectorIndex = (env: Env) => new LocalVectorIndex(env.VECTOR_INDEX, "anime-image");

/** Embeds one image for a search; throws UnsupportedImage for what the embedder cannot read. */
export function embedImage(bytes: Uint8Array, type: string): number[] {
  return Array.from(embedPixels(decodeImage(bytes, type)));
}

/** Indexes an ingested picture for every anime showing it; returns how many (0 for a thumbnail or an unreadable type). */
export async function indexPicture(env: Env, url: string, bytes: Uint8Array, type: string): Promise<number> {
  const { results } = await env.DB.prepare("SELECT id FROM anime WHERE picture = ?1").bind(url).all<{ id: number }>();
  if (results.length === 0) return 0;
  let values: number[];
  try {
    values = embedImage(bytes, type);
  } catch (err) {
    if (err instanceof UnsupportedImage) return 0;
    throw err;
  }
  const rows = await loadStoredRows(env.DB, results.map((r) => r.id));
  await imageVectorIndex(env).upsert([...rows.values()].map((r) => ({ id: r.id, values, metadata: vectorMetadata(r) })));
  return rows.size;
}
