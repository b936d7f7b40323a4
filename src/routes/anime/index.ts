import { OpenAPIHono } from "@hono/zod-openapi";
import type { AppEnv } from "../../context";
import { validationHook } from "../../errors/problem";
import { browseAnime, browseAnimeRoute } from "./browse";
import { getAnime, getAnimeRoute } from "./get";
import { lookupAnime, lookupAnimeRoute } from "./lookup";
import { randomAnime, randomAnimeRoute } from "./random";
import { similarAnime, similarAnimeRoute } from "./similar";

/** /v1/anime… and /v1/random. `lookup` is registered before `{id}` so it is not read as an id. */
export const animeRoutes = new OpenAPIHono<AppEnv>({ defaultHook: validationHook })
  .openapi(lookupAnimeRoute, lookupAnime)
  .openapi(getAnimeRoute, getAnime)
  .openapi(similarAnimeRoute, similarAnime)
  .openapi(browseAnimeRoute, browseAnime)
  .openapi(randomAnimeRoute, randomAnime);
