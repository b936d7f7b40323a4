import { DurableObject } from "cloudflare:workers";
import { buildServices, collectingScope, type Services } from "../services";
import { messageOf } from "../logging/logger";
import type { SyncRunRow } from "./engine";

/** Wall time one alarm spends on a run before handing on to the next alarm. */
const STEP_BUDGET_MS = 20_000;
/** Consecutive failures of one step before the run is given up as failed. */
const MAX_ATTEMPTS = 5;

/**
 * The driver of sync runs: one instance ("sync") whose alarm steps the running run until
 * it is done, each alarm within STEP_BUDGET_MS so no invocation nears the Workers limits.
 * A failed step is retried with backoff (1 s, 2 s, 4 s, …) from the last committed chunk;
 * after MAX_ATTEMPTS the run is marked failed. The run lock itself lives in D1 (SyncEngine),
 * so it also holds against any other caller.
 */
export class SyncObject extends DurableObject<Env> {
  /**
   * Runs `work` with this call's services, then waits for what they deferred (the cache
   * invalidator's second delete): a Durable Object's own waitUntil does not keep an alarm
   * open, so the call itself must not end before that work does.
   */
  private async withServices<T>(runId: number | undefined, work: (s: Services) => Promise<T>): Promise<T> {
    const scope = collectingScope();
    const s = buildServices(this.env, scope, { context: { job: "sync", ...(runId === undefined ? {} : { sync_run: runId }) } });
    try {
      return await work(s);
    } finally {
      await scope.settled();
    }
  }

  async start(trigger: string, source: string): Promise<{ run: SyncRunRow; started: boolean }> {
    const result = await this.withServices(undefined, (s) => s.syncEngine().begin(trigger, source));
    // A run started but not driven (its pointer lost) is taken over, not left to its TTL.
    if (result.started || this.ctx.storage.kv.get<number>("run") !== result.run.id) {
      this.ctx.storage.kv.put("run", result.run.id);
      this.ctx.storage.kv.put("attempts", 0);
      await this.ctx.storage.setAlarm(Date.now());
    }
    return result;
  }

  async alarm(): Promise<void> {
    const id = this.ctx.storage.kv.get<number>("run");
    if (id === undefined) return;
    await this.withServices(id, (s) => this.step(s, id));
  }

  /** One step of run `id`; a failure is retried with backoff, then gives the run up. */
  private async step(s: Services, id: number): Promise<void> {
    const engine = s.syncEngine();
    try {
      const more = await engine.step(id, STEP_BUDGET_MS);
      this.ctx.storage.kv.put("attempts", 0);
      if (more) await this.ctx.storage.setAlarm(Date.now());
      else if (this.ctx.storage.kv.get<number>("run") === id) this.ctx.storage.kv.delete("run"); // not a run started meanwhile
    } catch (err) {
      const attempts = (this.ctx.storage.kv.get<number>("attempts") ?? 0) + 1;
      const message = messageOf(err);
      s.log.warn("sync.step_failed", { attempts, message });
      if (attempts >= MAX_ATTEMPTS) {
        await engine.fail(id, `gave up after ${attempts} failed attempts: ${message}`);
        if (this.ctx.storage.kv.get<number>("run") === id) this.ctx.storage.kv.delete("run");
        return;
      }
      this.ctx.storage.kv.put("attempts", attempts);
      await this.ctx.storage.setAlarm(Date.now() + 1000 * 2 ** (attempts - 1));
    }
  }
}
