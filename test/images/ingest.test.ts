import { beforeEach, describe, expect, inject, it } from "vitest";
import { env } from "cloudflare:workers";
import { adminHeaders, call, expectProblem, getJson, importEntries, resetCatalog } from "../helpers";
import { entry } from "../sync/fixtures";
import { testServices } from "../helpers";
import type { IngestOptions } from "../../src/images/ingestor";

const server = inject("imageServer");
const instant = async () => {};
const ingestor = (over: Partial<IngestOptions> = {}) => testServices().imageIngestor({ allowPrivate: true, sleep: instant, timeoutMs: 1000, ...over });

async function resetImages() {
  await resetCatalog();
  await env.DB.prepare("DELETE FROM image_source").run();
  const listed = await env.IMAGES.list({ prefix: "images/" });
  if (listed.objects.length) await env.IMAGES.delete(listed.objects.map((o) => o.key));
}
beforeEach(resetImages);

/** Anime 9201… with the given picture paths on the loopback server (thumbnails on the same path + ?t). */
async function animeWith(paths: string[]): Promise<number[]> {
  await importEntries(env.DB, paths.map((p, i) => entry(9201 + i, { picture: `${server}${p}`, thumbnail: `${server}${p}?t` })), { source: "images test" });
  const { results } = await env.DB.prepare("SELECT id FROM anime ORDER BY id").all<{ id: number }>();
  return results.map((r) => r.id);
}
const rowOf = (url: string) => env.DB.prepare("SELECT * FROM image_source WHERE url = ?1").bind(url).first<any>();
const sha = async (b: ArrayBuffer) => [...new Uint8Array(await crypto.subtle.digest("SHA-256", b))].map((x) => x.toString(16).padStart(2, "0")).join("");

describe("ingestion", () => {
  it("two URLs with the same bytes share one R2 object, with the source URL and type as metadata", async () => {
    await animeWith(["/good/1.jpg", "/same/1.jpg"]);
    const report = await ingestor().runBatch(100);
    expect(report).toMatchObject({ candidates: 4, stored: 1, deduplicated: 3, failed: 0, dead: 0 }); // thumbnails (?t) are the same bytes too
    const a = await rowOf(`${server}/good/1.jpg`);
    const b = await rowOf(`${server}/same/1.jpg`);
    expect(a.r2_key).toBe(b.r2_key);
    expect(a.r2_key).toMatch(/^images\/[0-9a-f]{64}\.jpg$/);
    const objects = (await env.IMAGES.list({ prefix: "images/", include: ["httpMetadata", "customMetadata"] })).objects;
    expect(objects).toHaveLength(1);
    expect(objects[0].httpMetadata?.contentType).toBe("image/jpeg");
    expect(objects[0].customMetadata?.source_url).toMatch(new RegExp(`^${server}/`));
    const stored = await env.IMAGES.get(a.r2_key);
    expect(`images/${await sha(await stored!.arrayBuffer())}.jpg`).toBe(a.r2_key); // content-addressed
  });

  it("a transient failure is retried within the batch (503, 503, then 200)", async () => {
    await animeWith(["/flaky/2/5.jpg"]);
    const report = await ingestor({ triesPerRun: 3 }).runBatch(100);
    expect(report.stored + report.deduplicated).toBe(2);
    expect(await rowOf(`${server}/flaky/2/5.jpg`)).toMatchObject({ status: "stored", attempts: 1 });
  });

  it("bad downloads fail with a reason, leave nothing in R2, and the anime keeps its original URL", async () => {
    const bad = ["/slow.jpg", "/big.jpg", "/big-chunked.jpg", "/wrong-type.jpg", "/bad-magic.jpg", "/truncated.jpg", "/missing.jpg"];
    const ids = await animeWith(bad);
    const report = await ingestor({ timeoutMs: 500, triesPerRun: 2 }).runBatch(100);
    expect(report).toMatchObject({ stored: 0, deduplicated: 0, failed: bad.length * 2 });
    const errors = await Promise.all(bad.map(async (p) => (await rowOf(`${server}${p}`)).last_error as string));
    expect(errors[0]).toMatch(/fetch failed|timed? ?out|abort/i);
    expect(errors[1]).toMatch(/exceed/);
    expect(errors[2]).toMatch(/limit/);
    expect(errors[3]).toMatch(/text\/html/);
    expect(errors[4]).toMatch(/magic/);
    expect(errors[5]).toMatch(/truncated/);
    expect(errors[6]).toMatch(/status 404/);
    expect((await env.IMAGES.list({ prefix: "images/" })).objects).toHaveLength(0);
    const anime = (await getJson(`/v1/anime/${ids[3]}`)).body;
    expect(anime.images.picture).toEqual({ url: `${server}/wrong-type.jpg`, original_url: `${server}/wrong-type.jpg` });
  });

  it("a private address is refused when the development setting is off, also through a redirect from an allow-listed CDN", async () => {
    await animeWith(["/good/2.jpg"]);
    const off = await ingestor({ allowPrivate: false }).runBatch(100);
    expect(off.failed + off.dead).toBe(2);
    expect((await rowOf(`${server}/good/2.jpg`)).last_error).toMatch(/refused/);
    await resetImages();
    await importEntries(env.DB, [entry(9299, { picture: "https://cdn.myanimelist.net/images/anime/p.jpg", thumbnail: "https://cdn.myanimelist.net/images/anime/t.jpg" })], { source: "redirect" });
    const asked: string[] = [];
    const fetch = async (url: RequestInfo | URL) => (asked.push(String(url)), new Response(null, { status: 302, headers: { Location: "http://10.0.0.1/x.jpg" } }));
    await ingestor({ allowPrivate: false, fetch: fetch as typeof globalThis.fetch }).runBatch(100);
    expect((await rowOf("https://cdn.myanimelist.net/images/anime/p.jpg")).last_error).toMatch(/refused/);
    expect(asked.every((u) => u.startsWith("https://cdn.myanimelist.net/images/anime/"))).toBe(true); // 10.0.0.1 never fetched
  });

  it("a malformed redirect Location is that URL's failure, not the batch's", async () => {
    await importEntries(env.DB, [entry(9298, { picture: "https://cdn.myanimelist.net/images/anime/p.jpg", thumbnail: "https://cdn.myanimelist.net/images/anime/t.jpg" })], { source: "bad location" });
    const fetch = async () => new Response(null, { status: 302, headers: { Location: "http://[oops/x.jpg" } });
    const report = await ingestor({ fetch: fetch as typeof globalThis.fetch }).runBatch(100);
    expect(report.failed).toBe(2);
    expect((await rowOf("https://cdn.myanimelist.net/images/anime/p.jpg")).last_error).toMatch(/unreadable Location/);
  });

  it("a failure never overwrites a stored row (overlapping batches)", async () => {
    await animeWith(["/good/3.jpg"]);
    await ingestor().runBatch(100);
    const stored = await rowOf(`${server}/good/3.jpg`);
    await env.DB.prepare("UPDATE image_source SET status = 'dead', next_retry_at = 0 WHERE id = ?1").bind(stored.id).run(); // make it a candidate again…
    await env.DB.prepare("UPDATE image_source SET status = 'stored' WHERE id = ?1").bind(stored.id).run(); // …then stored by "another batch" first
    const failing = async () => new Response("down", { status: 503 });
    await (ingestor({ fetch: failing as typeof globalThis.fetch, triesPerRun: 1 }) as any).ingest({ url: stored.url, anime_id: stored.anime_id, attempts: 1, status: "dead" }, Date.now());
    expect(await rowOf(`${server}/good/3.jpg`)).toMatchObject({ status: "stored", r2_key: stored.r2_key });
  });
});

describe("dead letters", () => {
  it("a persistent failure becomes a dead letter; listed, retried by an admin, stored once the source recovers", async () => {
    let t = Date.UTC(2030, 0, 1);
    const ids = await animeWith(["/flaky/6/9.jpg", "/missing.jpg"]);
    const run = () => ingestor({ now: () => t, triesPerRun: 1, maxAttempts: 2 }).runBatch(100);
    await run(); // each URL (the ?t thumbnail is another URL) fails once
    t += 2 * 3_600_000;
    await run(); // second failure → dead (maxAttempts 2); missing: permanent twice → dead
    const dead = (await getJson("/v1/admin/images/dead-letters", { headers: adminHeaders })).body.data;
    expect(dead.map((d: any) => d.url).sort()).toEqual([`${server}/flaky/6/9.jpg`, `${server}/flaky/6/9.jpg?t`, `${server}/missing.jpg`, `${server}/missing.jpg?t`].sort());
    const flaky = dead.find((d: any) => d.url === `${server}/flaky/6/9.jpg`);
    expect(flaky).toMatchObject({ anime_id: ids[0], attempts: 2, error: "status 503" });
    expect(flaky.next_retry_at).not.toBeNull();

    // An admin retry makes up to 3 tries: hits 3–5 still fail (dead again, attempts 3); hit 6 fails, hit 7 succeeds.
    let res = (await (await call(`/v1/admin/images/dead-letters/${flaky.id}/retry`, { method: "POST", headers: adminHeaders })).json()) as any;
    expect([res.status, res.dead_letter?.attempts]).toEqual(["dead", 3]);
    res = (await (await call(`/v1/admin/images/dead-letters/${flaky.id}/retry`, { method: "POST", headers: adminHeaders })).json()) as any;
    expect(res).toEqual({ status: "stored", dead_letter: null });
    const anime = (await getJson(`/v1/anime/${ids[0]}`)).body;
    expect(anime.images.picture.url).toMatch(/^\/images\/[0-9a-f]{64}\.jpg$/);
    expect(anime.images.picture.original_url).toBe(`${server}/flaky/6/9.jpg`);

    await expectProblem(await call(`/v1/admin/images/dead-letters/999999/retry`, { method: "POST", headers: adminHeaders }), 404, "not_found");
    const stats = (await getJson("/v1/admin/images/stats", { headers: adminHeaders })).body;
    expect(stats).toMatchObject({ by_status: { stored: 1, dead: 3 }, objects: 1 });
  });
});
