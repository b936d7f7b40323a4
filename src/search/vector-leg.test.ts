import { describe, expect, it } from "vitest";
import { vectorLeg } from "./vector-leg";
import type { Embedder } from "./embedder/interface";
import type { VectorIndex } from "./vector-index/interface";

// Stand-ins for remote services (Workers AI, a hosted index) that no local runtime provides.
const embedder = (delayMs = 0, fail = false): Embedder => ({
  model: "m",
  dimensions: 2,
  maxBatch: 10,
  embed: async (texts) => {
    if (delayMs) await new Promise((r) => setTimeout(r, delayMs));
    if (fail) throw new Error("model unavailable");
    return texts.map(() => [1, 0]);
  },
});
const index = (seen: unknown[] = []): VectorIndex => ({
  backend: "local",
  maxTopK: 50,
  upsert: async () => {},
  delete: async () => {},
  count: async () => 0,
  queryById: async () => null,
  query: async (q) => {
    seen.push(q);
    return [{ id: 1, score: 0.9 }];
  },
});

describe("vectorLeg", () => {
  it("embeds, queries with the filters and clamps topK to the index maximum", async () => {
    const seen: any[] = [];
    const r = await vectorLeg({ embedder: embedder(), index: index(seen), timeoutMs: 1000 }, "q", { type: ["TV"] }, 100);
    expect(r).toEqual({ ok: true, matches: [{ id: 1, score: 0.9 }] });
    expect(seen[0]).toEqual({ vector: [1, 0], topK: 50, filter: { type: ["TV"] } });
  });

  it("reports disabled, error and timeout as results, never throws", async () => {
    expect(await vectorLeg({ embedder: embedder(), index: null, timeoutMs: 1000 }, "q", {}, 10)).toEqual({ ok: false, reason: "disabled" });
    expect(await vectorLeg({ embedder: embedder(0, true), index: index(), timeoutMs: 1000 }, "q", {}, 10)).toEqual({ ok: false, reason: "error", message: "model unavailable" });
    const started = Date.now();
    expect(await vectorLeg({ embedder: embedder(500), index: index(), timeoutMs: 20 }, "q", {}, 10)).toEqual({ ok: false, reason: "timeout" });
    expect(Date.now() - started).toBeLessThan(400);
  });
});
