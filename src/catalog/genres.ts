/**
 * The one mapping from the data's tags to Kensho's genres.
 *
 * The anime-offline-database has no genre field: each entry carries the tags of the sites
 * that list it (~3,000 distinct, lower-case, several spellings of one idea: "sci-fi",
 * "sci fi", "science fiction", "science-fiction"). `genres` is the short list people browse
 * by, in one capitalisation; an anime has a genre when it has any of the genre's tags.
 * Every tag stays available as `tags` (and the `tags` filter) in the data's own spelling.
 *
 * Contract: the genre names below are the API's genre vocabulary (filters answer 400 for any
 * other); the tag lists are lower-case keys as anime_genre stores them. Changing a list
 * changes every read at once (genres are derived on read, never stored), so no re-import.
 * MyAnimeList's genre names (enriched entries: "Sci-Fi", "Slice of Life", "Boys Love") are
 * tags of the same spelling, so they map here too.
 */
export const GENRE_TAGS = {
  Action: ["action", "action comedy", "action drama", "martial arts", "swordplay", "gunfights", "fighting"],
  Adventure: ["adventure", "adventure comedy", "space adventure"],
  "Avant Garde": ["avant garde", "avant-garde", "abstract"],
  "Boys Love": ["boys love", "boys' love", "shounen ai", "shounen-ai", "yaoi", "unrequited shounen ai"],
  Comedy: [
    "comedy", "slapstick", "parody", "romantic comedy", "surreal comedy", "verbal comedy", "absurdist humour", "action comedy",
    "adventure comedy", "nonsense-comedy", "slice of life comedy", "dark comedy", "horror comedy", "sketch comedy",
  ],
  Drama: [
    "drama", "tragedy", "melodrama", "psychological drama", "supernatural drama", "slice of life drama", "action drama",
    "romantic drama", "sentimental drama",
  ],
  Ecchi: ["ecchi"],
  Fantasy: ["fantasy", "contemporary fantasy", "urban fantasy", "dark fantasy", "high fantasy", "epic fantasy", "fantasy world", "magic", "science and magic coexist"],
  "Girls Love": ["girls love", "girls' love", "yuri", "shoujo ai", "shoujo-ai", "unrequited shoujo ai"],
  Gourmet: ["gourmet", "cooking", "food", "food and beverage", "food preparation"],
  Harem: ["harem", "female harem", "reverse harem", "male harem"],
  Hentai: ["hentai"],
  Historical: [
    "historical", "sengoku period", "edo period", "bakumatsu - meiji period", "bakumatsu meiji period", "tokugawa period", "heian period",
    "taishou period", "muromachi period", "kamakura period", "victorian period",
  ],
  Horror: ["horror", "body horror", "cosmic horror", "survival horror", "eco-horror", "horror comedy"],
  Idols: ["idol", "idols", "idols (female)", "idols (male)", "male idols"],
  Isekai: ["isekai", "person in a strange world", "transported into a novel"],
  Kids: ["kids", "kodomo"],
  "Magical Girl": ["magical girl", "magical girls", "mahou shoujo"],
  "Martial Arts": ["martial arts", "martial arts school"],
  Mecha: ["mecha", "piloted robot", "super robot", "super robots", "real robot", "real robots", "transforming mecha", "combining mecha", "giant robot", "giant robots"],
  Military: ["military", "war", "military school"],
  Music: ["music", "band", "bands", "musical band", "rock music", "classical music", "musical", "musical theater"],
  Mystery: ["mystery", "detective", "detectives"],
  Psychological: ["psychological", "psychological drama", "psychological thriller"],
  Romance: ["romance", "romantic comedy", "romantic drama", "love triangle", "love polygon", "mature romance", "first love"],
  School: ["school", "school life", "high school", "middle school", "elementary school", "school club", "school clubs"],
  "Sci-Fi": ["sci-fi", "science fiction", "sci fi", "science-fiction", "cyberpunk", "space opera", "hard science fiction", "soft science fiction"],
  "Slice of Life": ["slice of life", "daily life", "iyashikei", "cute girls doing cute things", "slice of life drama", "slice of life comedy"],
  Space: ["space", "outer space", "space opera", "space travel", "space battles"],
  Sports: [
    "sports", "team sports", "team sport", "baseball", "basketball", "soccer", "football", "association football", "american football",
    "tennis", "table tennis", "volleyball", "swimming", "boxing", "motorsport", "racing", "combat sport", "combat sports", "cycling",
    "golf", "ice skating", "figure skating",
  ],
  Supernatural: ["supernatural", "supernatural drama", "ghost", "youkai"],
  Thriller: ["thriller", "suspense", "supernatural thriller", "psychological thriller", "political thriller", "espionage thriller", "spy thriller"],
} as const satisfies Record<string, readonly string[]>;

export type Genre = keyof typeof GENRE_TAGS;
/** The genre vocabulary, alphabetical. */
export const GENRES = Object.keys(GENRE_TAGS).sort() as Genre[];

const GENRES_BY_TAG = new Map<string, Genre[]>();
for (const genre of GENRES) {
  for (const tag of GENRE_TAGS[genre]) GENRES_BY_TAG.set(tag, [...(GENRES_BY_TAG.get(tag) ?? []), genre]);
}

/** The genres of an anime with these tags (any case), in GENRES order. */
export function genresOf(tags: readonly string[]): Genre[] {
  const found = new Set<Genre>();
  for (const tag of tags) for (const genre of GENRES_BY_TAG.get(tag.toLowerCase()) ?? []) found.add(genre);
  return GENRES.filter((g) => found.has(g));
}

/** A name reduced to its letters and digits, lower-cased: "Slice-of-Life", "slice of life" → "sliceoflife". */
export const looseKey = (name: string) => name.toLowerCase().replace(/[^\p{L}\p{N}]+/gu, "");

const GENRE_BY_KEY = new Map<string, Genre>(GENRES.map((g) => [looseKey(g), g]));

/** The genre this input names (any case, spacing or punctuation: "sci fi", "SLICE_OF_LIFE"), or undefined. */
export function genreNamed(input: string): Genre | undefined {
  return GENRE_BY_KEY.get(looseKey(input));
}

/** The tag keys that give an anime `genre`; none for a name that is not a genre (so a filter wanting it matches nothing). */
export function tagsOfGenre(genre: Genre): readonly string[] {
  return (GENRE_TAGS as Record<string, readonly string[]>)[genre] ?? [];
}
