import type { Filters, Sort } from "../../catalog/filters";

/** The filters a natural-language query can set: a subset of the browse filters, same meaning. */
export type QueryFilters = Pick<Filters, "type" | "type_exclude" | "status" | "year_from" | "year_to" | "season" | "genres" | "genres_exclude" | "tags" | "tags_exclude" | "min_score" | "episodes_min" | "episodes_max">;

/** The browse sort keys a query can ask for in words: "best" → score, "popular" → popularity. */
export const QUERY_SORTS = ["score", "popularity"] as const satisfies readonly Sort[];
export type QuerySort = (typeof QUERY_SORTS)[number];

/**
 * What a natural-language query was understood to mean. `text` is what is left to search
 * for ("" when the query was only filters); `similar_to` is the title named by "like <title>"
 * (the route resolves it to an anime and lists its neighbours); `newer_than` / `older_than`
 * are titles named by "newer than <title>", "like <title> but older" … (the route resolves
 * each to an anime and turns its year into year_from / year_to: a parser never guesses a
 * year for a title); `sort` is the order asked for in words (null: none); `notes` are short
 * human sentences saying what each recognised phrase became, shown to the caller as-is.
 */
export interface QueryInterpretation {
  /** Which parser produced this reading (a Workers AI parser that fell back says "local"). */
  backend: "local" | "workers-ai";
  text: string;
  filters: QueryFilters;
  similar_to: string | null;
  newer_than: string | null;
  older_than: string | null;
  sort: QuerySort | null;
  notes: string[];
}

/**
 * Context a parser may use: the genre names (catalog/genres.ts) then the catalog's tag names,
 * so "no ecchi" maps to a genre and "time travel" to a real tag. cleanFilters sorts the names
 * found into genre and tag filters.
 */
export interface QueryVocabulary {
  genres: string[];
}

/**
 * Natural language → interpretation. Adapters: Workers AI (a text model held to a JSON
 * schema) and local (a deterministic phrase parser). Contract: never throws for any input
 * string (1–500 characters); unknown words stay in `text`; filters it returns are valid for
 * the browse filter schema (years 1907–2100, score 0–10, known enum values, year_from ≤ year_to).
 */
export interface QueryParser {
  readonly backend: "local" | "workers-ai";
  parse(query: string, vocabulary: QueryVocabulary): Promise<QueryInterpretation>;
}

/** An interpretation that understood nothing: the query's words are the search text. */
export const plainReading = (backend: QueryInterpretation["backend"], text: string, notes: string[] = []): QueryInterpretation => ({
  backend,
  text,
  filters: {},
  similar_to: null,
  newer_than: null,
  older_than: null,
  sort: null,
  notes,
});
