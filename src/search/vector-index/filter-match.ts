import { episodesFloor, type Filters } from "../../catalog/filters";
import { withAdultRule } from "../../catalog/adult";
import { tagConstraints } from "../../catalog/tag-constraints";
import type { VectorMetadata } from "./interface";

/**
 * The catalog filters as a predicate over vector metadata, with exactly the meaning of the
 * SQL in catalog/browse-query.ts (a NULL year or score never satisfies a range; genres and
 * tags: catalog/tag-constraints.ts over the metadata's `genres`, which holds the tags; studios: any of; names compared lower-cased; adult anime out unless include_adult,
 * catalog/adult.ts). Used by the local index to filter inside
 * its scan, and by adapters whose backend cannot express a filter natively.
 */
export function metadataPredicate(filters: Filters = {}): (m: VectorMetadata) => boolean {
  const f = withAdultRule(filters);
  const checks: ((m: VectorMetadata) => boolean)[] = [];
  const lower = (xs: string[]) => xs.map((x) => x.toLowerCase());
  if (!f.include_orphaned) checks.push((m) => m.system_status === "ACTIVE");
  if (f.type?.length) checks.push((m) => f.type!.includes(m.type as never));
  if (f.type_exclude?.length) checks.push((m) => !f.type_exclude!.includes(m.type as never));
  if (f.status?.length) checks.push((m) => f.status!.includes(m.status as never));
  if (f.season?.length) checks.push((m) => f.season!.includes(m.season as never));
  if (f.year_from !== undefined) checks.push((m) => m.year !== null && m.year >= f.year_from!);
  if (f.year_to !== undefined) checks.push((m) => m.year !== null && m.year <= f.year_to!);
  if (f.min_score !== undefined) checks.push((m) => m.score !== null && m.score >= f.min_score!);
  const episodesMin = episodesFloor(f);
  if (episodesMin !== undefined) checks.push((m) => m.episodes >= episodesMin);
  if (f.episodes_max !== undefined) checks.push((m) => m.episodes <= f.episodes_max!);
  if (f.updated_since !== undefined) {
    const since = Date.parse(f.updated_since);
    checks.push((m) => m.updated_at >= since);
  }
  const tags = tagConstraints(f);
  for (const group of tags.allOf) checks.push((m) => group.some((t) => m.genres.includes(t)));
  if (tags.noneOf.length) checks.push((m) => !tags.noneOf.some((t) => m.genres.includes(t)));
  if (f.studios?.length) {
    const any = lower(f.studios);
    checks.push((m) => any.some((s) => m.studios.includes(s)));
  }
  // The local index calls this once per vector per query: skip the loop in the common cases.
  if (checks.length === 0) return () => true;
  if (checks.length === 1) return checks[0];
  return (m) => checks.every((check) => check(m));
}
