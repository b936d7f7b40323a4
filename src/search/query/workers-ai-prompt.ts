import { z } from "zod";
import { ANIME_STATUSES, ANIME_TYPES, SEASONS } from "../../catalog/vocabulary";
import { MAX_YEAR, MIN_YEAR } from "./clean";
import { isUsableGenreName } from "./genre-names";
import { QUERY_SORTS, type QueryVocabulary } from "./interface";
import { HIGHLY_RATED_SCORE, LONG_MIN_EPISODES, SHORT_MAX_EPISODES } from "./local-rules";

/**
 * What the Workers AI query parser sends and what it accepts back: the system prompt, the JSON
 * schema given as `response_format` (JSON mode), and the zod schema the answer must pass.
 * The conventions ("highly rated" = 8 and sort by score, "best" = sort by score only,
 * "popular" = sort by popularity, "short" ≤ 13 episodes, "newer than <title>" = a title the
 * server dates …) are the local parser's (local-rules*.ts), so both backends mean the same by
 * the same words and produce the same kinds of output.
 */

/** Genre names in the prompt: enough for every common genre, few enough to keep the prompt small (the catalog lists them most-used first). */
export const MAX_PROMPT_GENRES = 300;
const MAX_PROMPT_GENRE_CHARS = 4000;

// "UNKNOWN"/"UNDEFINED" are catalog bookkeeping values nobody asks for in words.
const askable = <T extends string>(values: readonly T[]) => values.filter((v) => v !== "UNKNOWN" && v !== "UNDEFINED");
const TYPES = askable(ANIME_TYPES);
const STATUSES = askable(ANIME_STATUSES);
const SEASON_VALUES = askable(SEASONS);

/** The first usable vocabulary names, within the prompt budget. */
export function promptGenres(vocabulary: QueryVocabulary): string[] {
  const out: string[] = [];
  let chars = 0;
  for (const name of new Set(Array.isArray(vocabulary?.genres) ? vocabulary.genres : [])) {
    if (!isUsableGenreName(name)) continue;
    if (out.length >= MAX_PROMPT_GENRES || chars + name.length + 2 > MAX_PROMPT_GENRE_CHARS) break;
    out.push(name);
    chars += name.length + 2;
  }
  return out;
}

/** The system message: today's date, the filters, their allowed values and the genre list. */
export function systemPrompt(genres: readonly string[], now: Date): string {
  const year = now.getUTCFullYear();
  return [
    `You turn a request for anime into search filters. Today is ${now.toISOString().slice(0, 10)} (year ${year}).`,
    "Answer with one JSON object. Leave out every filter the request does not ask for.",
    '- text: the words of the request that no filter and no similar_to covers, without filler ("anime", "show me", "some", "with", "about", "a", "the", "please"); "" when nothing is left.',
    '- similar_to: the title named after "like" or "similar to", as written, whole even when a word of it is a genre ("like Space Dandy"); "" when none.',
    `- type / type_exclude: any of ${TYPES.join(", ")} ("movie"/"film" = MOVIE, "show"/"series" = TV; "no movies" = type_exclude MOVIE).`,
    `- status: any of ${STATUSES.join(", ")} ("airing"/"ongoing" = ONGOING, "completed" = FINISHED).`,
    `- season: any of ${SEASON_VALUES.join(", ")} ("autumn" = FALL).`,
    `- year_from, year_to: inclusive years ${MIN_YEAR}–${MAX_YEAR}. "90s" = 1990–1999; "around 2010" = 2008–2012; "before 2000"/"pre-2000" = year_to 1999; "after 2015"/"newer than 2015" = year_from 2016; "since 2015"/"from 2015 onwards" = year_from 2015; "recent"/"new" = year_from ${year - 2}.`,
    '- newer_than / older_than: the title named by "newer than <title>" / "older than <title>", as written; "like <title> but newer" (or ", newer", "but older") sets similar_to and newer_than (older_than) to that title. Never turn a title into years yourself: the server looks the title up and uses its year. "" when none.',
    `- min_score: 0–10 ("rated above 8" = 8; "highly rated", "with high scores", "well rated", "acclaimed" = ${HIGHLY_RATED_SCORE}). Not for "best", "top rated", "highest rated", "greatest": those only sort.`,
    `- sort: one of ${QUERY_SORTS.join(", ")}. score for "best", "top rated", "highest rated", "greatest", "highly rated", "with high scores", "well rated"; popularity for "popular", "most popular", "well known", "famous". The first one named wins. Leave out when the request names no order.`,
    `- episodes_min, episodes_max: "short"/"not too long" = episodes_max ${SHORT_MAX_EPISODES}; "long" = episodes_min ${LONG_MIN_EPISODES}; "under 12 episodes" = episodes_max 11. ("short episodes" is a tag, not a count.)`,
    '- genres (the anime must have all of them) and genres_exclude ("without romance", "no ecchi", "not horror"): only names from the genre list below (genres, then tags), spelled exactly as there; prefer a genre to a tag that means the same ("giant robots" = Mecha, "science fiction" = Sci-Fi, "yaoi" = Boys Love). A word that is part of a title is not a genre ("Sword Art Online", "Tokyo Ghoul", "Demon Slayer" stay in text). A genre word not in the list stays in text.',
    '- notes: one short sentence per filter you set, like "\\"90s\\" → years 1990–1999" or "\\"best\\" → sort by score".',
    `Genre list: ${genres.length ? genres.join(", ") : "(none)"}`,
  ].join("\n");
}

const enumArray = (values: readonly string[]) => ({ type: "array", items: { type: "string", enum: values } });
const stringArray = { type: "array", items: { type: "string" } };

/** JSON Schema for `response_format: { type: "json_schema", json_schema }`. */
export const ANSWER_JSON_SCHEMA = {
  type: "object",
  properties: {
    text: { type: "string" },
    similar_to: { type: "string" },
    type: enumArray(TYPES),
    type_exclude: enumArray(TYPES),
    status: enumArray(STATUSES),
    season: enumArray(SEASON_VALUES),
    year_from: { type: "integer" },
    year_to: { type: "integer" },
    min_score: { type: "number" },
    episodes_min: { type: "integer" },
    episodes_max: { type: "integer" },
    sort: { type: "string", enum: QUERY_SORTS },
    newer_than: { type: "string" },
    older_than: { type: "string" },
    genres: stringArray,
    genres_exclude: stringArray,
    notes: stringArray,
  },
  required: ["text"],
} as const;

// Models write null for "not set" now and then; that is absence, not a mismatch.
const names = z.array(z.string()).max(50).nullish();
const num = z.number().nullish();

/**
 * The answer's shape. Shape errors (not an object, no text, a year as words) mean the model
 * did not follow the schema and the fallback parser answers; out-of-range values and unknown
 * genres are repaired by cleanFilters instead.
 */
export const ModelAnswer = z.object({
  text: z.string(),
  similar_to: z.string().nullish(),
  type: names,
  type_exclude: names,
  status: names,
  season: names,
  year_from: num,
  year_to: num,
  min_score: num,
  episodes_min: num,
  episodes_max: num,
  // Checked by cleanSort: an unknown key is dropped with a note, not a reason to fall back.
  sort: z.string().nullish(),
  newer_than: z.string().nullish(),
  older_than: z.string().nullish(),
  genres: names,
  genres_exclude: names,
  notes: names,
});
export type ModelAnswer = z.infer<typeof ModelAnswer>;
