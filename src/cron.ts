/**
 * Cron expressions as Cloudflare's Cron Triggers read them: five fields, UTC, minute 0–59,
 * hour 0–23, day of month 1–31 (also L, W), month 1–12 or JAN–DEC, day of week 1–7 with
 * 1 = Sunday or SUN–SAT (also L, #), with `*`, `,`, `-` and `/`. Unlike Unix cron, day of week
 * 0 does not exist: `0 3 * * 0` is refused at deploy, and `6` is Friday, not Saturday.
 */

interface Field {
  name: string;
  min: number;
  max: number;
  names?: string[];
  /** Extra forms the field takes besides numbers, names and * , - / (L, W, #). */
  extra?: RegExp;
}

const FIELDS: Field[] = [
  { name: "minute", min: 0, max: 59 },
  { name: "hour", min: 0, max: 23 },
  { name: "day of month", min: 1, max: 31, extra: /^(L|LW|\d{1,2}W)$/ },
  { name: "month", min: 1, max: 12, names: ["JAN", "FEB", "MAR", "APR", "MAY", "JUN", "JUL", "AUG", "SEP", "OCT", "NOV", "DEC"] },
  { name: "day of week", min: 1, max: 7, names: ["SUN", "MON", "TUE", "WED", "THU", "FRI", "SAT"], extra: /^(L|\d[L]|\d#[1-5])$/ },
];

/** A value of a field: a number in range or a name, as the number it stands for; null when neither. */
function valueOf(token: string, f: Field): number | null {
  const named = f.names?.indexOf(token) ?? -1;
  if (named >= 0) return named + 1;
  if (!/^\d{1,2}$/.test(token)) return null;
  const n = Number(token);
  return n >= f.min && n <= f.max ? n : null;
}

/** One comma-separated part of a field (`*`, `5`, `MON-FRI`, `*\/10`, `1-31/2`), canonical; null when malformed. */
function canonicalPart(part: string, f: Field): string | null {
  if (f.extra?.test(part)) {
    // The number in 5L, 6#2 (a weekday) or 15W (a day of the month) must be in the field's range.
    const day = /^(\d{1,2})([LW#].*)$/.exec(part);
    if (day && valueOf(day[1], f) === null) return null;
    return part;
  }
  const [range, step, ...rest] = part.split("/");
  if (rest.length > 0) return null;
  if (step !== undefined && !/^\d{1,2}$/.test(step)) return null;
  if (step !== undefined && (Number(step) < 1 || Number(step) > f.max)) return null;
  let base: string | null;
  if (range === "*") base = "*";
  else {
    const ends = range.split("-");
    if (ends.length > 2) return null;
    const values = ends.map((e) => valueOf(e, f));
    if (values.some((v) => v === null)) return null;
    if (values.length === 2 && values[0]! > values[1]!) return null;
    base = values.join("-");
  }
  return step === undefined ? base : `${base}/${Number(step)}`;
}

/**
 * The expression in one canonical spelling (upper case, names as numbers, single spaces), so
 * that `0 1 * * SAT`, `0 1 * * sat` and `0  1 * * 7` are one schedule; null when Cloudflare
 * would refuse it. `problems` receives what is wrong.
 */
export function canonicalCron(expression: string, problems: string[] = []): string | null {
  const fields = expression.trim().toUpperCase().split(/\s+/);
  if (fields.length !== 5) {
    problems.push(`"${expression}": ${fields.length} fields, Cloudflare takes 5 (minute hour day-of-month month day-of-week)`);
    return null;
  }
  const out: string[] = [];
  fields.forEach((field, i) => {
    const f = FIELDS[i];
    const parts = field.split(",").map((p) => canonicalPart(p, f));
    if (parts.some((p) => p === null)) {
      const hint = f.name === "day of week" ? " (1–7 with 1 = Sunday, or SUN–SAT)" : ` (${f.min}–${f.max}${f.names ? ` or ${f.names[0]}–${f.names.at(-1)}` : ""})`;
      problems.push(`"${expression}": ${f.name} "${field}" is outside Cloudflare's syntax${hint}`);
    } else out.push(parts.join(","));
  });
  return out.length === 5 ? out.join(" ") : null;
}
