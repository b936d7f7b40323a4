/**
 * "Did you mean": the known names closest to an unknown one, for 400 problems that name the
 * value and its nearest known neighbours. Closeness: a known name that starts with the input
 * (or the input with it) first, then the smallest edit distance (insert, delete, substitute,
 * swap two neighbours) between lower-cased names; ties keep the candidates' order (callers
 * pass the most used first). Inputs are capped at 100 characters by the filter schemas.
 */
export function nearestNames(input: string, candidates: readonly string[], n = 3): string[] {
  const x = input.toLowerCase().trim();
  const ranked = candidates.map((name, i) => {
    const y = name.toLowerCase();
    const prefix = x.length >= 2 && (y.startsWith(x) || x.startsWith(y));
    return { name, i, d: prefix ? -1 : editDistance(x, y, MAX_DISTANCE) };
  });
  return ranked
    .filter((r) => r.d <= MAX_DISTANCE)
    .sort((a, b) => a.d - b.d || a.i - b.i)
    .slice(0, n)
    .map((r) => r.name);
}

/** Beyond this many edits a name is not "near". */
const MAX_DISTANCE = 3;

/** Optimal-string-alignment distance, stopping early once every cell exceeds `cap` (returns cap + 1). */
export function editDistance(a: string, b: string, cap = Infinity): number {
  if (Math.abs(a.length - b.length) > cap) return cap + 1;
  let prev2: number[] = [];
  let prev = Array.from({ length: b.length + 1 }, (_, j) => j);
  for (let i = 1; i <= a.length; i++) {
    const row = [i];
    let best = i;
    for (let j = 1; j <= b.length; j++) {
      const cost = a[i - 1] === b[j - 1] ? 0 : 1;
      let d = Math.min(prev[j] + 1, row[j - 1] + 1, prev[j - 1] + cost);
      if (i > 1 && j > 1 && a[i - 1] === b[j - 2] && a[i - 2] === b[j - 1]) d = Math.min(d, prev2[j - 2] + 1);
      row.push(d);
      best = Math.min(best, d);
    }
    if (best > cap) return cap + 1;
    prev2 = prev;
    prev = row;
  }
  return prev[b.length];
}
