import { z } from "@hono/zod-openapi";
import { checkRanges, FILTER_SHAPE } from "../../catalog/filters";
import { canonicalZone, WEEKDAYS } from "../../schedule/zones";
import { isoWeekMonday } from "../../schedule/window";

/** `tz`: an IANA name (any case) or UTC, canonicalised; an abbreviation is a 400 naming the IANA names to send. */
export const TzParam = z
  .string()
  .max(100)
  .optional()
  .transform((v, ctx) => {
    const r = canonicalZone(v ?? "UTC");
    if ("tz" in r) return r.tz;
    ctx.addIssue({ code: "custom", message: r.error });
    return z.NEVER;
  })
  .openapi({
    type: "string",
    default: "UTC",
    example: "America/New_York",
    description: "The IANA time zone times are shown in (`America/New_York`, `Europe/London`, `Asia/Tokyo`; any case), or UTC. Abbreviations (JST, EST, PST…) are refused: they name no daylight-saving rules.",
  });

const MAX_SITES = 20;
/** "a,b" or repeated params → trimmed, lower-cased, de-duplicated list. */
const toList = (v: unknown) => (v === undefined ? undefined : [...new Set((Array.isArray(v) ? v : [v]).flatMap((s) => String(s).split(",")).map((s) => s.trim().toLowerCase()).filter(Boolean))]);

const WEEKDAY_NAMES = WEEKDAYS.map((d) => d.toLowerCase());

export const ScheduleQuery = z
  .object({
    tz: TzParam,
    date: z.iso.date({ error: "expected a date, YYYY-MM-DD" }).optional().openapi({ description: "The local date (in `tz`) the window starts on; default today in `tz`.", example: "2026-04-20" }),
    days: z.coerce.number().int().min(1).max(14).optional().openapi({ type: "integer", description: "Length of the window in days, 1–14 (default 7).", example: 7 }),
    week: z
      .string()
      .regex(/^\d{4}-W\d{2}$/, "expected an ISO week, e.g. 2026-W17")
      .refine((w) => isoWeekMonday(w) !== null, "no such ISO week")
      .optional()
      .openapi({ description: "An ISO 8601 week: Monday to Sunday in `tz`. Instead of `date` and `days`.", example: "2026-W17" }),
    day: z
      .string()
      .transform((d, ctx) => {
        const i = WEEKDAY_NAMES.findIndex((n) => n === d.toLowerCase() || n.slice(0, 3) === d.toLowerCase());
        if (i >= 0) return i;
        ctx.addIssue({ code: "custom", message: "expected a weekday: mon, tue, wed, thu, fri, sat, sun (or the full name)" });
        return z.NEVER;
      })
      .optional()
      .openapi({ type: "string", description: "Only occurrences on this weekday as it falls in `tz` (not in Japan): mon … sun, any case.", example: "sat" }),
    kind: z.enum(["broadcast", "stream", "all"]).default("all").openapi({ description: "broadcast: the TV slot in its country; stream: streaming sites' own release times; all: both." }),
    site: z
      .preprocess(toList, z.array(z.string().regex(/^[a-z0-9_]{1,40}$/, "a site key such as crunchyroll")).max(MAX_SITES, `at most ${MAX_SITES} values`).optional())
      .openapi({
        type: "array",
        items: { type: "string" },
        maxItems: MAX_SITES,
        description: `Only streams of these sites (keys such as crunchyroll, netflix, prime, disneyplus, bilibili, abema). Repeatable (\`site=x&site=y\`) or comma-separated, at most ${MAX_SITES}. Broadcasts are kept unless kind=stream.`,
        example: ["crunchyroll", "netflix"],
      }),
    region: z
      .string()
      .regex(/^[A-Za-z]{2}$/, "expected an ISO 3166 country code such as US")
      .transform((r) => r.toUpperCase())
      .optional()
      .openapi({ description: "Only streams available there by the data (sites naming no region count as available everywhere). Broadcasts are not filtered.", example: "US" }),
    ...FILTER_SHAPE,
    limit: z.coerce.number().int().min(1).max(100).default(50).openapi({ description: "Page size, 1–100.", example: 50 }),
    cursor: z.string().max(512).optional().openapi({ description: "Opaque cursor from `next_cursor` of the previous page (same parameters)." }),
  })
  .strict()
  .superRefine((q, ctx) => {
    checkRanges(q, ctx);
    if (q.week !== undefined && (q.date !== undefined || q.days !== undefined)) ctx.addIssue({ code: "custom", path: ["week"], message: "send either week, or date and days" });
  });

export type ScheduleQueryOutput = z.output<typeof ScheduleQuery>;

export const AnimeScheduleQuery = z.object({ tz: TzParam }).strict();
