import { z } from "zod";
import { ANIME_STATUSES, ANIME_TYPES, SEASONS, type AnimeStatus, type AnimeType, type Season } from "./vocabulary";
import { parseSourceUrl } from "./sources";

/**
 * The two input shapes the importer accepts, and the one canonical entry both become.
 *
 * `OfflineDbEntrySchema` follows the official anime-offline-database JSON schema
 * (anime-offline-database.jsonl.schema.json): required fields, enums, `format: uri`,
 * `uniqueItems`, minimums. Unknown extra properties are allowed, as in the official schema;
 * `score` is read when present (current releases carry it).
 *
 * `EnrichedEntrySchema` accepts entries of the enrichment pipeline
 * (../shared/data/enriched-anime-entries-28.json): flat season/year, duration in seconds,
 * genres, synopsis, nested studios/producers.
 */
const uri = z.url({ protocol: /^https?$/ });
const unique = <T extends z.ZodTypeAny>(item: T) =>
  z.array(item).refine((a) => new Set(a).size === a.length, { message: "items must be unique" });

const ScoreSchema = z.object({
  arithmeticGeometricMean: z.number().min(0).max(10).optional(),
  arithmeticMean: z.number().min(0).max(10).optional(),
  median: z.number().min(0).max(10).optional(),
});

export const OfflineDbEntrySchema = z.object({
  sources: unique(uri).min(1),
  title: z.string().trim().min(1),
  type: z.enum(ANIME_TYPES),
  episodes: z.number().int().min(0),
  status: z.enum(ANIME_STATUSES),
  animeSeason: z.object({ season: z.enum(SEASONS), year: z.number().int().min(1907).optional() }),
  picture: uri,
  thumbnail: uri,
  duration: z.object({ value: z.number().min(1), unit: z.literal("SECONDS") }).optional(),
  score: ScoreSchema.optional(),
  synonyms: unique(z.string()),
  studios: unique(z.string()),
  producers: unique(z.string()),
  relatedAnime: unique(uri),
  tags: unique(z.string()),
});
export type OfflineDbEntry = z.infer<typeof OfflineDbEntrySchema>;

/** The metadata line of a JSONL release (and the root fields of the minified JSON). */
export const ReleaseMetaSchema = z.object({
  repository: z.string().optional(),
  lastUpdate: z.string().regex(/^\d{4}-\d{2}-\d{2}$/),
});

const named = z.object({ name: z.string().min(1) });
export const EnrichedEntrySchema = z.object({
  sources: z.array(uri).min(1),
  title: z.string().trim().min(1),
  type: z.string(),
  episodes: z.number().int().min(0).nullish(),
  status: z.string().nullish(),
  season: z.string().nullish(),
  year: z.number().int().min(1907).nullish(),
  duration: z.number().min(0).nullish(),
  synonyms: z.array(z.string()).nullish(),
  genres: z.array(z.string()).default([]),
  tags: z.array(z.string()).default([]),
  synopsis: z.string().nullish(),
  score: z.object({ arithmetic_geometric_mean: z.number().min(0).max(10).nullish() }).nullish(),
  images: z.object({ covers: z.array(uri).default([]), posters: z.array(uri).default([]) }).partial().nullish(),
  related_anime: z.array(z.object({ url: uri })).default([]),
  staff_data: z
    .object({ studios: z.array(named).default([]), producers: z.array(named).default([]) })
    .partial()
    .nullish(),
  enrichment_metadata: z.object({}).loose().optional(),
});
export type EnrichedEntry = z.infer<typeof EnrichedEntrySchema>;

/** What the importer writes: one normalised anime, independent of the input shape. */
export interface CatalogEntry {
  /** Canonical source URLs, sorted. */
  sources: string[];
  title: string;
  synonyms: string[];
  type: AnimeType;
  episodes: number;
  status: AnimeStatus;
  season: Season;
  year: number | null;
  durationSeconds: number | null;
  score: number | null;
  picture: string | null;
  thumbnail: string | null;
  genres: string[];
  studios: string[];
  producers: string[];
  related: string[];
  /** Only enriched entries carry one; null never erases a stored synopsis. */
  synopsis: string | null;
}

/**
 * The thumbnail of a cover, where the image host names one: MyAnimeList serves
 * `…/<id>t.jpg` beside `…/<id>.jpg` and `…/<id>l.jpg` (the form the offline database's
 * thumbnails take). Any other cover has no known thumbnail: null, never the cover itself.
 */
export function thumbnailOf(cover: string | null): string | null {
  const m = cover ? /^(https:\/\/cdn\.myanimelist\.net\/images\/anime\/\d+\/\d+)l?\.(jpg|webp)$/.exec(cover) : null;
  return m ? `${m[1]}t.${m[2]}` : null;
}

/** The offline database's placeholder pictures mean "no picture". */
const NO_PICTURE = /\/pics\/no_pic(_thumbnail)?\.png$/;

/** Case-insensitive de-duplication keeping the first spelling. */
export function dedupeNames(names: Iterable<string>): string[] {
  const seen = new Map<string, string>();
  for (const raw of names) {
    const name = raw.trim();
    if (name && !seen.has(name.toLowerCase())) seen.set(name.toLowerCase(), name);
  }
  return [...seen.values()];
}

function canonicalSources(urls: string[]): string[] {
  const out = new Set<string>();
  for (const u of urls) {
    const ref = parseSourceUrl(u);
    if (ref) out.add(ref.url);
  }
  return [...out].sort();
}

function normaliseRelated(urls: string[]): string[] {
  return [...new Set(urls.map((u) => parseSourceUrl(u)?.url ?? u))].sort();
}

export function fromOfflineDb(e: OfflineDbEntry): CatalogEntry {
  const score = e.score?.arithmeticGeometricMean ?? e.score?.arithmeticMean ?? e.score?.median ?? null;
  return {
    sources: canonicalSources(e.sources),
    title: e.title.trim(),
    synonyms: dedupeNames(e.synonyms).filter((s) => s !== e.title.trim()),
    type: e.type,
    episodes: e.episodes,
    status: e.status,
    season: e.animeSeason.season,
    year: e.animeSeason.year ?? null,
    durationSeconds: e.duration ? Math.round(e.duration.value) : null,
    score: score === null ? null : Math.round(score * 100) / 100,
    picture: NO_PICTURE.test(e.picture) ? null : e.picture,
    thumbnail: NO_PICTURE.test(e.thumbnail) ? null : e.thumbnail,
    genres: dedupeNames(e.tags),
    studios: dedupeNames(e.studios),
    producers: dedupeNames(e.producers),
    related: normaliseRelated(e.relatedAnime),
    synopsis: null,
  };
}

/** Enrichment types outside the offline database's vocabulary: music videos and promos are specials. */
const ENRICHED_TYPE_ALIASES: Record<string, AnimeType> = { MUSIC: "SPECIAL", PV: "SPECIAL", CM: "SPECIAL" };

/**
 * Enrichment adds to what the catalog knows and never erases it: a field the enriched
 * entry does not carry (or carries as empty) is listed in `missing`, and the importer keeps
 * the stored value for it. Only a brand-new anime gets the neutral defaults below.
 */
export function fromEnriched(e: EnrichedEntry): { entry: CatalogEntry; missing: FillableField[] } {
  const missing: FillableField[] = [];
  const given = <T>(field: FillableField, value: T | null | undefined, fallback: T): T => {
    const absent = value === null || value === undefined || (Array.isArray(value) && value.length === 0);
    if (absent) missing.push(field);
    return absent ? fallback : (value as T);
  };
  const known = <T extends string>(values: readonly T[], raw: string | null | undefined): T | undefined => {
    const v = (raw ?? "").toUpperCase();
    return (values as readonly string[]).includes(v) ? (v as T) : undefined;
  };
  const cover = e.images?.covers?.[0] ?? e.images?.posters?.[0] ?? null;
  const score = e.score?.arithmetic_geometric_mean;
  const title = e.title.trim();
  const entry: CatalogEntry = {
    sources: canonicalSources(e.sources),
    title,
    synonyms: given("synonyms", dedupeNames(e.synonyms ?? []).filter((s) => s !== title), []),
    type: given("type", ENRICHED_TYPE_ALIASES[e.type.toUpperCase()] ?? known(ANIME_TYPES, e.type), "UNKNOWN"),
    episodes: given("episodes", e.episodes, 0),
    status: given("status", known(ANIME_STATUSES, e.status), "UNKNOWN"),
    season: given("season", known(SEASONS, e.season), "UNDEFINED"),
    year: given("year", e.year, null),
    durationSeconds: given("durationSeconds", e.duration ? Math.round(e.duration) : null, null),
    score: given("score", score === null || score === undefined ? null : Math.round(score * 100) / 100, null),
    picture: given("picture", cover, null),
    thumbnail: given("thumbnail", thumbnailOf(cover), null),
    genres: given("genres", dedupeNames([...e.genres, ...e.tags]), []),
    studios: given("studios", dedupeNames((e.staff_data?.studios ?? []).map((s) => s.name.toLowerCase())), []),
    producers: given("producers", dedupeNames((e.staff_data?.producers ?? []).map((s) => s.name.toLowerCase())), []),
    related: given("related", normaliseRelated(e.related_anime.map((r) => r.url)), []),
    synopsis: e.synopsis?.trim() || null,
  };
  return { entry, missing };
}

/** Marker a file reader yields for a line that is not JSON, so it is counted as invalid. */
export interface UnparsableEntry {
  __unparsable: string;
}

/** Fields an entry may lack; the importer takes them from the stored anime it merges into. */
export type FillableField = Exclude<keyof CatalogEntry, "sources" | "title" | "synopsis">;

export type ParsedEntry =
  | { ok: true; entry: CatalogEntry; missing: FillableField[]; /** From the enrichment pipeline and carrying images of its own: they are ours from then on. */ enriched: boolean; /** Offline-database shaped. */ offline: boolean }
  | { ok: false; reason: string; title?: string };

/**
 * Validates one raw entry of either shape and normalises it. Offline-database entries are
 * recognised by `animeSeason`; anything else is read as an enriched entry.
 */
export function parseEntry(raw: unknown): ParsedEntry {
  if (typeof raw === "object" && raw !== null && "__unparsable" in raw) {
    return { ok: false, reason: `entry: not valid JSON: ${(raw as UnparsableEntry).__unparsable}` };
  }
  const isOffline = typeof raw === "object" && raw !== null && "animeSeason" in raw;
  const result = isOffline ? OfflineDbEntrySchema.safeParse(raw) : EnrichedEntrySchema.safeParse(raw);
  const title = typeof raw === "object" && raw !== null && typeof (raw as { title?: unknown }).title === "string" ? (raw as { title: string }).title : undefined;
  if (!result.success) {
    const issue = result.error.issues[0];
    return { ok: false, title, reason: `${issue.path.join(".") || "entry"}: ${issue.message}` };
  }
  const parsed = isOffline ? { entry: fromOfflineDb(result.data as OfflineDbEntry), missing: [] } : fromEnriched(result.data as EnrichedEntry);
  if (parsed.entry.sources.length === 0) return { ok: false, title, reason: "sources: no recognisable source URL" };
  return { ok: true, ...parsed, enriched: !isOffline && !parsed.missing.includes("picture"), offline: isOffline };
}
