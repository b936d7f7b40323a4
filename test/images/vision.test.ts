import { beforeAll, describe, expect, inject, it } from "vitest";
import { env } from "cloudflare:workers";
import { createExecutionContext, waitOnExecutionContext } from "cloudflare:test";
import jpeg from "jpeg-js";
import { encode as encodePng } from "fast-png";
import { BASE, servicesOf, expectProblem, importEntries, importFixture, resetCatalog } from "../helpers";
import { entry } from "../sync/fixtures";
import { createApp } from "../../src/app";
import { buildServices } from "../../src/services";
import { imageVectorIndex, VisionImageSearch } from "../../src/images/image-search";
import type { Embedder } from "../../src/search/embedder/interface";
import type { VectorIndex } from "../../src/search/vector-index/interface";

const server = inject("imageServer");

type Call = { model: string; input: any; options?: { signal?: AbortSignal } };
/**
 * A stand-in for Workers AI, which the local runtime does not simulate: the vision model
 * answers with `vision`, the embedding models with unit vectors of their size.
 */
function fakeAi(vision: (input: any) => unknown) {
  const calls: Call[] = [];
  const ai = {
    run: async (model: string, input: any, options?: Call["options"]) => {
      calls.push({ model, input, options });
      if (model.includes("llava")) return vision(input);
      return { data: input.text.map(() => Array.from({ length: 1024 }, (_, i) => (i === 0 ? 1 : 0))) };
    },
  } as unknown as Ai;
  return { ai, calls };
}
const describing = () => fakeAi(() => ({ description: "A space bounty hunter in a blue suit" }));
/** Workers AI down: every model throws. */
const throwing = () => ({
  ai: {
    run: async () => {
      throw new Error("AI: 3040 capacity exceeded");
    },
  } as unknown as Ai,
});

async function send(vars: Partial<Env>, path: string, init: RequestInit): Promise<Response> {
  const ctx = createExecutionContext();
  const res = await createApp().fetch(new Request(BASE + path, init), { ...env, ...vars }, ctx);
  await waitOnExecutionContext(ctx);
  return res;
}
const upload = (vars: Partial<Env>, bytes: Uint8Array, type = "image/jpeg") => {
  const form = new FormData();
  form.append("file", new File([bytes], "picture", { type }));
  return send(vars, "/v1/search/image?limit=5", { method: "POST", body: form });
};
const multimodal = (vars: Partial<Env>, body: object) => send(vars, "/v1/search/multimodal", { method: "POST", headers: { "Content-Type": "application/json" }, body: JSON.stringify(body) });

/** A screenshot-like JPEG: gradient, stripes and grain (1920×1080: about 1.5 MB). */
function screenshot(width: number, height: number): Uint8Array {
  const data = new Uint8Array(width * height * 4);
  let seed = 1;
  const grain = () => (((seed = (seed * 1103515245 + 12345) >>> 0) >>> 16) & 63) - 32;
  for (let y = 0; y < height; y++)
    for (let x = 0; x < width; x++) data.set([(x * 255) / width + grain(), (y * 255) / height + grain(), ((x >> 4) % 2 ? 200 : 40) + grain(), 255], (y * width + x) * 4);
  return new Uint8Array(jpeg.encode({ data, width, height }, 92).data);
}

describe("the vision model is sent a small JPEG", () => {
  it("a 1920×1080 upload reaches the model as a JPEG of 672 px on its long side, a small byte array", async () => {
    const { ai, calls } = describing();
    const big = screenshot(1920, 1080);
    const res = await upload({ AI: ai }, big);
    expect(res.status).toBe(200);
    expect(((await res.json()) as any).model).toBe("@cf/llava-hf/llava-1.5-7b-hf → @cf/baai/bge-m3");
    const sent = calls.find((c) => c.model.includes("llava"))!.input.image as number[];
    expect(big.length).toBeGreaterThan(1_000_000);
    expect(Array.isArray(sent)).toBe(true);
    expect(sent.length).toBeLessThan(big.length / 3);
    const img = jpeg.decode(new Uint8Array(sent), { useTArray: true });
    expect([img.width, img.height]).toEqual([672, 378]);
  });

  it("a picture over 4 megapixels is refused with 413 before anything is decoded; GIF with 415", async () => {
    const { ai, calls } = describing();
    const png = encodePng({ width: 1, height: 1, data: new Uint8Array(4), channels: 4 });
    new DataView(png.buffer, png.byteOffset).setUint32(16, 2100);
    new DataView(png.buffer, png.byteOffset).setUint32(20, 2000);
    const body = await expectProblem(await upload({ AI: ai }, png, "image/png"), 413, "payload_too_large");
    expect(body.detail).toMatch(/2100×2000: images of at most 4 megapixels are read/);
    const gif = new Uint8Array([0x47, 0x49, 0x46, 0x38, 0x39, 0x61, 1, 0, 1, 0, 0, 0, 0, 0x3b]);
    await expectProblem(await upload({ AI: ai }, gif, "image/gif"), 415, "unsupported_media_type");
    expect(calls).toHaveLength(0);
  });
});

describe("a Workers AI failure answers 503 (image) or degrades (multimodal), never 500", () => {
  beforeAll(importFixture);

  it.each([
    ["throws", throwing()],
    ["returns nothing", fakeAi(() => ({}))],
    ["returns a blank description", fakeAi(() => ({ description: "  " }))],
  ])("POST /v1/search/image when the vision model %s: 503 service_unavailable", async (_, { ai }) => {
    const body = await expectProblem(await upload({ AI: ai }, screenshot(300, 200)), 503, "service_unavailable");
    expect(body.detail).toMatch(/Image search is unavailable/);
    expect(body.detail).not.toMatch(/3040|llava/); // the backend's message is logged, not shown
  });

  it("POST /v1/search/multimodal: the text leg answers alone, flagged", async () => {
    const { ai } = throwing();
    const res = await multimodal({ AI: ai }, { q: "cowboy bebop", url: `${server}/png/3.png`, limit: 3 });
    expect(res.status).toBe(200);
    const body = (await res.json()) as any;
    expect(body.degraded).toEqual(["vector", "image"]); // the same AI embeds the text leg: it fell back to keywords
    expect(body.data[0].anime.title).toBe("Cowboy Bebop");
    expect(body.data.every((d: any) => d.image_rank === null)).toBe(true);
  });

  it("POST /v1/search/multimodal with text_weight 0 (the image alone) answers 503", async () => {
    const { ai } = throwing();
    await expectProblem(await multimodal({ AI: ai }, { q: "cowboy bebop", url: `${server}/png/3.png`, text_weight: 0 }), 503, "service_unavailable");
  });

  it("without a failure, multimodal says nothing is degraded", async () => {
    const res = await multimodal({}, { q: "cowboy bebop", url: `${server}/png/3.png`, limit: 3 });
    expect(res.status).toBe(200);
    expect(((await res.json()) as any).degraded).toEqual([]);
  });

  it("a vision model that does not answer in time: a timeout result, and its request is aborted", async () => {
    let signal: AbortSignal | undefined;
    const ai = { run: (_m: string, _i: unknown, o: { signal: AbortSignal }) => ((signal = o.signal), new Promise(() => {})) } as unknown as Ai;
    const embedder: Embedder = { model: "m", dimensions: 1, maxBatch: 1, embed: async () => [[1]] };
    const index = { maxTopK: 10, query: async () => [] } as unknown as VectorIndex;
    const search = new VisionImageSearch(ai, "@cf/llava-hf/llava-1.5-7b-hf", embedder, index, { timeoutMs: 50 });
    const t = Date.now();
    const result = await search.nearest({ bytes: screenshot(100, 80), type: "image/jpeg" }, 5);
    expect(result).toMatchObject({ ok: false, reason: "timeout" });
    expect(Date.now() - t).toBeLessThan(2000);
    expect(signal?.aborted).toBe(true);
  });
});

describe("with the vision backend, no image vectors are written", () => {
  const POSTERS = [11, 12, 13];

  it("ingestion stores the images; the indexer skips, and says why; the local backend would have indexed them", async () => {
    await resetCatalog();
    await env.DB.prepare("DELETE FROM image_source").run();
    await env.DB.prepare("DELETE FROM image_vector_state").run();
    await importEntries(env.DB, POSTERS.map((n) => entry(9400 + n, { title: `Vision ${n}`, picture: `${server}/good/${n}.jpg`, thumbnail: `${server}/png/${n}.png` })), { source: "vision" });
    const space = imageVectorIndex(env.VECTOR_INDEX);
    const before = await space.count();

    const { ai } = describing();
    const visionEnv = { ...env, AI: ai };
    expect(servicesOf(visionEnv).imageSearch.readsImageVectors).toBe(false);
    const services = buildServices(visionEnv, { waitUntil: () => {} });
    const report = await services.imageIngestor({ allowPrivate: true, sleep: async () => {} }).runBatch(100);
    expect(report.stored + report.deduplicated).toBe(POSTERS.length * 2);
    expect((await env.DB.prepare("SELECT count(*) AS n FROM image_source WHERE status = 'stored'").first<{ n: number }>())!.n).toBe(POSTERS.length * 2);
    expect((await env.DB.prepare("SELECT count(*) AS n FROM image_vector_state").first<{ n: number }>())!.n).toBe(0);
    expect(await space.count()).toBe(before);
    const skipped = await servicesOf(visionEnv).imageIndexer.catchUp();
    expect(skipped).toEqual({ indexed: 0, removed: 0, skipped: expect.stringMatching(/llava.*does not read the image vectors/) });

    // The control: the same catalog under the local backend has exactly these to index.
    expect(await servicesOf(env).imageIndexer.catchUp()).toEqual({ indexed: POSTERS.length, removed: 0 });
    expect(await space.count()).toBe(before + POSTERS.length);
  });
});
