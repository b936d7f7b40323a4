import type { Anime } from "../../catalog/anime-schema";
import { MAX_YEAR, MIN_YEAR } from "./clean";
import type { QueryFilters } from "./interface";

/** A title a query compared with, and the anime the route found for it (null: none found). */
export interface ComparedTitle {
  title: string;
  anime: Pick<Anime, "title" | "season"> | null;
}

/**
 * "newer than X" / "like X but newer" → year_from X's year + 1; "older than X" → year_to
 * X's year − 1; intersected with the years the query named itself. When the two contradict
 * ("from the 90s, newer than Frieren") the comparison wins and the other bound goes, with a
 * note. Never invents a year: a title not found, or an anime without a year, adds a note
 * saying so and no bound. Returns new filters; notes are appended to `notes`.
 */
export function relativeYears(filters: QueryFilters, compared: { newer?: ComparedTitle; older?: ComparedTitle }, notes: string[]): QueryFilters {
  const out = { ...filters };
  for (const direction of ["newer", "older"] as const) {
    const c = compared[direction];
    if (!c) continue;
    const year = c.anime?.season.year;
    if (!c.anime) {
      notes.push(`"${c.title}" was not found: no "${direction} than" year applied`);
      continue;
    }
    if (typeof year !== "number") {
      notes.push(`${c.anime.title} has no known year: no "${direction} than" year applied`);
      continue;
    }
    const bound = direction === "newer" ? year + 1 : year - 1;
    if (bound < MIN_YEAR || bound > MAX_YEAR) {
      notes.push(`nothing can be ${direction} than ${c.anime.title} (${year}): no year applied`);
      continue;
    }
    if (direction === "newer") {
      out.year_from = Math.max(out.year_from ?? bound, bound);
      if (out.year_to !== undefined && out.year_to < out.year_from) {
        notes.push(`years up to ${out.year_to} dropped: they end before ${c.anime.title}`);
        delete out.year_to;
      }
      notes.push(`newer than ${c.anime.title} (${year}) → years ${out.year_from} onwards`);
    } else {
      out.year_to = Math.min(out.year_to ?? bound, bound);
      if (out.year_from !== undefined && out.year_from > out.year_to) {
        notes.push(`years from ${out.year_from} dropped: they start after ${c.anime.title}`);
        delete out.year_from;
      }
      notes.push(`older than ${c.anime.title} (${year}) → years up to ${out.year_to}`);
    }
  }
  return out;
}
