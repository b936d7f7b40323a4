import { createRoute, z, type RouteHandler } from "@hono/zod-openapi";
import type { AppEnv } from "../../context";
import { AnimeSchema, FieldsParam, pickFields, type Anime } from "../../catalog/anime-schema";
import { KNOWN_HOSTS, KNOWN_SITES, resolveSiteId, resolveSourceUrl } from "../../catalog/sources";
import { notFound, validationError } from "../../errors/api-error";
import { problemResponses } from "../../errors/problem-schema";
import { cachedList } from "../cached";
import { API_KEY_OR_ANONYMOUS } from "../../openapi/security";
import { meteredResponses } from "../../openapi/metered";

const LookupQuery = z
  .object({
    site: z
      .enum(KNOWN_SITES as [string, ...string[]], { error: `unknown site; supported: ${KNOWN_SITES.join(", ")}` })
      .optional()
      .openapi({ description: "Site name; use with `id`.", example: "anilist" }),
    id: z
      .string()
      .trim()
      .min(1)
      .max(200)
      .optional()
      .openapi({ description: "The anime's id on that site: a number, except anime-planet (a slug such as `cowboy-bebop`) and notify.moe (a short code). Leading zeros are ignored.", example: "1" }),
    url: z
      .string()
      .max(2048)
      .optional()
      .openapi({
        description:
          "Any URL of the anime's page on a supported site, as copied from a browser (alternative to site + id): http or https, with or without scheme or `www.`, " +
          "with a title slug or sub-page (`/anime/52991/Sousou_no_Frieren/reviews`), a query string or fragment, and legacy forms (`myanimelist.net/anime.php?id=1`, " +
          `\`anidb.net/a23\`, \`anisearch.com/anime/1572,cowboy-bebop\`). Hosts: ${KNOWN_HOSTS.join(", ")}.`,
        example: "https://myanimelist.net/anime/52991/Sousou_no_Frieren",
      }),
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
  operationId: "lookupAnime",
  security: API_KEY_OR_ANONYMOUS,
  summary: "Find an anime by another site's id or URL",
  description:
    "Cross-site resolution by any id the anime-offline-database lists: `?site=anilist&id=1`, `?site=animeplanet&id=cowboy-bebop`, or " +
    "`?url=https://kitsu.io/anime/1` (kitsu.io and kitsu.app are the same site). " +
    `Sites: ${KNOWN_SITES.join(", ")}. The input is normalised to the catalog's canonical source URL first: an unsupported site, a URL that is not an anime page ` +
    "or an id of the wrong form (letters where the site's ids are numbers) is a 400 `validation_failed` naming the parameter; a well-formed id the catalog lacks " +
    "is a 404. The response's Content-Location names the anime's own URL.",
  request: { query: LookupQuery },
  responses: {
    200: { description: "The anime.", content: { "application/json": { schema: AnimeSchema } } },
    ...problemResponses(400, 404),
    ...meteredResponses(),
  },
});

export const lookupAnime: RouteHandler<typeof lookupAnimeRoute, AppEnv> = async (c) => {
  const q = c.req.valid("query");
  const resolved = q.url !== undefined ? resolveSourceUrl(q.url) : resolveSiteId(q.site!, q.id!);
  if (!resolved.ok) {
    const param = q.url !== undefined ? "url" : resolved.refusal === "unsupported_site" ? "site" : "id";
    throw validationError([{ param, message: resolved.message }]);
  }
  const { site, siteId, url } = resolved.ref;
  const { value: anime } = await cachedList(c, "lookup", { site, siteId }, () => c.var.services.catalog.getBySource(site, siteId));
  if (!anime) throw notFound(`No anime known for ${site} id ${siteId} (${url}).`);
  c.header("Content-Location", `/v1/anime/${anime.id}`);
  return c.json(pickFields(anime, q.fields) as Anime, 200);
};
