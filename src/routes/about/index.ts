import { createRoute, OpenAPIHono, z, type RouteHandler } from "@hono/zod-openapi";
import type { AppEnv } from "../../context";
import { validationHook } from "../../errors/problem";
import { problemResponses } from "../../errors/problem-schema";
import { BANGUMI_DATA_NOTICE, DATA_SOURCES, ODBL_NOTICE } from "../../catalog/attribution";
import { cachedList } from "../cached";
import { API_KEY_OR_ANONYMOUS } from "../../openapi/security";
import { meteredResponses } from "../../openapi/metered";

const AboutSchema = z
  .object({
    name: z.literal("Kensho"),
    catalog: z.object({
      anime: z.number().int().openapi({ description: "Active anime (served by lists and search)." }),
      orphaned: z.number().int().openapi({ description: "Anime no release lists any more (kept, hidden by default)." }),
      release_date: z.string().nullable().openapi({ description: "`lastUpdate` of the anime-offline-database release the catalog last followed.", example: "2026-02-21" }),
      updated_at: z.string().nullable().openapi({ description: "When the catalog last took a release (sync or import)." }),
    }),
    sources: z.array(z.object({ name: z.string(), url: z.string(), licence: z.string(), use: z.string() })),
    notice: z.string().openapi({ description: "The attribution the data's licence asks for: show it wherever users see the data." }),
    attributions: z.array(z.string()).openapi({ description: "Every attribution the data's licences ask for: the catalog's (ODbL, as `notice`) and the airing schedules' (bangumi-data, CC BY 4.0)." }),
  })
  .openapi("About");

export const aboutRoute = createRoute({
  method: "get",
  path: "/about",
  tags: ["Meta"],
  operationId: "getAbout",
  security: API_KEY_OR_ANONYMOUS,
  summary: "The catalog's size, release date, sources and licences",
  request: { query: z.object({}).strict() },
  responses: { 200: { description: "About the data.", content: { "application/json": { schema: AboutSchema } } }, ...problemResponses(400), ...meteredResponses() },
});

export const about: RouteHandler<typeof aboutRoute, AppEnv> = async (c) => {
  const { value } = await cachedList(c, "about", {}, () => c.var.services.catalogFacts());
  const f = value!;
  return c.json({ name: "Kensho" as const, catalog: { anime: f.active, orphaned: f.orphaned, release_date: f.release_date, updated_at: f.updated_at }, sources: DATA_SOURCES, notice: ODBL_NOTICE, attributions: [ODBL_NOTICE, BANGUMI_DATA_NOTICE] }, 200);
};

export const aboutRoutes = new OpenAPIHono<AppEnv>({ defaultHook: validationHook }).openapi(aboutRoute, about);
