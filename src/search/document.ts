import type { AnimeRow } from "../catalog/serialize";
import { ANIME_TYPES } from "../catalog/vocabulary";
import type { VectorMetadata } from "./vector-index/interface";

const MAX_SYNONYMS = 20;
const MAX_SYNOPSIS_CHARS = 1500;

/** Line labels of documentText, read back by documentParts. */
const SYNONYMS_LABEL = "Also known as: ";
const TAGS_LABEL = "Genres: ";
const STUDIOS_LABEL = "Studios: ";
/** The type/year line: "TV, 1998.", "MOVIE.", "2003." */
const KIND_LINE = new RegExp(`^(?:(?:${ANIME_TYPES.join("|")})(?:, \\d{4})?|\\d{4})\\.$`);

/**
 * The text an anime is embedded from: title, synonyms, genres/tags, studios, type, year and
 * the synopsis when present. Bounded (synonyms and synopsis are cut) so that one document
 * stays within every embedding model's input limit. documentParts reads it back.
 */
export function documentText(row: AnimeRow): string {
  const parts = [row.title];
  if (row.synonyms.length) parts.push(`${SYNONYMS_LABEL}${row.synonyms.slice(0, MAX_SYNONYMS).join("; ")}.`);
  if (row.genres.length) parts.push(`${TAGS_LABEL}${row.genres.join(", ")}.`);
  if (row.studios.length) parts.push(`${STUDIOS_LABEL}${row.studios.join(", ")}.`);
  const kind = [row.type === "UNKNOWN" ? null : row.type, row.year].filter((x) => x !== null).join(", ");
  // An anime with nothing but a title still gets a type line ("UNKNOWN."): a title alone
  // would read as a query (documentParts), and be embedded as one.
  if (kind || parts.length === 1) parts.push(`${kind || row.type}.`);
  if (row.synopsis) parts.push(row.synopsis.slice(0, MAX_SYNOPSIS_CHARS));
  return parts.join("\n");
}

/** What a document says, split the way the local embedder weighs it: the names of an anime apart from what describes it. */
export interface DocumentParts {
  /** Title first, then the synonyms. */
  names: string[];
  tags: string[];
  studios: string[];
  /** The synopsis, "" when none. */
  synopsis: string;
}

/**
 * The parts of a documentText, or null for any other text (a search query). A text is a
 * document when its second line is one of documentText's labelled lines (synonyms, tags,
 * studios, type/year); documentText always writes one.
 */
export function documentParts(text: string): DocumentParts | null {
  const lines = text.split("\n");
  if (lines.length < 2) return null;
  const parts: DocumentParts = { names: [lines[0]], tags: [], studios: [], synopsis: "" };
  // The labelled lines come first, each at most once and in documentText's order, the
  // type/year line last; the first other line starts the synopsis.
  const labels = [SYNONYMS_LABEL, TAGS_LABEL, STUDIOS_LABEL];
  let stage = 0;
  let i = 1;
  for (; i < lines.length; i++) {
    const line = lines[i];
    const label = labels.findIndex((l, k) => k >= stage && line.startsWith(l));
    if (label >= 0) {
      const items = line.slice(labels[label].length).replace(/\.$/, "").split(label === 0 ? "; " : ", ").filter(Boolean);
      (label === 0 ? parts.names : label === 1 ? parts.tags : parts.studios).push(...items);
      stage = label + 1;
    } else {
      // The type/year line (type and year are filters, not words to match) ends the labels.
      if (KIND_LINE.test(line)) i++;
      break;
    }
  }
  if (i === 1) return null;
  parts.synopsis = lines.slice(i).join("\n");
  return parts;
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
