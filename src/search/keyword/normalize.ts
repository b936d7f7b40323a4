/**
 * The search normal form, applied identically to indexed names and to queries so that
 * "Re:Zero", "rezero" and "re zero" meet: NFKC (full/half width), lower case, Latin
 * diacritics dropped (ō → o; the kana voicing marks of Japanese are kept, which is why this
 * is not a blanket "remove all marks"), apostrophes dropped (jojo's → jojos), every other
 * run of punctuation or symbols (":", "☆", "・", "!") → one space.
 */
const LATIN_WITH_MARKS = /(\p{Script=Latin})\p{M}+/gu;
const APOSTROPHES = /['’‘`´]/g;
const SEPARATORS = /[^\p{L}\p{N}]+/gu;
/** Romanised long vowels also spelled doubled or with u: Tōkyō → toukyou, Ōkami → ookami. */
const LONG_VOWELS: Record<string, string> = { ō: "ou", ô: "ou", ū: "uu", û: "uu", ā: "aa", â: "aa", ē: "ee", ê: "ee", ī: "ii", î: "ii" };
const LONG_VOWEL_RE = /[ōôūûāâēêīî]/g;

export function normalise(text: string): string {
  return text
    .normalize("NFKC")
    .toLowerCase()
    .replace(/×/g, " x ")
    .replace(APOSTROPHES, "")
    .normalize("NFD")
    .replace(LATIN_WITH_MARKS, "$1")
    .normalize("NFC")
    .replace(SEPARATORS, " ")
    .trim();
}

/** The normal form without spaces: what "rezero" and "Re:Zero" have in common. */
export function compact(text: string): string {
  return normalise(text).replace(/ /g, "");
}

/** Words of the normal form. */
export function words(text: string): string[] {
  const n = normalise(text);
  return n ? n.split(" ") : [];
}

/**
 * Normal forms a name is indexed under: the plain one and, when the name writes long
 * vowels with macrons or circumflexes, the spelled-out one (Tōkyō → tokyo, toukyou).
 */
export function nameForms(name: string): string[] {
  const plain = normalise(name);
  const lower = name.normalize("NFC").toLowerCase();
  if (!LONG_VOWEL_RE.test(lower)) return plain ? [plain] : [];
  LONG_VOWEL_RE.lastIndex = 0;
  const spelled = normalise(lower.replace(LONG_VOWEL_RE, (v) => LONG_VOWELS[v]));
  return [...new Set([plain, spelled].filter(Boolean))];
}

/** Adjacent word pairs run together ("re zero kara" → rezero, zerokara): finds "rezero". */
export function joinedPairs(normalised: string): string[] {
  const w = normalised.split(" ").filter(Boolean);
  const out: string[] = [];
  for (let i = 0; i + 1 < w.length; i++) out.push(w[i] + w[i + 1]);
  return out;
}

/** Character trigrams of a compact string (the whole string when shorter than 3). */
export function trigrams(s: string): string[] {
  const chars = [...s];
  if (chars.length < 3) return chars.length ? [chars.join("")] : [];
  const out: string[] = [];
  for (let i = 0; i + 3 <= chars.length; i++) out.push(chars[i] + chars[i + 1] + chars[i + 2]);
  return out;
}
