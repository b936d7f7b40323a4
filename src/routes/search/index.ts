import { OpenAPIHono } from "@hono/zod-openapi";
import type { AppEnv } from "../../context";
import { validationHook } from "../../errors/problem";
import { search, searchRoute } from "./search";
import { query, queryRoute } from "./query";
import { imageSearch, imageSearchRoute } from "./image";
import { multimodal, multimodalRoute } from "./multimodal";

/** /v1/search and /v1/query. (/v1/anime/{id}/similar lives with the anime routes.) */
export const searchRoutes = new OpenAPIHono<AppEnv>({ defaultHook: validationHook }).openapi(searchRoute, search).openapi(queryRoute, query).openapi(imageSearchRoute, imageSearch).openapi(multimodalRoute, multimodal);
