import type { CatalogEntry } from "../entry";

/**
 * How an incoming entry combines with the stored anime it was matched to (by source URL).
 * Both functions are pure and deterministic, and merging the same entry twice gives the
 * result of merging it once: a re-import of the same file hashes the same and writes nothing.
 */

/** `stored` verbatim, then the `added` names not yet among them or `exclude` (compared case-insensitively). */
export function unionNames(stored: readonly string[], added: readonly string[], exclude: readonly string[] = []): string[] {
  const seen = new Set([...stored, ...exclude].map((n) => n.trim().toLowerCase()));
  const out = [...stored];
  for (const raw of added) {
    const name = raw.trim();
    if (name && !seen.has(name.toLowerCase())) {
      seen.add(name.toLowerCase());
      out.push(name);
    }
  }
  return out;
}

/** Source and related URLs are canonical and kept sorted (the `sources` column is rebuilt sorted from anime_source). */
const unionUrls = (stored: readonly string[], added: readonly string[]) => [...new Set([...stored, ...added])].sort();

/** A stored value that means "not known", which an enriched entry may fill. */
const lacks = <T>(value: T, unknown: T | null) => value === null || value === unknown;

/**
 * An entry of the offline database (a release) onto a stored anime: the release's fields win,
 * and ours are kept: the synopsis (a release never carries one), and the images once the
 * enrichment pipeline wrote them (`imagesAreOurs`, the anime's `enriched` flag).
 */
export function mergeRelease(stored: CatalogEntry, imagesAreOurs: boolean, entry: CatalogEntry): CatalogEntry {
  const synopsis = entry.synopsis ?? stored.synopsis;
  return imagesAreOurs ? { ...entry, synopsis, picture: stored.picture, thumbnail: stored.thumbnail } : { ...entry, synopsis };
}

/**
 * An enriched entry onto a stored anime: enrichment adds, never removes (issue 13).
 * - sources, related: sorted unions;
 * - synonyms, genres, studios, producers: the stored names first, then the new ones,
 *   compared case-insensitively (the stored spelling wins); an enrichment title that differs
 *   from the stored one becomes a synonym;
 * - title, type, episodes, status, season, year, score, duration (what a release gives): the
 *   stored values, unless the stored anime lacks one (null, UNKNOWN, UNDEFINED, 0 episodes);
 * - synopsis, picture and thumbnail: the entry's when it carries them, else the stored ones.
 * `stored.sources` must hold only the URLs the anime keeps in this run (not those another
 * entry of the run took from it).
 */
export function mergeEnrichment(stored: CatalogEntry, entry: CatalogEntry): CatalogEntry {
  const fill = <K extends "type" | "episodes" | "status" | "season" | "year" | "score" | "durationSeconds">(key: K, unknown: CatalogEntry[K] | null): CatalogEntry[K] =>
    lacks(stored[key], unknown) ? entry[key] : stored[key];
  const hasImages = entry.picture !== null;
  return {
    sources: unionUrls(stored.sources, entry.sources),
    title: stored.title,
    synonyms: unionNames(stored.synonyms, [...entry.synonyms, entry.title], [stored.title]),
    type: fill("type", "UNKNOWN"),
    episodes: fill("episodes", 0),
    status: fill("status", "UNKNOWN"),
    season: fill("season", "UNDEFINED"),
    year: fill("year", null),
    durationSeconds: fill("durationSeconds", null),
    score: fill("score", null),
    picture: hasImages ? entry.picture : stored.picture,
    thumbnail: hasImages ? entry.thumbnail : stored.thumbnail,
    genres: unionNames(stored.genres, entry.genres),
    studios: unionNames(stored.studios, entry.studios),
    producers: unionNames(stored.producers, entry.producers),
    related: unionUrls(stored.related, entry.related),
    synopsis: entry.synopsis ?? stored.synopsis,
  };
}
