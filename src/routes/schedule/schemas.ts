import { z } from "@hono/zod-openapi";
import { ANIME_STATUSES, ANIME_TYPES, SEASONS } from "../../catalog/vocabulary";
import { WEEKDAYS } from "../../schedule/zones";

/** The response schemas of the schedule routes: the document's single description of them. */

export const LocalTimeSchema = z
  .object({
    date: z.string().openapi({ example: "2026-04-20" }),
    weekday: z.enum(WEEKDAYS).openapi({ example: "Monday" }),
    time: z.string().openapi({ example: "10:15" }),
    utc_offset: z.string().openapi({ description: "The zone's offset at that instant (DST included).", example: "-04:00" }),
  })
  .openapi({ description: "The occurrence in the requested zone, converted on its own (a DST switch inside a window is right)." });

const OriginSchema = z
  .object({
    tz: z.string().openapi({ example: "Asia/Tokyo" }),
    label: z.string().openapi({ example: "Sun 23:15 JST" }),
    late_night: z.string().nullable().openapi({ description: "A slot before 05:00 as Japanese listings write it, on the previous day's clock.", example: "Sat 25:30 JST" }),
  })
  .openapi({ description: "The slot where it airs (the data's origin zone: Asia/Tokyo for Japanese titles)." });

const occurrenceFields = {
  airs_at: z.string().openapi({ description: "The instant (UTC, ISO 8601).", example: "2026-04-26T14:15:00.000Z" }),
  local: LocalTimeSchema,
  origin: OriginSchema,
  episode: z.number().int().nullable().openapi({ description: "Counted from the rule's first occurrence; null when that is not the run's start, or when several data items share the anime's MyAnimeList id.", example: 4 }),
};

export const SiteSchema = z
  .object({
    key: z.string().openapi({ example: "crunchyroll" }),
    title: z.string().openapi({ example: "Crunchyroll" }),
    url: z.string().nullable().openapi({ example: "https://www.crunchyroll.com/series/GT00365727/" }),
    regions: z.array(z.string()).nullable().openapi({ description: "Where the site streams by the data; null: it names no restriction.", example: null }),
  })
  .openapi("StreamingSite");

export const AnimeSummarySchema = z
  .object({
    id: z.number().int(),
    title: z.string(),
    type: z.enum(ANIME_TYPES),
    episodes: z.number().int().nullable(),
    status: z.enum(ANIME_STATUSES),
    season: z.object({ season: z.enum(SEASONS), year: z.number().int().nullable() }),
    score: z.number().nullable(),
    adult: z.boolean(),
    picture: z.string().nullable(),
    thumbnail: z.string().nullable(),
  })
  .openapi("AnimeSummary", { description: "The catalog's anime (GET /v1/anime/{id} has the rest)." });

export const SourceSchema = z
  .object({
    name: z.literal("bangumi-data"),
    version: z.string().openapi({ description: "The package version, or sha256:<12 hex> of the content when the source names none.", example: "0.3.208" }),
    fetched_at: z.string().openapi({ description: "When this copy was fetched or loaded." }),
    data_date: z.string().nullable().openapi({ description: "How current the data is: its latest `begin` not after the fetch." }),
    licence: z.literal("CC BY 4.0"),
    licence_url: z.string(),
    url: z.string(),
    note: z.string().openapi({ description: "The times are converted to the requested zone, and are estimates." }),
  })
  .openapi("ScheduleSource", { description: "Where the times come from: bangumi-data, CC BY 4.0 (attribution required)." });

const stale = z.boolean().openapi({ description: "The data is over 8 weeks old (by data_date): times may have moved since." });

export const ScheduleRowSchema = z
  .object({
    ...occurrenceFields,
    kind: z.enum(["broadcast", "stream"]),
    site: SiteSchema.nullable().openapi({ description: "The streaming site (null for a broadcast)." }),
    anime: AnimeSummarySchema,
    estimated: z.literal(true).openapi({ description: "Always true: computed from a recurrence rule, not announced per episode." }),
    end_estimated: z.boolean().openapi({ description: "Neither the data's end nor the catalog's episode count bounds the run: it is assumed to last 26 weeks." }),
  })
  .openapi("ScheduleRow");

export const SchedulePageSchema = z
  .object({
    data: z.array(ScheduleRowSchema),
    next_cursor: z.string().nullable(),
    window: z.object({ tz: z.string(), start_date: z.string(), days: z.number().int(), from: z.string(), to: z.string() }).openapi({ description: "The window asked for, as resolved: local dates in `tz`, and the instants they start and end at." }),
    source: SourceSchema,
    stale,
  })
  .openapi("SchedulePage");

const OccurrenceSchema = z.object({ ...occurrenceFields, in_seconds: z.number().int().openapi({ description: "Seconds from now (negative: past)." }) }).openapi("Occurrence");

const runFields = {
  period: z.string().nullable().openapi({ description: "ISO 8601 period of the rule: P7D weekly, P1M monthly, P0D once; null: no times in the data.", example: "P7D" }),
  first_airs_at: z.string().nullable(),
  last_airs_at: z.string().nullable().openapi({ description: "The run's last occurrence by the data's end, the catalog's episode count, or 26 weeks (end_estimated)." }),
  end_estimated: z.boolean(),
  next: OccurrenceSchema.nullable().openapi({ description: "Null when the run is over, or the catalog says the anime is FINISHED." }),
  previous: OccurrenceSchema.nullable(),
};

export const AnimeScheduleSchema = z
  .object({
    anime: AnimeSummarySchema,
    status: z.enum(["airing", "upcoming", "finished", "unknown"]).openapi({ description: "finished: the catalog says FINISHED, or the run's known end is past; unknown: no times, or an estimated run that is past." }),
    tz: z.string(),
    item: z.object({ title: z.string(), begin: z.string().nullable(), end: z.string().nullable() }).nullable().openapi({ description: "The bangumi-data item the times are from (a series split into arcs has several: the airing one, else the next, else the latest)." }),
    broadcast: z.object(runFields).nullable().openapi({ description: "The TV slot; null when the data has none." }),
    streams: z.array(z.object({ site: SiteSchema, ...runFields })).openapi({ description: "Streaming sites, with their own rule's times when the data has one (they often differ from the TV slot)." }),
    source: SourceSchema,
    stale,
  })
  .openapi("AnimeSchedule");
