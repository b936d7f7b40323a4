import { createRoute, type RouteHandler } from "@hono/zod-openapi";
import type { AppEnv } from "../../context";
import { notFound } from "../../errors/api-error";
import { problemResponses } from "../../errors/problem-schema";
import { API_KEY_OR_ANONYMOUS } from "../../openapi/security";
import { meteredResponses } from "../../openapi/metered";
import { animeSchedule } from "../../schedule/answers";
import { IdParams } from "../anime/params";
import { cachedList } from "../cached";
import { AnimeScheduleQuery } from "./params";
import { AnimeScheduleSchema } from "./schemas";

export const animeScheduleRoute = createRoute({
  method: "get",
  path: "/anime/{id}/schedule",
  tags: ["Anime"],
  operationId: "getAnimeSchedule",
  security: API_KEY_OR_ANONYMOUS,
  summary: "When the next episode airs, and where to stream it",
  description:
    "The anime's broadcast rule and its streaming sites, each with its own next and previous occurrence in `tz` (`in_seconds` from now), and whether it is airing, upcoming, finished or unknown. Data: bangumi-data (CC BY 4.0).",
  request: { params: IdParams, query: AnimeScheduleQuery },
  responses: {
    200: { description: "The anime's schedule.", content: { "application/json": { schema: AnimeScheduleSchema } } },
    ...problemResponses(400, 404, 503),
    ...meteredResponses(),
  },
});

export const getAnimeSchedule: RouteHandler<typeof animeScheduleRoute, AppEnv> = async (c) => {
  const { id } = c.req.valid("param");
  const { tz } = c.req.valid("query");
  const answer = await animeSchedule(c.var.services, id, tz, (kind, key, load) => cachedList(c, kind, key, load));
  if (!answer) throw notFound(`No anime with id ${id}.`);
  return c.json(answer, 200);
};
