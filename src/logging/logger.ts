/** How much is logged: `silent` nothing, `error` failures, `warn` also degradations, `info` everything. */
export type LogLevel = "silent" | "error" | "warn" | "info";

const RANK: Record<LogLevel, number> = { silent: 0, error: 1, warn: 2, info: 3 };

/**
 * Structured logs: one JSON line per event, `{ level, event, …context, …fields }`, where the
 * context names what is running (`request_id` for a request, `job` and `run_id` for a cron,
 * a sync step or a script). Built once per request or job by the composition root
 * (src/services.ts); nothing else writes to the console. Callers pass facts, never
 * credentials, headers or query strings.
 */
export interface Logger {
  readonly level: LogLevel;
  info(event: string, fields?: Record<string, unknown>): void;
  warn(event: string, fields?: Record<string, unknown>): void;
  error(event: string, fields?: Record<string, unknown>): void;
}

/** What a thrown value says, for a log field (no stack: logs are for operators, not a debugger). */
export const messageOf = (err: unknown): string => (err instanceof Error ? err.message : String(err));

export function createLogger(level: LogLevel, context: Record<string, unknown> = {}): Logger {
  const line = (at: Exclude<LogLevel, "silent">, write: (s: string) => void) => (event: string, fields?: Record<string, unknown>) => {
    if (RANK[at] <= RANK[level]) write(JSON.stringify({ level: at, event, ...context, ...fields }));
  };
  return {
    level,
    info: line("info", (s) => console.log(s)),
    warn: line("warn", (s) => console.warn(s)),
    error: line("error", (s) => console.error(s)),
  };
}
