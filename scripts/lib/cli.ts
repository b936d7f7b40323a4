/** Small helpers shared by the benchmark and maintenance scripts. */
import { existsSync, readFileSync, writeFileSync } from "node:fs";

/** The value after `--name` on the command line, or `fallback`. */
export function arg(name: string, fallback: string): string {
  const i = process.argv.indexOf(`--${name}`);
  return i > 0 && process.argv[i + 1] !== undefined ? process.argv[i + 1] : fallback;
}

export const BENCHMARKS_FILE = "docs/benchmarks.md";

/**
 * Replaces the `<!-- marker:start … -->…<!-- marker:end -->` section of docs/benchmarks.md
 * with `section` (which carries both markers), or appends it under `heading` the first time.
 * Text around the markers (findings written by hand) is kept.
 */
export function writeBenchmarkSection(marker: string, section: string, heading: string): void {
  const previous = existsSync(BENCHMARKS_FILE) ? readFileSync(BENCHMARKS_FILE, "utf8") : "# Benchmarks\n";
  const marked = new RegExp(`<!-- ${marker}:start[\\s\\S]*?<!-- ${marker}:end -->`);
  writeFileSync(BENCHMARKS_FILE, marked.test(previous) ? previous.replace(marked, section) : `${previous.trimEnd()}\n\n${heading}\n\n${section}\n`);
}
