import { z } from "@hono/zod-openapi";
import { ANIME_STATUSES, ANIME_TYPES, SEASONS, SYSTEM_STATUSES } from "./vocabulary";
import { GENRES } from "./genres";

const ImageRef = z.object({
  url: z.string().openapi({ description: "Ours (/images/<sha256>.<ext>, immutable) once ingested, else the original.", example: "/images/3f1c…e9.jpg" }),
  original_url: z.string().openapi({ example: "https://cdn.myanimelist.net/images/anime/4/19644.jpg" }),
});

/** What a `fields=` projection does to the objects the schemas describe. */
export const PROJECTION_NOTE =
  "One anime. Every field listed as required is present in an answer without `fields`; with `fields=a,b` an answer carries only the fields listed (each anime of a list alike, beside any `match` or `similarity`).";

/** The public representation of one anime: the API's single definition of it. */
export const AnimeSchema = z
  .object({
    id: z.number().int().openapi({ description: "Kensho's stable id.", example: 1 }),
    title: z.string().openapi({ example: "Cowboy Bebop" }),
    synonyms: z.array(z.string()).openapi({ example: ["カウボーイビバップ"] }),
    type: z.enum(ANIME_TYPES),
    episodes: z.number().int().nullable().openapi({ description: "null when unknown.", example: 26 }),
    status: z.enum(ANIME_STATUSES),
    season: z.object({ season: z.enum(SEASONS), year: z.number().int().nullable() }).openapi({ example: { season: "SPRING", year: 1998 } }),
    duration_seconds: z.number().int().nullable().openapi({ description: "Per episode.", example: 1440 }),
    score: z.number().nullable().openapi({ description: "0–10, null when unknown.", example: 8.75 }),
    genres: z.array(z.enum(GENRES)).openapi({
      description: "The genres people browse by, derived from `tags` by one mapping (src/catalog/genres.ts): the anime has a genre when it has any of the genre's tags.",
      example: ["Action", "Adventure", "Comedy", "Drama", "Sci-Fi", "Space"],
    }),
    tags: z.array(z.string()).openapi({
      description: "Every tag the data gives (lower-case, as the sites that list the anime tag it); GET /v1/tags lists them with counts.",
      example: ["action", "adventure", "comedy", "drama", "sci-fi", "space", "bounty hunters"],
    }),
    adult: z.boolean().openapi({
      description: "Adult (pornographic) content: tagged `hentai` (`ecchi` is not). Lists, search, similar and random leave adult anime out unless include_adult=true; a single anime is always served.",
      example: false,
    }),
    studios: z.array(z.string()).openapi({ example: ["sunrise"] }),
    producers: z.array(z.string()).openapi({ example: ["bandai visual"] }),
    picture: z.string().nullable().openapi({ example: "https://cdn.myanimelist.net/images/anime/4/19644.jpg" }),
    thumbnail: z.string().nullable().openapi({ example: "https://cdn.myanimelist.net/images/anime/4/19644t.jpg" }),
    images: z
      .object({ picture: ImageRef.nullable(), thumbnail: ImageRef.nullable() })
      .openapi({ description: "Images served from Kensho's own store once ingested (`url` under /images/); until then `url` is the original." }),
    synopsis: z.string().optional().openapi({ description: "Present for enriched entries only." }),
    external_ids: z.record(z.string(), z.string()).openapi({ description: "Site name → that site's id.", example: { myanimelist: "1" } }),
    source_urls: z.array(z.string()).openapi({ example: ["https://myanimelist.net/anime/1"] }),
    related: z
      .array(
        z.object({
          id: z.number().int().nullable().openapi({ description: "Kensho id when the related anime is in the catalog (null: only its URL is known)." }),
          title: z.string().nullable(),
          type: z.string().nullable(),
          year: z.number().int().nullable(),
          url: z.string().openapi({ description: "A source URL of the related anime, as the data gives it (the first one, when the data lists it on several sites)." }),
        }),
      )
      .openapi({
        description: "Related anime (sequels, prequels, side stories, movies…): one item per anime in the catalog, then the URLs the catalog cannot resolve.",
        example: [{ id: 2, title: "Cowboy Bebop: Tengoku no Tobira", type: "MOVIE", year: 2001, url: "https://myanimelist.net/anime/5" }],
      }),
    system_status: z.enum(SYSTEM_STATUSES).openapi({ description: "ORPHANED: no longer in the source data; kept, hidden from lists by default." }),
    orphaned_at: z.string().nullable().openapi({ example: null }),
    updated_at: z.string().openapi({ description: "Last change of the content (ISO 8601).", example: "2026-11-21T19:45:00.000Z" }),
  })
  .openapi("Anime", { description: PROJECTION_NOTE });

export type Anime = z.infer<typeof AnimeSchema>;
export const ANIME_FIELDS = Object.keys(AnimeSchema.shape) as (keyof Anime)[];

export const AnimeListSchema = z
  .object({
    data: z.array(AnimeSchema),
    next_cursor: z.string().nullable().openapi({ description: "Pass as `cursor` for the next page; null on the last page." }),
  })
  .openapi("AnimeList");

/** `?fields=a,b` (or `fields=a&fields=b`): a subset of the anime's top-level fields. */
export const FieldsParam = z
  .union([z.string(), z.array(z.string())])
  .optional()
  .transform((v, ctx) => {
    if (v === undefined) return undefined;
    const fields = [...new Set((Array.isArray(v) ? v : [v]).flatMap((s) => s.split(",")).map((s) => s.trim()).filter(Boolean))];
    const unknown = fields.filter((f) => !(ANIME_FIELDS as string[]).includes(f));
    if (unknown.length > 0 || fields.length === 0) {
      ctx.addIssue({ code: "custom", message: fields.length === 0 ? "list at least one field" : `unknown field(s): ${unknown.join(", ")}; known: ${ANIME_FIELDS.join(", ")}` });
      return z.NEVER;
    }
    return fields as (keyof Anime)[];
  })
  .openapi({
    type: "array",
    items: { type: "string", enum: [...ANIME_FIELDS] },
    description:
      "Only these top-level fields of each anime; all when absent. Repeatable (`fields=id&fields=title`) or comma-separated (`fields=id,title`). A projected answer carries only the fields listed: the schema's required fields hold for answers without `fields`.",
    example: ["id", "title", "score"],
  });

/** Keeps only the requested fields (all when `fields` is undefined). */
export function pickFields(a: Anime, fields: (keyof Anime)[] | undefined): Partial<Anime> {
  if (!fields) return a;
  return Object.fromEntries(fields.map((f) => [f, a[f]]));
}
