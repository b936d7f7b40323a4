import { beforeEach, describe, expect, it } from "vitest";
import { env } from "cloudflare:workers";
import { catalogState, engine, entry, jsonl, putRelease, resetSync, syncToEnd, V1, V2 } from "./fixtures";

beforeEach(resetSync);

/** A larger v2 (30 entries over 10 chunks of 3): 9001–9004 changed or kept, 9100+ new. */
const BIG = [...V2, ...Array.from({ length: 22 }, (_, i) => entry(9100 + i))];

describe("an interrupted run resumes from its last committed chunk", () => {
  it.each([0, 3, 8])("a failure after chunk %i, then resume → the same catalog and counts as an uninterrupted run", async (k) => {
    await syncToEnd(await putRelease("v1.jsonl", jsonl(V1, "2026-01-03")));
    const v2 = await putRelease("v2.jsonl", jsonl(BIG, "2026-01-10"));
    // Uninterrupted: run, record, then roll the catalog back to v1 for the interrupted one.
    const straight = await syncToEnd(v2);
    const expected = await catalogState();
    const expectedReviews = await env.DB.prepare("SELECT anime_id, reasons, proposed FROM review_item ORDER BY anime_id").all();
    const expectedUrls = await env.DB.prepare("SELECT url, anime_id FROM anime_source ORDER BY url").all();
    await resetSync();
    await syncToEnd(await putRelease("v1.jsonl", jsonl(V1, "2026-01-03")));

    let failed = false;
    const broken = engine({ afterChunk: (c) => {
      if (c === k && !failed) {
        failed = true;
        throw new Error(`injected failure after chunk ${c}`);
      }
    } });
    const { run } = await broken.begin("test", v2);
    await expect(async () => {
      while (await broken.step(run.id, 60_000));
    }).rejects.toThrow("injected failure");
    expect((await broken.get(run.id))!.next_chunk).toBe(k + 1); // chunk k committed, cursor with it
    while (await broken.step(run.id, 60_000)); // resume
    const resumed = (await broken.get(run.id))!;

    expect(resumed.status).toBe("succeeded");
    expect(JSON.parse(resumed.counts)).toEqual(JSON.parse(straight.counts));
    expect(await catalogState()).toEqual(expected);
    expect((await env.DB.prepare("SELECT anime_id, reasons, proposed FROM review_item ORDER BY anime_id").all()).results).toEqual(expectedReviews.results);
    expect((await env.DB.prepare("SELECT url, anime_id FROM anime_source ORDER BY url").all()).results).toEqual(expectedUrls.results);
    expect(expected.length).toBe(BIG.length + 3); // + 9005, 9007 and 9009, orphaned: nothing lost, nothing doubled
  });
});

describe("exactly once", () => {
  it("a chunk whose commit succeeded but whose response was lost is not applied twice", async () => {
    await syncToEnd(await putRelease("v1.jsonl", jsonl(V1, "2026-01-03")));
    const v2 = await putRelease("v2.jsonl", jsonl(BIG, "2026-01-10"));
    const straight = await syncToEnd(v2);
    const expected = await catalogState();
    await resetSync();
    await syncToEnd(await putRelease("v1.jsonl", jsonl(V1, "2026-01-03")));

    let batches = 0;
    const db = new Proxy(env.DB, {
      get(t, p) {
        if (p === "batch")
          return async (s: D1PreparedStatement[]) => {
            const r = await t.batch(s);
            if (s.length > 5 && ++batches === 4) throw new Error("response lost after commit");
            return r;
          };
        const v = (t as any)[p];
        return typeof v === "function" ? v.bind(t) : v;
      },
    });
    const e = engine({ db });
    const { run } = await e.begin("test", v2);
    await expect(async () => {
      while (await e.step(run.id, 60_000));
    }).rejects.toThrow("response lost");
    while (await e.step(run.id, 60_000));
    expect(JSON.parse((await e.get(run.id))!.counts)).toEqual(JSON.parse(straight.counts));
    expect(await catalogState()).toEqual(expected);
  });

  it("a chunk replayed against a cursor that moved on is rolled back whole", async () => {
    await syncToEnd(await putRelease("v1.jsonl", jsonl(V1, "2026-01-03")));
    const e = engine();
    const { run } = await e.begin("test", await putRelease("v2.jsonl", jsonl(BIG, "2026-01-10")));
    await e.step(run.id, 0); // staged
    await e.step(run.id, 0); // chunk 0 applied
    const stale = { ...(await e.get(run.id))!, next_chunk: 0 }; // a second worker still at chunk 0
    const before = await catalogState();
    const { applyChunk } = await import("../../src/sync/apply-chunk");
    const raw = await (await env.CATALOG.get(`sync/runs/${run.id}/chunk-00001.json`))!.json<unknown[]>();
    await expect(applyChunk((e as any).o, stale, raw)).rejects.toThrow();
    expect(await catalogState()).toEqual(before);
  });
});

describe("bad sources", () => {
  it("malformed lines are counted and skipped; the rest is applied", async () => {
    const body = jsonl(V1, "2026-01-03").replace(JSON.stringify(V1[4]), "{not json").replace(JSON.stringify(V1[5]), JSON.stringify({ ...V1[5], episodes: -1 }));
    const run = await syncToEnd(await putRelease("bad-lines.jsonl", body));
    expect(run.status).toBe("succeeded");
    expect(JSON.parse(run.counts)).toMatchObject({ read: 9, invalid: 2, added: 7 });
  });

  it.each([
    ["a JSONL file cut mid-line", (s: string) => s.slice(0, s.length - 40)],
    ["a JSON document cut short", (_jsonl: string) => JSON.stringify({ lastUpdate: "2026-01-10", data: V2 }).slice(0, 900)],
  ])("%s → run failed, catalog untouched", async (_label, cut) => {
    await syncToEnd(await putRelease("v1.jsonl", jsonl(V1, "2026-01-03")));
    const before = await catalogState();
    const name = _label.startsWith("a JSONL") ? "cut.jsonl" : "cut.json";
    const run = await syncToEnd(await putRelease(name, cut(jsonl(V2, "2026-01-10"))));
    expect(run.status).toBe("failed");
    expect(run.error).toMatch(/cut off|ends before/);
    expect(await catalogState()).toEqual(before);
    expect((await env.CATALOG.list({ prefix: `sync/runs/${run.id}/` })).objects).toHaveLength(0); // staging cleaned up
  });

  it("a truncated gzip stream → failed, catalog untouched", async () => {
    await syncToEnd(await putRelease("v1.jsonl", jsonl(V1, "2026-01-03")));
    const before = await catalogState();
    const gz = new Uint8Array(await new Response(new Blob([jsonl(V2, "2026-01-10")]).stream().pipeThrough(new CompressionStream("gzip"))).arrayBuffer());
    const run = await syncToEnd(await putRelease("cut.jsonl.gz", gz.slice(0, gz.length - 30)));
    expect([run.status, await catalogState()]).toEqual(["failed", before]);
  });

  it("a gzipped release is read whole", async () => {
    const gz = new Uint8Array(await new Response(new Blob([jsonl(V1, "2026-01-03")]).stream().pipeThrough(new CompressionStream("gzip"))).arrayBuffer());
    const run = await syncToEnd(await putRelease("v1.jsonl.gz", gz));
    expect([run.status, JSON.parse(run.counts).added]).toEqual(["succeeded", 9]);
  });

  it("the minified JSON format is read like JSONL", async () => {
    const run = await syncToEnd(await putRelease("v1.json", JSON.stringify({ $schema: "x", license: { name: "l" }, repository: "r", lastUpdate: "2026-01-03", data: V1 })));
    expect([run.status, run.source_last_update, JSON.parse(run.counts).added]).toEqual(["succeeded", "2026-01-03", 9]);
  });

  it.each([
    ["an unreachable URL", "http://127.0.0.1:9/release.jsonl", /could not be fetched/],
    ["a missing object", "r2:sources/nope.jsonl", /no object/],
    ["a loopback URL without the local setting", "https://127.0.0.1:9/x.jsonl", /refused/],
    ["plain http without the local setting", "http://example.org/x.jsonl", /only https/],
  ])("%s → run failed, catalog untouched", async (label, source, error) => {
    await syncToEnd(await putRelease("v1.jsonl", jsonl(V1, "2026-01-03")));
    const before = await catalogState();
    const run = await syncToEnd(source, label.includes("without") ? { allowPrivate: false } : { allowPrivate: true });
    expect(run.status).toBe("failed");
    expect(run.error).toMatch(error);
    expect(await catalogState()).toEqual(before);
  });

  it("a release that would orphan most of the catalog fails instead", async () => {
    await syncToEnd(await putRelease("v1.jsonl", jsonl(V1, "2026-01-03")));
    const before = await catalogState();
    const run = await syncToEnd(await putRelease("tiny.jsonl", jsonl(V1.slice(0, 2), "2026-01-10")), { maxOrphanShare: 0.2 });
    expect(run.status).toBe("failed");
    expect(run.error).toContain("would be orphaned");
    expect(await catalogState()).toEqual(before);
  });

  it("one run at a time: of 8 concurrent begins exactly one starts, the others get that run", async () => {
    const e = engine();
    const source = await putRelease("v1.jsonl", jsonl(V1, "2026-01-03"));
    const all = await Promise.all(Array.from({ length: 8 }, () => e.begin("test", source)));
    const started = all.filter((b) => b.started);
    expect(started).toHaveLength(1);
    expect(new Set(all.map((b) => b.run.id))).toEqual(new Set([started[0].run.id]));
  });

  it("a redirect to a private address is refused", async () => {
    const fetch = async () => new Response(null, { status: 302, headers: { Location: "https://10.0.0.1/release.jsonl" } });
    const run = await syncToEnd("https://releases.example.org/release.jsonl", { allowPrivate: false, fetch: fetch as typeof globalThis.fetch });
    expect([run.status, run.error]).toEqual(["failed", expect.stringContaining("redirected to https://10.0.0.1/release.jsonl")]);
  });

  it("a run whose lock expired is failed and a new one starts", async () => {
    let t = Date.UTC(2030, 0, 1);
    const e = engine({ now: () => t });
    const first = await e.begin("test", await putRelease("v1.jsonl", jsonl(V1, "2026-01-03")));
    t += 16 * 60_000;
    const second = await e.begin("test", "r2:sources/v1.jsonl");
    expect(second.started).toBe(true);
    expect(await e.get(first.run.id)).toMatchObject({ status: "failed", error: expect.stringContaining("lock expired") });
  });
});
