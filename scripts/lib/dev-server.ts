import { spawn, spawnSync, type ChildProcess } from "node:child_process";
import { cpSync, mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { waitForServer } from "./search-index";

/**
 * A `wrangler dev` of its own for a benchmark, on a private state directory: a copy of the
 * local state (`copyState`) or an empty one with the migrations applied. Removed on stop.
 */
export async function startDevServer(opts: { port: number; vars?: string[]; copyState?: boolean; label: string }): Promise<{ base: string; stop: () => Promise<void> }> {
  const dir = mkdtempSync(join(tmpdir(), `kensho-${opts.label}-`));
  const env = { ...process.env, CI: "true" };
  if (opts.copyState) cpSync(".wrangler/state", dir, { recursive: true });
  else if (spawnSync("node_modules/.bin/wrangler", ["d1", "migrations", "apply", "DB", "--local", "--persist-to", dir], { stdio: "ignore", env }).status !== 0) {
    throw new Error(`${opts.label}: applying the migrations to a fresh state failed`);
  }
  // stdin stays open: wrangler dev quits when its stdin closes. wrangler itself, not npx: npx does not pass SIGTERM on.
  const child: ChildProcess = spawn("node_modules/.bin/wrangler", ["dev", "--ip", "127.0.0.1", "--port", String(opts.port), "--persist-to", dir, ...(opts.vars ?? []).flatMap((v) => ["--var", v])], { stdio: ["pipe", "pipe", "pipe"], env });
  child.stdout?.resume();
  child.stderr?.resume();
  const exited = new Promise((r) => child.once("exit", r));
  const base = `http://127.0.0.1:${opts.port}`;
  const stop = async () => {
    if (child.exitCode === null) child.kill("SIGTERM");
    const forced = setTimeout(() => child.kill("SIGKILL"), 10_000);
    await exited;
    clearTimeout(forced);
    rmSync(dir, { recursive: true, force: true });
  };
  try {
    await waitForServer(base, 120_000);
  } catch (err) {
    await stop();
    throw err;
  }
  return { base, stop };
}
