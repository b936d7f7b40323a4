import { afterEach, describe, expect, it, vi } from "vitest";
import { createLogger, type LogLevel } from "./logger";

afterEach(() => vi.restoreAllMocks());

/** Lines each console method received while `run` ran. */
function captured(run: () => void): { log: string[]; warn: string[]; error: string[] } {
  const out = { log: [] as string[], warn: [] as string[], error: [] as string[] };
  for (const m of ["log", "warn", "error"] as const) vi.spyOn(console, m).mockImplementation((line: unknown) => void out[m].push(String(line)));
  run();
  return out;
}

describe("Logger", () => {
  it("writes one JSON line per event with its level, event name, context and fields", () => {
    const out = captured(() => createLogger("info", { job: "weeklySync", run_id: "r1" }).warn("sync.step_failed", { attempts: 2 }));
    expect(out.warn.map((l) => JSON.parse(l))).toEqual([{ level: "warn", event: "sync.step_failed", job: "weeklySync", run_id: "r1", attempts: 2 }]);
    expect(out.warn[0]).not.toContain("\n");
  });

  it.each<[LogLevel, number, number, number]>([
    ["silent", 0, 0, 0],
    ["error", 0, 0, 1],
    ["warn", 0, 1, 1],
    ["info", 1, 1, 1],
  ])("LOG_LEVEL=%s writes %i info, %i warn and %i error lines", (level, info, warn, error) => {
    const out = captured(() => {
      const log = createLogger(level, { request_id: "x" });
      log.info("a");
      log.warn("b");
      log.error("c");
    });
    expect([out.log.length, out.warn.length, out.error.length]).toEqual([info, warn, error]);
  });
});
