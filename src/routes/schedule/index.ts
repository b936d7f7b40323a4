import { OpenAPIHono } from "@hono/zod-openapi";
import type { AppEnv } from "../../context";
import { validationHook } from "../../errors/problem";
import { getAnimeSchedule, animeScheduleRoute } from "./anime";
import { listSchedule, scheduleRoute } from "./list";

/** /v1/schedule and /v1/anime/{id}/schedule: airing schedules (src/schedule). */
export const scheduleRoutes = new OpenAPIHono<AppEnv>({ defaultHook: validationHook })
  .openapi(scheduleRoute, listSchedule)
  .openapi(animeScheduleRoute, getAnimeSchedule);
