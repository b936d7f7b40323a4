import type { CacheKeys } from "./tiered-cache";
import { entityKey, type Generation } from "./generation";

/** Stable text of a parameter object: keys sorted, so ?b=1&a=2 and ?a=2&b=1 are one key. */
export function canonical(params: Record<string, unknown>): string {
  const sorted = Object.keys(params)
    .filter((k) => params[k] !== undefined)
    .sort()
    .map((k) => [k, params[k]]);
  return JSON.stringify(sorted);
}

/** Hashed keys remembered per isolate (the same list is asked for again and again); bounded, oldest first out. */
const HASHED_MAX = 2000;
// Deliberate per-isolate memo: a pure function of its input.
const hashed = new Map<string, string>();

/** Long canonical texts are hashed: KV keys stop at 512 bytes (of UTF-8, not characters). */
async function compactKey(text: string): Promise<string> {
  if (text.length <= 50) return text; // ≤ 200 bytes whatever the characters
  const known = hashed.get(text);
  if (known) return known;
  const bytes = new TextEncoder().encode(text);
  if (bytes.length <= 200) return text;
  const digest = await crypto.subtle.digest("SHA-256", bytes);
  const key = `#${[...new Uint8Array(digest)].map((b) => b.toString(16).padStart(2, "0")).join("").slice(0, 40)}`;
  if (hashed.size >= HASHED_MAX) hashed.delete(hashed.keys().next().value!);
  hashed.set(text, key);
  return key;
}

/**
 * One anime: L0/L1 under the generation (they cannot be reached by deletes from elsewhere),
 * L2 under the epoch (deleted by key on a write).
 */
export function animeKeys(g: Generation, id: number): CacheKeys {
  return { local: `g${g.gen}:anime:${id}`, shared: entityKey(g.epoch, id) };
}

/** A list, search or curated list: the generation in every tier. `kind` names the route. */
export async function generationKeys(g: Generation, kind: string, params: Record<string, unknown>): Promise<CacheKeys> {
  const key = `g${g.gen}:${kind}:${await compactKey(canonical(params))}`;
  return { local: key, shared: key };
}
