import type { AnimeRow } from "../catalog/serialize";
import type { VectorMetadata } from "./vector-index/interface";

const MAX_SYNONYMS = 20;
const MAX_SYNOPSIS_CHARS = 1500;

/**
 * The text an anime is embedded from: title, synonyms, genres/tags, studios, type, year and
 * the synopsis when present. Bounded (synonyms and synopsis are cut) so that one document
 * stays within every embedding model's input limit.
 */
export function documentText(row: AnimeRow): string {
  const parts = [row.title];
  if (row.synonyms.length) parts.push(`Also known as: ${row.synonyms.slice(0, MAX_SYNONYMS).join("; ")}.`);
  if (row.genres.length) parts.push(`Genres: ${row.genres.join(", ")}.`);
  if (row.studios.length) parts.push(`Studios: ${row.studios.join(", ")}.`);
  const kind = [row.type === "UNKNOWN" ? null : row.type, row.year].filter((x) => x !== null).join(", ");
  if (kind) parts.push(`${kind}.`);
  if (row.synopsis) parts.push(row.synopsis.slice(0, MAX_SYNOPSIS_CHARS));
  return parts.join("\n");
}

/**
 * Bytes of JSON a vector's metadata may take: Vectorize refuses a vector whose metadata is over
 * 10 KiB (https://developers.cloudflare.com/vectorize/platform/limits/), and one such record
 * fails its whole upsert batch. A KiB under that, for whatever the service counts beyond our JSON.
 */
export const VECTOR_METADATA_MAX_BYTES = 9 * 1024;

/**
 * The facts stored beside the vector, for filtering inside the index, at most
 * VECTOR_METADATA_MAX_BYTES as JSON. Only an entry with hundreds of tags comes near that; it
 * keeps its studios and as many genres/tags as fit, shortest first (the broad genres people
 * filter on are short; the long ones are rare tags), in their original order. A dropped tag
 * makes the vector miss a `genres` filter naming it and pass a `genres_exclude` naming it;
 * search re-checks vector hits against the catalog, which drops the latter.
 */
export function vectorMetadata(row: AnimeRow): VectorMetadata {
  const metadata: VectorMetadata = {
    type: row.type,
    status: row.status,
    season: row.season,
    year: row.year,
    score: row.score,
    episodes: row.episodes,
    genres: [...new Set(row.genres.map((g) => g.toLowerCase()))],
    studios: [...new Set(row.studios.map((s) => s.toLowerCase()))],
    system_status: row.systemStatus,
    updated_at: row.updatedAt,
  };
  if (jsonBytes(metadata) <= VECTOR_METADATA_MAX_BYTES) return metadata;
  const studios = fitting(metadata.studios, VECTOR_METADATA_MAX_BYTES - jsonBytes({ ...metadata, genres: [], studios: [] }));
  const genres = fitting(metadata.genres, VECTOR_METADATA_MAX_BYTES - jsonBytes({ ...metadata, genres: [], studios }));
  return { ...metadata, genres, studios };
}

const utf8 = new TextEncoder();
const jsonBytes = (x: unknown) => utf8.encode(JSON.stringify(x)).length;

/** The most names whose JSON list items (with their commas) fit in `budget` bytes: shortest first, kept in order. */
function fitting(names: string[], budget: number): string[] {
  const bySize = names.map((name, i) => ({ i, bytes: jsonBytes(name) + 1 })).sort((a, b) => a.bytes - b.bytes || a.i - b.i);
  const kept = new Set<number>();
  let used = 0;
  // n items cost their bytes plus n - 1 commas: budget + 1 absorbs the comma counted for the first.
  for (const { i, bytes } of bySize) {
    if (used + bytes > budget + 1) break;
    used += bytes;
    kept.add(i);
  }
  return names.filter((_, i) => kept.has(i));
}
