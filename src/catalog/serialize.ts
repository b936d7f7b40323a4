import type { anime } from "./schema";
import type { Anime } from "./anime-schema";
import { parseSourceUrl } from "./sources";
import { isAdult } from "./adult";

export type AnimeRow = typeof anime.$inferSelect;

const iso = (ms: number | null) => (ms === null ? null : new Date(ms).toISOString());

/**
 * Row → public object. `relatedIds` maps related source URLs to Kensho ids (those in the
 * catalog), `hosted` image URLs to our R2 keys (images/<sha256>.<ext>, served at /images/…);
 * the caller resolves both for a whole page in one query each.
 */
export function toAnime(row: AnimeRow, relatedIds: Map<string, number>, hosted: Map<string, string> = new Map()): Anime {
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
    episodes: row.episodes,
    status: row.status,
    season: { season: row.season, year: row.year },
    duration_seconds: row.durationSeconds,
    score: row.score,
    genres: row.genres,
    adult: isAdult(row.genres),
    studios: row.studios,
    producers: row.producers,
    picture: row.picture,
    thumbnail: row.thumbnail,
    images: { picture: image(row.picture), thumbnail: image(row.thumbnail) },
    ...(row.synopsis ? { synopsis: row.synopsis } : {}),
    external_ids: externalIds,
    source_urls: row.sources,
    related: row.related.map((url) => ({ url, id: relatedIds.get(url) ?? null })),
    system_status: row.systemStatus,
    orphaned_at: iso(row.orphanedAt),
    updated_at: iso(row.updatedAt)!,
  };
}
