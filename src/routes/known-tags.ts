import type { Catalog } from "../catalog/catalog";
import type { Filters } from "../catalog/filters";
import { nearestNames } from "../catalog/nearest";
import { validationError } from "../errors/api-error";

/**
 * Every tag of `tags` and `tags_exclude` must be one the catalog has (genre_count keeps every
 * tag ever stored): an unknown one is a 400 naming it and the nearest known tags, never an
 * empty 200 a client cannot tell from "nothing matched". Genres are checked by the schema
 * (a fixed list: catalog/filters.ts); tags need the catalog, so this runs in the handlers —
 * inside a cached route's loader, so a cache hit (a page built from valid filters under the
 * current generation) costs nothing. Returns the filters for chaining.
 */
export async function withKnownTags(catalog: Catalog, filters: Filters): Promise<Filters> {
  const params = [["tags", filters.tags ?? []], ["tags_exclude", filters.tags_exclude ?? []]] as const;
  const unknown = await catalog.unknownTags([...new Set(params.flatMap(([, tags]) => tags))]);
  if (unknown.length === 0) return filters;
  const known = (await catalog.tagCounts()).map((t) => t.name);
  throw validationError(
    params.flatMap(([param, tags]) =>
      tags
        .filter((t) => unknown.includes(t))
        .map((t) => {
          const near = nearestNames(t, known);
          return { param, message: `unknown tag "${t}"${near.length ? `; nearest: ${near.join(", ")}` : ""} (GET /v1/tags?prefix= lists the tags)` };
        }),
    ),
  );
}
