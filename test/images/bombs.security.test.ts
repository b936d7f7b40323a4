/**
 * PNG decompression bombs (issue 15), generated here: refused with a 4xx problem before they
 * inflate past the size their header declares, in image search (both backends) and in
 * ingestion (download and indexing).
 */
import { beforeAll, beforeEach, describe, expect, it } from "vitest";
import { env } from "cloudflare:workers";
import { createExecutionContext, waitOnExecutionContext } from "cloudflare:test";
import { BASE, expectProblem, importEntries, resetCatalog, servicesOf, testServices } from "../helpers";
import { entry } from "../sync/fixtures";
import { createApp } from "../../src/app";
import { bigSixteenBitPng, bombPng } from "../../scripts/lib/png-bombs";
import { decodeImage, ImageTooLarge } from "../../src/images/embed/decode";
import { INFLATE_CHUNK, rawBytes, type InflateStats } from "../../src/images/embed/png-rows";

/** 1000×1000 RGB declared (3,001,000 bytes of rows), 256 MB of zeros in ~261 KB of IDAT. */
let bomb: Uint8Array;
/** 3264×2448 RGBA 16-bit, legal, ~62 KB: 64 MB of rows, over the 4 MP cap. */
let sixteen: Uint8Array;
const BUDGET = rawBytes({ width: 1000, height: 1000, depth: 8, colorType: 2, interlace: 0 });

beforeAll(async () => {
  bomb = await bombPng();
  sixteen = await bigSixteenBitPng();
});

async function send(vars: Partial<Env>, path: string, init: RequestInit): Promise<Response> {
  const ctx = createExecutionContext();
  const res = await createApp().fetch(new Request(BASE + path, init), { ...env, ...vars }, ctx);
  await waitOnExecutionContext(ctx);
  return res;
}
const upload = (vars: Partial<Env>, bytes: Uint8Array, path = "/v1/search/image") => {
  const form = new FormData();
  form.append("file", new File([bytes], "picture.png", { type: "image/png" }));
  if (path.includes("multimodal")) form.append("q", "anything");
  return send(vars, path, { method: "POST", body: form });
};
/** Workers AI as the vision backend sees it; records whether the model was asked at all. */
function visionAi() {
  const calls: string[] = [];
  const ai = { run: async (model: string) => (calls.push(model), model.includes("llava") ? { description: "a poster" } : { data: [Array.from({ length: 1024 }, (_, i) => (i === 0 ? 1 : 0))] }) } as unknown as Ai;
  return { ai, calls };
}

describe("image search refuses PNG bombs with 413 before inflating past the header", () => {
  it("the decoder stops within one inflate step of the 3,001,000 bytes the header declares (of 256 MB)", () => {
    expect(bomb.length).toBeLessThan(300_000);
    const stats: InflateStats = { inflatedBytes: 0 };
    const err = (() => {
      try {
        decodeImage(bomb, "image/png", stats);
      } catch (e) {
        return e;
      }
    })();
    expect(err).toBeInstanceOf(ImageTooLarge);
    expect(stats.inflatedBytes).toBeGreaterThan(BUDGET);
    expect(stats.inflatedBytes).toBeLessThanOrEqual(BUDGET + INFLATE_CHUNK);
  });

  it("local backend: POST /v1/search/image answers 413 payload_too_large, quickly", async () => {
    const t = Date.now();
    const body = await expectProblem(await upload({}, bomb), 413, "payload_too_large");
    expect(Date.now() - t).toBeLessThan(2000);
    expect(body.detail).toMatch(/The PNG is refused: its image data inflates past the 3001000 bytes its header declares \(1000×1000\)/);
  });

  it("vision backend: 413 too, and the model is never called", async () => {
    const { ai, calls } = visionAi();
    const t = Date.now();
    await expectProblem(await upload({ AI: ai }, bomb), 413, "payload_too_large");
    expect(Date.now() - t).toBeLessThan(2000);
    expect(calls).toEqual([]);
  });

  it("multimodal: the same 413 (the image leg's refusal is the caller's error)", async () => {
    await expectProblem(await upload({}, bomb, "/v1/search/multimodal"), 413, "payload_too_large");
  });

  it("a legal 62 KB 16-bit PNG of 8 MP is refused from its header: nothing is inflated (both backends)", async () => {
    expect(sixteen.length).toBeLessThan(100_000);
    const stats: InflateStats = { inflatedBytes: 0 };
    expect(() => decodeImage(sixteen, "image/png", stats)).toThrow(/3264×2448: images of at most 4 megapixels are read/);
    expect(stats.inflatedBytes).toBe(0);
    await expectProblem(await upload({}, sixteen), 413, "payload_too_large");
    const { ai, calls } = visionAi();
    await expectProblem(await upload({ AI: ai }, sixteen), 413, "payload_too_large");
    expect(calls).toEqual([]);
  });
});

describe("ingestion refuses PNG bombs before storing them", () => {
  const CDN = "https://cdn.myanimelist.net/images/anime/1/bomb.png";
  const serving = (bytes: Uint8Array) => async () => new Response(bytes, { headers: { "Content-Type": "image/png", "Content-Length": String(bytes.length) } });
  const rowOf = (url: string) => env.DB.prepare("SELECT * FROM image_source WHERE url = ?1").bind(url).first<any>();

  beforeEach(async () => {
    await resetCatalog();
    await env.DB.batch([env.DB.prepare("DELETE FROM image_source"), env.DB.prepare("DELETE FROM image_vector_state")]);
    const listed = await env.IMAGES.list({ prefix: "images/" });
    if (listed.objects.length) await env.IMAGES.delete(listed.objects.map((o) => o.key));
  });

  it.each([
    ["a bomb (1000×1000 declared, 256 MB of data)", () => bomb, /refused: The PNG is refused: its image data inflates past the 3001000 bytes/],
    ["an 8 MP 16-bit PNG", () => sixteen, /refused: The image is 3264×2448: images of at most 4 megapixels are read/],
  ])("%s from an allow-listed CDN: a permanent failure, nothing in R2", async (_, bytes, error) => {
    await importEntries(env.DB, [entry(9401, { picture: CDN, thumbnail: `${CDN}?t` })], { source: "bomb" });
    const t = Date.now();
    const report = await testServices().imageIngestor({ fetch: serving(bytes()) as typeof fetch, sleep: async () => {}, triesPerRun: 3 }).runBatch(10);
    expect(Date.now() - t).toBeLessThan(3000);
    expect(report).toMatchObject({ stored: 0, deduplicated: 0, failed: 2 });
    expect(await rowOf(CDN)).toMatchObject({ status: "failed", attempts: 1, r2_key: null }); // permanent: not retried within the batch
    expect((await rowOf(CDN)).last_error).toMatch(error);
    expect((await env.IMAGES.list({ prefix: "images/" })).objects).toHaveLength(0);
  });

  it("a bomb already in R2 (stored before these checks) is skipped by the image indexer, not decoded", async () => {
    const report = await importEntries(env.DB, [entry(9402, { picture: CDN, thumbnail: `${CDN}?t` })], { source: "bomb in r2" });
    expect(report.invalidSamples).toEqual([]);
    const id = (await env.DB.prepare("SELECT id FROM anime").first<{ id: number }>())!.id;
    const key = "images/0000000000000000000000000000000000000000000000000000000000000bad.png";
    await env.IMAGES.put(key, bomb, { httpMetadata: { contentType: "image/png" } });
    const now = Date.now();
    await env.DB.prepare("INSERT INTO image_source (url_hash, url, anime_id, status, r2_key, content_type, bytes, attempts, created_at, updated_at) VALUES ('bomb', ?1, ?2, 'stored', ?3, 'image/png', ?4, 1, ?5, ?5)")
      .bind(CDN, id, key, bomb.length, now)
      .run();
    const t = Date.now();
    expect(await servicesOf(env).imageIndexer.catchUp()).toEqual({ indexed: 0, removed: 0 });
    expect(Date.now() - t).toBeLessThan(3000);
    expect(await env.DB.prepare("SELECT model FROM image_vector_state WHERE anime_id = ?1").bind(id).first()).toEqual({ model: "unsupported" });
  });
});
