import type { CatalogEntry } from "../entry";

/**
 * SHA-256 (hex) of a normalised entry. Keys are written in a fixed order so the same entry
 * always hashes the same; equal hashes let a re-import skip the row entirely.
 */
export async function contentHash(e: CatalogEntry): Promise<string> {
  const stable = JSON.stringify([
    e.sources, e.title, e.synonyms, e.type, e.episodes, e.status, e.season, e.year, e.durationSeconds,
    e.score, e.picture, e.thumbnail, e.genres, e.studios, e.producers, e.related, e.synopsis,
  ]);
  const digest = await crypto.subtle.digest("SHA-256", new TextEncoder().encode(stable));
  return [...new Uint8Array(digest)].map((b) => b.toString(16).padStart(2, "0")).join("");
}
