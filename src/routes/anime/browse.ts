import { withKnownTags } from "../known-tags";
import { createRoute, type RouteHandler } from "@hono/zod-openapi";
import type { AppEnv } from "../../context";
import { AnimeListSchema, pickFields, type Anime } from "../../catalog/anime-schema";
import { problemResponses } from "../../errors/problem-schema";
import { BrowseQuery, filtersOf } from "./params";
import { DEFAULT_ORDER } from "../../catalog/filters";
import { cachedList, storedJson } from "../cached";
import { API_KEY_OR_ANONYMOUS } from "../../openapi/security";
import { meteredResponses } from "../../openapi/metered";

export const browseAnimeRoute = createRoute({
  method: "get",
  path: "/anime",
  tags: ["Anime"],
  operationId: "browseAnime",
  security: API_KEY_OR_ANONYMOUS,
  summary: "Browse the catalog with filters",
  description:
    "Filters combine with AND. Cursor pagination: pass `next_cursor` back as `cursor` with the same filters and sort; a walk never repeats or skips an entry, even while entries are added. Orphaned entries are hidden unless include_orphaned=true; adult anime (tagged `hentai`) unless include_adult=true. Use sort=updated&order=asc with updated_since to sync incrementally.",
  request: { query: BrowseQuery },
  responses: {
    200: { description: "A page of anime.", content: { "application/json": { schema: AnimeListSchema } } },
    ...problemResponses(400),
    ...meteredResponses(),
  },
});

export const browseAnime: RouteHandler<typeof browseAnimeRoute, AppEnv> = async (c) => {
  const q = c.req.valid("query");
  // The default order is filled in, so ?sort=score and ?sort=score&order=desc share a key.
  const cached = await cachedList(c, "browse", { ...q, order: q.order ?? DEFAULT_ORDER[q.sort] }, async () => c.var.services.catalog.browse(await withKnownTags(c.var.services.catalog, filtersOf(q)), q));
  // The stored page is {data, next_cursor}: sent as it is unless a projection applies.
  if (!q.fields) return storedJson<{ data: Anime[]; next_cursor: string | null }>(c, cached);
  const page = cached.value;
  return c.json({ data: page!.data.map((a) => pickFields(a, q.fields) as Anime), next_cursor: page!.next_cursor }, 200);
};
