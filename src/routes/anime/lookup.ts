import { createRoute, z, type RouteHandler } from "@hono/zod-openapi";
import type { AppEnv } from "../../context";
import { AnimeSchema, FieldsParam, pickFields, type Anime } from "../../catalog/anime-schema";
import { KNOWN_SITES, parseSourceUrl } from "../../catalog/sources";
import { notFound, validationError } from "../../errors/api-error";
import { problemResponses } from "../../errors/problem-schema";
import { cachedList } from "../cached";

const LookupQuery = z
  .object({
    site: z
      .enum(KNOWN_SITES as [string, ...string[]])
      .optional()
      .openapi({ description: "Site name; use with `id`.", example: "myanimelist" }),
    id: z.string().trim().min(1).max(200).optional().openapi({ description: "The anime's id on that site.", example: "1" }),
    url: z.string().max(2048).optional().openapi({ description: "Any source URL of the anime (alternative to site + id).", example: "https://myanimelist.net/anime/1" }),
    fields: FieldsParam,
  })
  .strict()
  .superRefine((q, ctx) => {
    if (q.url !== undefined && (q.site !== undefined || q.id !== undefined)) {
      ctx.addIssue({ code: "custom", path: ["url"], message: "give either url, or site and id, not both" });
    } else if (q.url === undefined && (q.site === undefined || q.id === undefined)) {
      ctx.addIssue({ code: "custom", path: [q.site === undefined ? "site" : "id"], message: "required (or give url)" });
    }
  });

export const lookupAnimeRoute = createRoute({
  method: "get",
  path: "/anime/lookup",
  tags: ["Anime"],
  summary: "Find an anime by another site's id or URL",
  description: "Cross-site resolution: `?site=myanimelist&id=1` or `?url=https://anilist.co/anime/1`. The response's Content-Location names the anime's own URL.",
  request: { query: LookupQuery },
  responses: {
    200: { description: "The anime.", content: { "application/json": { schema: AnimeSchema } } },
    ...problemResponses(400, 404),
  },
});

export const lookupAnime: RouteHandler<typeof lookupAnimeRoute, AppEnv> = async (c) => {
  const q = c.req.valid("query");
  let site = q.site!;
  let siteId = q.id!;
  if (q.url !== undefined) {
    const ref = parseSourceUrl(q.url);
    if (!ref) throw validationError([{ param: "url", message: "not an http(s) URL of an anime page" }]);
    ({ site, siteId } = ref);
  }
  const { value: anime } = await cachedList(c, "lookup", { site, siteId }, () => c.var.services.catalog.getBySource(site, siteId));
  if (!anime) throw notFound(`No anime known for ${site} id ${siteId}.`);
  c.header("Content-Location", `/v1/anime/${anime.id}`);
  return c.json(pickFields(anime, q.fields) as Anime, 200);
};
