import { stem } from "../keyword/about";
import { normalise } from "../keyword/normalize";

/**
 * Words that say nothing about what an anime is about: English function words, request
 * fillers ("anime about", "show where"), and the words every synopsis uses. Shared by the
 * documents and the queries of the local embedder, so both drop the same words.
 */
const STOP = new Set(
  (
    "a an the and or but nor of to in on at by for with without from into onto over under about as is are was were be been being it its " +
    "this that these those who whom whose which what when where why how his her hers him he she they them their theirs we us our you your i me my " +
    "has have had having do does did not no so than then there here very just also too can could will would should may might must " +
    "anime show shows series movie film one some any all each every other another more most such only own same up down out off again once " +
    "get gets got make makes made go goes going become becomes find finds like after before while during until since through between against among within upon " +
    "himself herself themselves itself yet even still ever never now however though although because if whether both either neither many much few several " +
    "something someone anything anyone everything everyone nothing thing things way ways also around along"
  ).split(" "),
);

/**
 * The content words of a text, stemmed the way the keyword leg's about index matches them
 * ("robots" → robot, "sisters" → sist): normalised, at least three characters, not a stop
 * word or a number, in text order (repeats kept: they count).
 */
export function aboutWords(text: string): string[] {
  const out: string[] = [];
  for (const word of normalise(text).split(" ")) {
    if ([...word].length < 3 || STOP.has(word) || /^\d+$/.test(word)) continue;
    out.push(stem(word));
  }
  return out;
}
