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

describe("bad sources", () => {
  it("malformed lines are counted and skipped; the rest is applied", async () => {
    const body = jsonl(V1, "2026-01-03").replace(JSON.stringify(V1[4]), "{not json").replace(JSON.stringify(V1[5]), JSON.stringify({ ...V1[5], episodes: -1 }));
    const run = await syncToEnd(await putRelease("bad-lines.jsonl", body));
    expect(run.status).toBe("succeeded");
    expect(JSON.parse(run.counts)).toMatchObject({ read: 9, invalid: 2, added: 7 });
  });

  it.each([
    ["a JSONL file cut mid-line", (s: string) => s.slice(0, s.length - 40)],
    ["a JSON document cut short", (s: string) => JSON.stringify({ lastUpdate: "2026-01-10", data: V2 }).slice(0, 900)],
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
    ["a loopback URL without the local setting", "http://127.0.0.1:9/x.jsonl", /refused/],
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

  it("one run at a time: a second begin while one runs gets the running one", async () => {
    const e = engine();
    const first = await e.begin("test", await putRelease("v1.jsonl", jsonl(V1, "2026-01-03")));
    const second = await e.begin("test", "r2:sources/other.jsonl");
    expect([first.started, second.started, second.run.id]).toEqual([true, false, first.run.id]);
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
