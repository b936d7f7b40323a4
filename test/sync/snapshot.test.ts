import { beforeEach, describe, expect, it } from "vitest";
import { env } from "cloudflare:workers";
import { adminHeaders, call, expectProblem, getJson, testServices } from "../helpers";
import { catalogState, jsonl, putRelease, resetSync, syncToEnd, V1, V2 } from "./fixtures";
import { snapshotRows } from "../../src/sync/restore";
import { latestGeneration } from "../../src/cache/generation";

beforeEach(resetSync);

describe("snapshots", () => {
  it("POST writes gzipped NDJSON + manifest; GET lists it; restore rebuilds the same catalog (orphans included)", async () => {
    await syncToEnd(await putRelease("v1.jsonl", jsonl(V1, "2026-01-03")));
    await syncToEnd(await putRelease("v2.jsonl", jsonl(V2, "2026-01-10")));
    await env.DB.prepare("UPDATE anime SET synopsis = 'kept through a snapshot', enriched = 1 WHERE id = (SELECT min(id) FROM anime)").run();
    const before = await catalogState();
    const synopses = (await env.DB.prepare("SELECT id, synopsis, enriched, orphaned_at, created_at FROM anime ORDER BY id").all()).results;

    const res = await call("/v1/admin/snapshots", { method: "POST", headers: adminHeaders });
    expect(res.status).toBe(201);
    const manifest = (await res.json()) as any;
    expect(manifest).toMatchObject({ count: before.length, source_last_update: "2026-01-10" });
    const listed = (await getJson("/v1/admin/snapshots", { headers: adminHeaders })).body.data;
    expect(listed[0]).toEqual(manifest);

    const gz = new Uint8Array(await (await env.CATALOG.get(manifest.key))!.arrayBuffer());
    const sha = [...new Uint8Array(await crypto.subtle.digest("SHA-256", gz))].map((b) => b.toString(16).padStart(2, "0")).join("");
    expect([gz.byteLength, sha]).toEqual([manifest.bytes, manifest.sha256]);

    // The restore npm run restore runs: it empties the catalog itself and retires the cache.
    const { gen } = await latestGeneration(env.CACHE);
    await env.DB.prepare("UPDATE anime SET title = 'CHANGED AFTER THE SNAPSHOT'").run();
    const snapshots = testServices().snapshots;
    expect(await snapshots.restore(gz)).toBe(before.length);
    expect(await snapshots.catalogSize()).toBe(before.length);
    expect(await catalogState()).toEqual(before);
    expect((await latestGeneration(env.CACHE)).gen).not.toBe(gen);
    expect((await env.DB.prepare("SELECT id, synopsis, enriched, orphaned_at, created_at FROM anime ORDER BY id").all()).results).toEqual(synopses);
    expect(before.some((r: any) => r.system_status === "ORPHANED")).toBe(true);
  });

  it("a damaged snapshot line is an error, not a skipped row", async () => {
    const gz = new Uint8Array(await new Response(new Blob(['{"id":1}\n{broken\n']).stream().pipeThrough(new CompressionStream("gzip"))).arrayBuffer());
    await expect(async () => {
      for await (const _ of snapshotRows(gz));
    }).rejects.toThrow("line 2");
  });

  it("needs the admin token", async () => {
    await expectProblem(await call("/v1/admin/snapshots"), 401, "unauthorized");
  });
});
