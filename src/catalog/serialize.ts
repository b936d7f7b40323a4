import type { anime } from "./schema";
import type { Anime } from "./anime-schema";
import { parseSourceUrl } from "./sources";
import { isAdult } from "./adult";
import { genresOf } from "./genres";

/** The stored tags (column `genres`, named before genres were derived) lower-cased, once each, in stored order. */
function tagsOf(stored: readonly string[]): string[] {
  return [...new Set(stored.map((t) => t.toLowerCase()))];
}

export type AnimeRow = typeof anime.$inferSelect;

const iso = (ms: number | null) => (ms === null ? null : new Date(ms).toISOString());

/** A related anime the catalog holds: what a client shows for it without a second request. */
export interface RelatedRef {
  id: number;
  title: string;
  type: string;
  year: number | null;
}

/**
 * The related anime of a row: one item per related anime in the catalog (a release lists one
 * URL per site for each: they are folded into one, with the first URL), then one per URL the
 * catalog cannot resolve (`id` null, kept so a client can follow it). Self-references are dropped.
 */
function relatedOf(row: AnimeRow, refs: Map<string, RelatedRef>): Anime["related"] {
  const seen = new Set<number>([row.id]);
  const resolved: Anime["related"] = [];
  const unresolved: Anime["related"] = [];
  for (const url of row.related) {
    const ref = refs.get(url);
    if (!ref) unresolved.push({ url, id: null, title: null, type: null, year: null });
    else if (!seen.has(ref.id)) {
      seen.add(ref.id);
      resolved.push({ url, ...ref });
    }
  }
  return [...resolved, ...unresolved];
}

/**
 * Row → public object. `related` maps related source URLs to the anime they belong to (those
 * in the catalog), `hosted` image URLs to our R2 keys (images/<sha256>.<ext>, served at
 * /images/…); the caller resolves both for a whole page in one query each.
 */
/** A stored episode count as the API shows it: stored 0 is the data's "unknown", null, so that it never reads as a real count. */
export const knownEpisodes = (stored: number): number | null => (stored > 0 ? stored : null);

export function toAnime(row: AnimeRow, related: Map<string, RelatedRef>, hosted: Map<string, string> = new Map()): Anime {
  const image = (url: string | null) => (url === null ? null : { url: hosted.has(url) ? `/${hosted.get(url)}` : url, original_url: url });
  const externalIds: Record<string, string> = {};
  for (const url of row.sources) {
    const ref = parseSourceUrl(url);
    if (ref && !(ref.site in externalIds)) externalIds[ref.site] = ref.siteId;
  }
  return {
    id: row.id,
    title: row.title,
    synonyms: row.synonyms,
    type: row.type,
    episodes: knownEpisodes(row.episodes),
    status: row.status,
    season: { season: row.season, year: row.year },
    duration_seconds: row.durationSeconds,
    score: row.score,
    genres: genresOf(row.genres),
    tags: tagsOf(row.genres),
    adult: isAdult(row.genres),
    studios: row.studios,
    producers: row.producers,
    picture: row.picture,
    thumbnail: row.thumbnail,
    images: { picture: image(row.picture), thumbnail: image(row.thumbnail) },
    ...(row.synopsis ? { synopsis: row.synopsis } : {}),
    external_ids: externalIds,
    source_urls: row.sources,
    related: relatedOf(row, related),
    system_status: row.systemStatus,
    orphaned_at: iso(row.orphanedAt),
    updated_at: iso(row.updatedAt)!,
  };
}
