import { createRoute, type RouteHandler, type z } from "@hono/zod-openapi";
import type { TypedResponse } from "hono";
import type { JSONParsed } from "hono/utils/types";
import type { AppEnv } from "../../context";
import { problemResponses } from "../../errors/problem-schema";
import { API_KEY_OR_ANONYMOUS } from "../../openapi/security";
import { meteredResponses } from "../../openapi/metered";
import { airingScheduleJson } from "../../schedule/answers";
import { filtersOf } from "../anime/params";
import { cachedList } from "../cached";
import { ScheduleQuery } from "./params";
import { SchedulePageSchema } from "./schemas";

export const scheduleRoute = createRoute({
  method: "get",
  path: "/schedule",
  tags: ["Anime"],
  operationId: "listSchedule",
  security: API_KEY_OR_ANONYMOUS,
  summary: "What airs in a window, in your time zone",
  description:
    "Broadcasts and streams in a window of local days in `tz` (`date` + `days`, or an ISO `week`; default: 7 days from today in `tz`), soonest first. Each occurrence is computed in the broadcast's own zone and converted to `tz` on its own, so weekdays and DST switches come out right. Nothing is listed for an anime the catalog calls FINISHED; a run the data gives no end for is bounded by the catalog's episode count, else 26 weeks (`end_estimated`). Download sites are never listed. Takes the browse filters (adult anime hidden unless include_adult=true). Data: bangumi-data (CC BY 4.0).",
  request: { query: ScheduleQuery },
  responses: {
    200: { description: "A page of occurrences.", content: { "application/json": { schema: SchedulePageSchema } } },
    ...problemResponses(400, 503),
    ...meteredResponses(),
  },
});

export const listSchedule: RouteHandler<typeof scheduleRoute, AppEnv> = async (c) => {
  const q = c.req.valid("query");
  const params = { tz: q.tz, date: q.date, days: q.days, week: q.week, day: q.day, kind: q.kind, sites: q.site ?? [], region: q.region ?? null, filters: filtersOf(q) };
  const { json, etag } = await airingScheduleJson(c.var.services, params, { limit: q.limit, cursor: q.cursor }, (kind, key, load) => cachedList(c, kind, key, load));
  c.header("ETag", etag);
  // Typed as the c.json answer it is: the text is presentWindow's value, serialised once per cached window and page.
  return c.body(json, 200, { "Content-Type": "application/json" }) as unknown as TypedResponse<JSONParsed<z.output<typeof SchedulePageSchema>>, 200, "json">;
};
