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

/** The facts stored beside the vector, for filtering inside the index. */
export function vectorMetadata(row: AnimeRow): VectorMetadata {
  return {
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
}
