import { beforeEach, describe, expect, it } from "vitest";
import { env } from "cloudflare:workers";
import { anilist, catalogState, entry, idOf, jsonl, mal, putRelease, resetSync, syncToEnd, V1, V2, V3 } from "./fixtures";

beforeEach(resetSync);

const row = (id: number) => env.DB.prepare("SELECT * FROM anime WHERE id = ?1").bind(id).first<any>();

describe("sync v1 → v2: every rule", () => {
  it("new, updated, review (status, episodes), orphaned, merge, split — and v3 resurrects", async () => {
    const r1 = await syncToEnd(await putRelease("v1.jsonl", jsonl(V1, "2026-01-03")));
    expect([r1.status, JSON.parse(r1.counts).added]).toEqual(["succeeded", 9]);
    const ids = Object.fromEntries(await Promise.all([9001, 9002, 9003, 9004, 9005, 9006, 9008, 9009].map(async (n) => [n, (await idOf(mal(n)))!])));
    const id9007 = (await idOf(anilist(9007)))!;
    await env.DB.prepare("UPDATE anime SET synopsis = 'ours' WHERE id = ?1").bind(ids[9002]).run(); // an enriched field

    const r2 = await syncToEnd(await putRelease("v2.jsonl", jsonl(V2, "2026-01-10")));
    expect(r2.status).toBe("succeeded");
    expect(JSON.parse(r2.counts)).toEqual({ read: 8, added: 2, updated: 3, skipped: 1, flagged: 2, invalid: 0, orphaned: 3, resurrected: 0, merged: 1, split: 1 });

    // unchanged; updated (9002 retitled, 9006 and 9008 with new URL lists); our synopsis kept
    expect((await row(ids[9001])).title).toBe("Sync Test 9001");
    expect(await row(ids[9002])).toMatchObject({ title: "Sync Test 9002 (new title)", synopsis: "ours" });
    // review items instead of silent overwrites
    expect(await row(ids[9003])).toMatchObject({ status: "ONGOING" });
    expect(await row(ids[9004])).toMatchObject({ episodes: 12 });
    const { results: reviews } = await env.DB.prepare("SELECT anime_id, reasons FROM review_item WHERE status = 'open' ORDER BY anime_id").all<any>();
    expect(reviews).toEqual([
      { anime_id: ids[9003], reasons: JSON.stringify(["status: ONGOING → FINISHED"]) },
      { anime_id: ids[9004], reasons: JSON.stringify(["episodes: 12 → 24"]) },
    ]);
    // removed → orphaned (never deleted); merge: 9006 keeps its id and takes 9007's URL, 9007 is orphaned
    expect(await row(ids[9005])).toMatchObject({ system_status: "ORPHANED" });
    expect(await idOf(anilist(9007))).toBe(ids[9006]);
    expect(await row(id9007)).toMatchObject({ system_status: "ORPHANED" });
    // split: the first half keeps the id, the second (a later chunk) gets a new one
    expect(await idOf(mal(9008))).toBe(ids[9008]);
    const half = (await idOf(anilist(9008)))!;
    expect(half).toBeGreaterThan(ids[9009]);
    expect(await row(half)).toMatchObject({ title: "Sync Test 9008 (second half)", system_status: "ACTIVE" });
    const { results: events } = await env.DB.prepare("SELECT kind, anime_id, others FROM sync_event WHERE run_id = ?1 ORDER BY kind").bind(r2.id).all();
    expect(events).toEqual([
      { kind: "merge", anime_id: ids[9006], others: JSON.stringify([id9007]) },
      { kind: "split", anime_id: half, others: JSON.stringify([ids[9008]]) },
    ]);
    expect(await env.DB.prepare("SELECT count(*) AS n FROM anime").first("n")).toBe(11); // nothing deleted

    const r3 = await syncToEnd(await putRelease("v3.jsonl", jsonl(V3, "2026-01-17")));
    expect(JSON.parse(r3.counts)).toMatchObject({ resurrected: 1, orphaned: 0, flagged: 2 });
    expect(await row(ids[9009])).toMatchObject({ system_status: "ACTIVE", orphaned_at: null });
    expect(await env.DB.prepare("SELECT count(*) AS n FROM review_item").first("n")).toBe(2); // refreshed, not duplicated
  });

  it("orphans are hidden from lists and shown with include_orphaned=true", async () => {
    await syncToEnd(await putRelease("v1.jsonl", jsonl(V1, "2026-01-03")));
    await syncToEnd(await putRelease("v2.jsonl", jsonl(V2, "2026-01-10")));
    const gone = (await idOf(mal(9005)))!;
    const { call } = await import("../helpers");
    const list = async (q: string) => ((await (await call(`/v1/anime?limit=100${q}`)).json()) as any).data.map((a: any) => a.id);
    expect(await list("")).not.toContain(gone);
    expect(await list("&include_orphaned=true")).toContain(gone);
  });
});

describe("change detection", () => {
  it("the same lastUpdate again → a skipped run that writes nothing", async () => {
    await syncToEnd(await putRelease("a.jsonl", jsonl(V1, "2026-01-03")));
    const before = await catalogState();
    const again = await syncToEnd(await putRelease("b.jsonl", jsonl([...V1, entry(9099)], "2026-01-03")));
    expect([again.status, again.error]).toEqual(["skipped", "unchanged: the source's lastUpdate (2026-01-03) matches the last successful run"]);
    expect(await catalogState()).toEqual(before);
  });

  it("the same ETag again → skipped without reading", async () => {
    const source = await putRelease("same.jsonl", jsonl(V1, "2026-01-03"));
    await syncToEnd(source);
    const again = await syncToEnd(source);
    expect(again.status).toBe("skipped");
    expect(again.error).toContain("ETag");
  });
});

describe("review and identity details", () => {
  it("an entry that fails validation keeps its anime listed (not orphaned)", async () => {
    await syncToEnd(await putRelease("v1.jsonl", jsonl(V1, "2026-01-03")));
    const run = await syncToEnd(await putRelease("bad.jsonl", jsonl([{ ...V1[0], episodes: -1 }, ...V1.slice(1)], "2026-01-10")));
    expect(JSON.parse(run.counts)).toMatchObject({ invalid: 1, orphaned: 0 });
    expect(await row((await idOf(mal(9001)))!)).toMatchObject({ system_status: "ACTIVE" });
  });

  it("a status change held for review still moves URLs: a merge happens at once", async () => {
    await syncToEnd(await putRelease("v1.jsonl", jsonl(V1, "2026-01-03")));
    const id9003 = (await idOf(mal(9003)))!;
    const id9007 = (await idOf(anilist(9007)))!;
    const v2 = [...V1.filter((e) => ![9003, 9007].some((n) => e.title.endsWith(String(n)))), entry(9003, { status: "FINISHED", sources: [mal(9003), anilist(9007)] })];
    const run = await syncToEnd(await putRelease("v2.jsonl", jsonl(v2, "2026-01-10")));
    expect(JSON.parse(run.counts)).toMatchObject({ flagged: 1, merged: 1 });
    expect(await idOf(anilist(9007))).toBe(id9003);
    expect(await row(id9007)).toMatchObject({ system_status: "ORPHANED" });
    expect(await row(id9003)).toMatchObject({ status: "ONGOING" }); // held for review
  });

  it("an open item is superseded when the source agrees with us again, or orphans the anime", async () => {
    await syncToEnd(await putRelease("v1.jsonl", jsonl(V1, "2026-01-03")));
    await syncToEnd(await putRelease("v2.jsonl", jsonl(V2, "2026-01-10")));
    const v3 = V2.filter((e) => !e.title.endsWith("9004")).map((e) => (e.title.endsWith("9003") ? entry(9003, { status: "ONGOING" }) : e));
    await syncToEnd(await putRelease("v3.jsonl", jsonl(v3, "2026-01-17")));
    const { results } = await env.DB.prepare("SELECT status FROM review_item ORDER BY anime_id").all();
    expect(results).toEqual([{ status: "superseded" }, { status: "superseded" }]);
  });

  it("an enriched anime keeps its images and synopsis through a sync", async () => {
    const { importEntries } = await import("../helpers");
    await syncToEnd(await putRelease("v1.jsonl", jsonl(V1, "2026-01-03")));
    const id = (await idOf(mal(9002)))!;
    await importEntries(env.DB, [{ sources: [mal(9002)], title: "Sync Test 9002", type: "TV", synopsis: "Ours.", images: { covers: ["https://img.example.org/ours.jpg"] } }], { source: "enriched" });
    const enriched = await row(id);
    expect([enriched.synopsis, enriched.picture]).toEqual(["Ours.", "https://img.example.org/ours.jpg"]);
    await syncToEnd(await putRelease("v2.jsonl", jsonl(V2, "2026-01-10")));
    expect(await row(id)).toMatchObject({ title: "Sync Test 9002 (new title)", synopsis: "Ours.", picture: enriched.picture, thumbnail: enriched.thumbnail, enriched: 1 });
  });

  it("a line cut short keeps its anime listed when its URL can be read", async () => {
    await syncToEnd(await putRelease("v1.jsonl", jsonl(V1, "2026-01-03")));
    const body = jsonl(V1, "2026-01-10").replace(JSON.stringify(V1[0]), JSON.stringify(V1[0]).slice(0, 70));
    const run = await syncToEnd(await putRelease("cut-line.jsonl", body));
    expect(JSON.parse(run.counts)).toMatchObject({ invalid: 1, orphaned: 0 });
    expect(await row((await idOf(mal(9001)))!)).toMatchObject({ system_status: "ACTIVE" });
  });

  it("an entry not in the offline database's shape is invalid in a sync, and marks nothing enriched", async () => {
    await syncToEnd(await putRelease("v1.jsonl", jsonl(V1, "2026-01-03")));
    const { animeSeason: _, ...shapeless } = { ...V1[1], title: "Not offline-shaped" };
    const run = await syncToEnd(await putRelease("odd.jsonl", jsonl([shapeless, ...V1.slice(0, 1), ...V1.slice(2)], "2026-01-10")));
    expect(JSON.parse(run.counts)).toMatchObject({ invalid: 1, orphaned: 0 });
    expect(await row((await idOf(mal(9002)))!)).toMatchObject({ title: "Sync Test 9002", enriched: 0 });
  });

  it("an enriched entry without images of its own does not freeze the offline pictures", async () => {
    const { importEntries } = await import("../helpers");
    await syncToEnd(await putRelease("v1.jsonl", jsonl(V1, "2026-01-03")));
    const id = (await idOf(mal(9002)))!;
    await importEntries(env.DB, [{ sources: [mal(9002)], title: "Sync Test 9002", type: "TV", synopsis: "Ours.", images: { covers: [], posters: [] } }], { source: "enriched" });
    await syncToEnd(await putRelease("v2.jsonl", jsonl(V1.map((e) => (e.title.endsWith("9002") ? { ...e, picture: "https://cdn.example.org/9002-new.jpg" } : e)), "2026-01-10")));
    expect(await row(id)).toMatchObject({ picture: "https://cdn.example.org/9002-new.jpg", synopsis: "Ours.", enriched: 0 });
  });

  it("a rejected change is not asked about again; a different one is", async () => {
    await syncToEnd(await putRelease("v1.jsonl", jsonl(V1, "2026-01-03")));
    await syncToEnd(await putRelease("v2.jsonl", jsonl(V2, "2026-01-10")));
    await env.DB.prepare("UPDATE review_item SET status = 'rejected'").run();
    await syncToEnd(await putRelease("v3.jsonl", jsonl(V3, "2026-01-17")));
    expect(await env.DB.prepare("SELECT count(*) AS n FROM review_item WHERE status = 'open'").first("n")).toBe(0);
    await syncToEnd(await putRelease("v4.jsonl", jsonl(V3.map((e) => (e.title.endsWith("9004") ? { ...e, episodes: 36 } : e)), "2026-01-24")));
    const { results } = await env.DB.prepare("SELECT reasons FROM review_item WHERE status = 'open'").all();
    expect(results).toEqual([{ reasons: JSON.stringify(["episodes: 12 → 36"]) }]);
  });
});
