import { aboutWords } from "./about-words";

/**
 * Plain words for what the catalog's tags name otherwise: a description says "giant robots",
 * the tags say "mecha". Each phrase of a query (matched on its stemmed content words, so
 * "giant robots" and "giant robot" both match) adds the words of its tags to what the query
 * is about. Fixed and small: only phrases whose tag does not already share their words.
 */
const CONCEPTS: [phrases: string[], tags: string[]][] = [
  [["giant robot", "giant robots", "robot pilot", "pilots a robot", "mech", "mechs", "mobile suit", "battle robot"], ["mecha"]],
  [["magic girl", "magical girls", "girl transforms", "transforming girl"], ["magical girl", "mahou shoujo"]],
  [["another world", "other world", "fantasy world", "parallel world", "summoned to another world", "reborn", "reincarnated"], ["isekai", "reincarnation"]],
  [["high school", "highschool", "classmate", "classmates", "student", "students"], ["school"]],
  [["funny", "hilarious", "gag", "jokes", "silly"], ["comedy"]],
  [["scary", "terrifying", "creepy", "frightening"], ["horror"]],
  [["love story", "falls in love", "in love", "romantic", "dating", "girlfriend", "boyfriend", "crush"], ["romance"]],
  [["outer space", "spaceship", "starship", "galaxy", "galactic", "astronaut", "planet", "planets"], ["space"]],
  [["apocalypse", "end of the world", "wasteland", "ruined world"], ["post-apocalyptic"]],
  [["swordsman", "swordsmen", "sword fighting", "katana", "swords"], ["swordplay"]],
  [["feudal japan", "edo", "shogun", "sengoku", "ronin"], ["samurai", "historical"]],
  [["murder", "murders", "whodunit", "solves cases", "crime solving"], ["mystery", "detective"]],
  [["haunted", "spirits"], ["ghost", "supernatural"]],
  [["devil", "devils", "demonic"], ["demon"]],
  [["cute girls", "moe"], ["cute girls doing cute things"]],
  [["everyday life", "daily life", "ordinary life", "relaxing", "calm", "healing"], ["slice of life", "iyashikei"]],
  [["baseball", "soccer", "football", "basketball", "volleyball", "tennis", "swimming", "boxing", "cycling", "athlete", "athletes", "team"], ["sports"]],
  [["kung fu", "karate", "fighting tournament", "fighter", "fighters"], ["martial arts"]],
  [["superpower", "superpowers", "super powers", "psychic", "psychics", "esper", "espers", "telekinesis"], ["super power", "psi-powers"]],
  [["witch", "witches", "wizard", "wizards", "sorcerer", "sorceress", "mage", "mages", "spell", "spells"], ["magic"]],
  [["soldier", "soldiers", "army", "battlefield", "war"], ["military"]],
  [["hacker", "hackers", "cyborg", "cyborgs", "megacity"], ["cyberpunk"]],
  [["pop star", "pop idol", "singer", "singers"], ["idol", "music"]],
  [["band", "guitar", "rock band", "concert"], ["music"]],
  [["chef", "chefs", "food", "restaurant", "recipe"], ["cooking"]],
  [["time traveler", "time travelers", "time machine", "time loop", "back in time"], ["time travel"]],
  [["video game", "mmorpg", "vrmmo", "trapped in a game", "virtual reality"], ["virtual world", "game"]],
  [["sad", "tearjerker", "tragic", "heartbreaking"], ["tragedy", "drama"]],
  [["gory", "bloody", "brutal"], ["gore", "violence"]],
  [["giant monster", "giant monsters", "godzilla"], ["kaiju"]],
  [["gay", "boys love"], ["boys' love"]],
  [["lesbian", "girls love"], ["yuri"]],
  [["vampires"], ["vampire"]],
  [["zombies", "undead"], ["zombie"]],
];

/** Each phrase as stems, with the stems its tags add. */
const TABLE: { phrase: string[]; adds: string[] }[] = CONCEPTS.flatMap(([phrases, tags]) => {
  const adds = [...new Set(tags.flatMap(aboutWords))];
  return phrases.map((p) => ({ phrase: aboutWords(p), adds })).filter((c) => c.phrase.length > 0);
});

/** The tag words the concepts named in `words` (a query's aboutWords) add, each once, none the query already has. */
export function conceptWords(words: string[]): string[] {
  const have = new Set(words);
  const out = new Set<string>();
  for (const { phrase, adds } of TABLE) {
    for (let i = 0; i + phrase.length <= words.length; i++) {
      if (phrase.every((w, j) => words[i + j] === w)) {
        for (const a of adds) if (!have.has(a)) out.add(a);
        break;
      }
    }
  }
  return [...out];
}
