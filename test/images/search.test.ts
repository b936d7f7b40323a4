import { beforeAll, describe, expect, inject, it } from "vitest";
import { env } from "cloudflare:workers";
import { createExecutionContext, waitOnExecutionContext } from "cloudflare:test";
import jpeg from "jpeg-js";
import { BASE, servicesOf, call, expectProblem, importEntries, resetCatalog } from "../helpers";
import { entry } from "../sync/fixtures";
import { testServices } from "../helpers";
import { createApp } from "../../src/app";

const server = inject("imageServer");
const POSTERS = Array.from({ length: 12 }, (_, i) => 31 + i);
const ids = new Map<number, number>();

beforeAll(async () => {
  await resetCatalog();
  await env.DB.prepare("DELETE FROM image_source").run();
  await importEntries(env.DB, POSTERS.map((n) => entry(9300 + n, { title: `Poster ${n}`, picture: `${server}/good/${n}.jpg`, thumbnail: `${server}/png/${n}.png` })), { source: "posters" });
  for (const n of POSTERS) ids.set(n, (await env.DB.prepare("SELECT id FROM anime WHERE title = ?1").bind(`Poster ${n}`).first<{ id: number }>())!.id);
  const report = await testServices().imageIngestor({ allowPrivate: true, sleep: async () => {} }).runBatch(100);
  expect(report.stored + report.deduplicated).toBe(POSTERS.length * 2);
});

/** The poster at half size, re-encoded as a lower-quality JPEG. */
async function halfSizeReencoded(n: number): Promise<Uint8Array> {
  const original = jpeg.decode(new Uint8Array(await (await fetch(`${server}/good/${n}.jpg`)).arrayBuffer()), { useTArray: true });
  const w = original.width >> 1;
  const h = original.height >> 1;
  const data = new Uint8Array(w * h * 4);
  for (let y = 0; y < h; y++)
    for (let x = 0; x < w; x++)
      for (let c = 0; c < 4; c++) {
        const at = (yy: number, xx: number) => original.data[((2 * y + yy) * original.width + 2 * x + xx) * 4 + c];
        data[(y * w + x) * 4 + c] = (at(0, 0) + at(0, 1) + at(1, 0) + at(1, 1)) >> 2;
      }
  return new Uint8Array(jpeg.encode({ data, width: w, height: h }, 60).data);
}

const upload = (bytes: Uint8Array, name = "poster.jpg") => {
  const form = new FormData();
  form.append("file", new File([bytes], name, { type: "image/jpeg" }));
  return call("/v1/search/image?limit=5", { method: "POST", body: form });
};

describe("POST /v1/search/image", () => {
  it.each([33, 38, 42])("poster %i at half size, re-encoded, ranks its own anime first", async (n) => {
    const res = await upload(await halfSizeReencoded(n));
    expect(res.status).toBe(200);
    const body = (await res.json()) as any;
    expect(body.data[0].anime.id).toBe(ids.get(n));
    expect(body.data[0].score).toBeGreaterThan(body.data[1].score);
    expect(body.data[0].anime.images.picture.url).toMatch(/^\/images\/[0-9a-f]{64}\.jpg$/);
  });

  it("a URL (here a PNG of the same poster) is fetched and searched", async () => {
    const res = await call("/v1/search/image", { method: "POST", headers: { "Content-Type": "application/json" }, body: JSON.stringify({ url: `${server}/png/36.png` }) });
    expect(res.status).toBe(200);
    expect(((await res.json()) as any).data[0].anime.id).toBe(ids.get(36));
  });

  it.each(["http://127.0.0.1:9/x.jpg", "http://10.0.0.1/x.jpg"])("%s is refused with problem+json when the development setting is off", async (url) => {
    const app = createApp();
    const ctx = createExecutionContext();
    const res = await app.fetch(new Request(`${BASE}/v1/search/image`, { method: "POST", headers: { "Content-Type": "application/json" }, body: JSON.stringify({ url }) }), { ...env, IMAGE_ALLOW_PRIVATE_SOURCES: "off" }, ctx);
    await waitOnExecutionContext(ctx);
    const body = await expectProblem(res, 400, "validation_failed");
    expect(body.detail).toMatch(/refused/);
  });

  it("bad requests: no file, not an image, another media type, too large", async () => {
    await expectProblem(await call("/v1/search/image", { method: "POST", body: new FormData() }), 400, "validation_failed");
    await expectProblem(await upload(new TextEncoder().encode("not an image at all")), 415, "unsupported_media_type");
    await expectProblem(await call("/v1/search/image", { method: "POST", headers: { "Content-Type": "text/plain" }, body: "x" }), 415, "unsupported_media_type");
    await expectProblem(await upload(new Uint8Array(6 * 1024 * 1024).fill(0xff)), 413, "payload_too_large");
  });
});

describe("POST /v1/search/multimodal", () => {
  const ask = (text_weight: number) =>
    call("/v1/search/multimodal", { method: "POST", headers: { "Content-Type": "application/json" }, body: JSON.stringify({ q: "Poster 36", url: `${server}/png/40.png`, text_weight, limit: 5 }) }).then(async (r) => ({ status: r.status, body: (await r.json()) as any }));

  it("text_weight moves the ranking between the words and the image", async () => {
    const words = await ask(1);
    const picture = await ask(0);
    const both = await ask(0.5);
    expect(words.status).toBe(200);
    expect(words.body.data[0].anime.id).toBe(ids.get(36));
    expect(picture.body.data[0].anime.id).toBe(ids.get(40));
    expect(both.body.data.slice(0, 2).map((d: any) => d.anime.id).sort()).toEqual([ids.get(36), ids.get(40)].sort());
    expect(both.body.data[0]).toHaveProperty("text_rank");
  });

  it("also takes multipart, and validates its fields", async () => {
    const form = new FormData();
    form.append("q", "Poster 33");
    form.append("text_weight", "0.2");
    form.append("file", new File([await halfSizeReencoded(33)], "p.jpg", { type: "image/jpeg" }));
    const res = await call("/v1/search/multimodal", { method: "POST", body: form });
    expect(res.status).toBe(200);
    expect(((await res.json()) as any).data[0].anime.id).toBe(ids.get(33));
    const bad = (body: object) => call("/v1/search/multimodal", { method: "POST", headers: { "Content-Type": "application/json" }, body: JSON.stringify(body) });
    await expectProblem(await bad({ url: `${server}/png/40.png` }), 400, "validation_failed");
    await expectProblem(await bad({ q: "x", url: `${server}/png/40.png`, text_weight: 2 }), 400, "validation_failed");
    await expectProblem(await bad({ q: "x" }), 400, "validation_failed");
    await expectProblem(await bad({ q: "x", url: `${server}/png/40.png`, extra: 1 }), 400, "validation_failed");
  });
});

describe("POST /v1/search/multimodal reports `degraded` as GET /v1/search does", () => {
  const send = async (vars: Record<string, string>, path: string, init?: RequestInit) => {
    const ctx = createExecutionContext();
    const res = await createApp().fetch(new Request(BASE + path, init), { ...env, ...vars }, ctx);
    await waitOnExecutionContext(ctx);
    return { status: res.status, body: (await res.json()) as any };
  };
  const both = async (vars: Record<string, string>, q: string) => ({
    search: await send(vars, `/v1/search?q=${encodeURIComponent(q)}`),
    multimodal: await send(vars, "/v1/search/multimodal", { method: "POST", headers: { "Content-Type": "application/json" }, body: JSON.stringify({ q, url: `${server}/png/34.png` }) }),
  });

  it.each([
    ["everything up", {}, "Poster 34", [], []],
    ["VECTOR_BACKEND=off (keyword text leg)", { VECTOR_BACKEND: "off" }, "Poster 34 off", ["vector"], ["vector"]],
    ["the image backend unavailable", { IMAGE_SEARCH_BACKEND: "vision" }, "Poster 34 vision", [], ["image"]],
    ["both", { VECTOR_BACKEND: "off", IMAGE_SEARCH_BACKEND: "vision" }, "Poster 34 both", ["vector"], ["vector", "image"]],
  ])("%s", async (_, vars, q, searchDegraded, multimodalDegraded) => {
    // A query of its own per case: GET /v1/search keeps a degraded page for a few seconds.
    const { search, multimodal } = await both(vars as Record<string, string>, q);
    expect([search.status, multimodal.status]).toEqual([200, 200]);
    expect(search.body.degraded).toEqual(searchDegraded);
    expect(multimodal.body.degraded).toEqual(multimodalDegraded);
    expect(multimodal.body.data.length).toBeGreaterThan(0);
  });
});

describe("the image index follows the catalog", () => {
  const top = async (n: number) => ((await (await upload(await halfSizeReencoded(n))).json()) as any).data[0]?.anime.id;

  it("an orphaned anime is not returned, and loses its vector at the next pass", async () => {
    const id = ids.get(35)!;
    await env.DB.prepare("UPDATE anime SET system_status = 'ORPHANED' WHERE id = ?1").bind(id).run();
    expect(await top(35)).not.toBe(id);
    expect((await servicesOf(env).imageIndexer.catchUp()).removed).toBe(1);
    await env.DB.prepare("UPDATE anime SET system_status = 'ACTIVE' WHERE id = ?1").bind(id).run();
    expect((await servicesOf(env).imageIndexer.catchUp()).indexed).toBe(1);
    expect(await top(35)).toBe(id);
  });

  it("a space that lost its vectors (state rows left) is rebuilt by the next pass", async () => {
    const s = servicesOf(env);
    const held = await s.imageVectors.count();
    expect(held).toBeGreaterThan(0);
    await s.imageVectors.clear!(); // the object's storage lost, as under another Worker name
    expect(await top(33)).toBeUndefined();
    expect((await s.imageIndexer.catchUp()).indexed).toBe(held);
    expect(await top(33)).toBe(ids.get(33));
  });

  it("a changed picture is re-embedded: the old poster no longer finds the anime, the new one does", async () => {
    const id = ids.get(37)!;
    const scoreFor = async (n: number) => ((await (await upload(await halfSizeReencoded(n))).json()) as any).data.find((d: any) => d.anime.id === id)?.score ?? -1;
    expect(await scoreFor(37)).toBeGreaterThan(0.95);
    await env.DB.prepare("UPDATE anime SET picture = ?2 WHERE id = ?1").bind(id, `${server}/good/39.jpg`).run(); // already stored (poster 39's)
    expect(await servicesOf(env).imageIndexer.catchUp()).toEqual({ indexed: 1, removed: 0 });
    expect(await scoreFor(37)).toBeLessThan(0.9);
    expect(await scoreFor(39)).toBeGreaterThan(0.95);
    const res = (await (await upload(await halfSizeReencoded(39))).json()) as any;
    expect(res.data.slice(0, 2).map((d: any) => d.anime.id).sort()).toEqual([id, ids.get(39)].sort());
    expect(res.data.every((d: any) => d.score <= 1)).toBe(true);
  });

  it("a header claiming 20000×20000 is refused from the header, quickly: 413", async () => {
    const { encode } = await import("fast-png");
    const png = encode({ width: 1, height: 1, data: new Uint8Array(4), channels: 4 });
    const bomb = png.slice(); // the same PNG, its header claiming 20000×20000
    new DataView(bomb.buffer).setUint32(16, 20000);
    new DataView(bomb.buffer).setUint32(20, 20000);
    const t = Date.now();
    const body = await expectProblem(await upload(bomb, "bomb.png"), 413, "payload_too_large");
    expect(body.detail).toMatch(/20000×20000: images of at most 4 megapixels are read/);
    expect(Date.now() - t).toBeLessThan(2000);
  });
});

describe("which image-search backend", () => {
  it("local without Workers AI; with an AI binding, a vision model's description embedded in the text space", async () => {
    const { VisionImageSearch } = await import("../../src/images/image-search");
    const local = servicesOf(env).imageSearch;
    expect(local.model).toBe("kensho-local-phash-v1-192");
    expect(local.readsImageVectors).toBe(true);
    const calls: { model: string; input: any }[] = [];
    const ai = { run: async (model: string, input: any) => (calls.push({ model, input }), model.includes("llava") ? { description: "Cowboy Bebop, a space bounty hunter in a blue suit" } : { data: [Array.from({ length: 1024 }, (_, i) => (i === 0 ? 1 : 0))] }) } as unknown as Ai;
    const vision = servicesOf({ ...env, AI: ai }).imageSearch;
    expect(vision).toBeInstanceOf(VisionImageSearch);
    expect(vision.model).toBe("@cf/llava-hf/llava-1.5-7b-hf → @cf/baai/bge-m3");
    expect(vision.readsImageVectors).toBe(false);
    expect(servicesOf({ ...env, AI: ai, IMAGE_SEARCH_BACKEND: "local" } as Env).imageSearch.model).toBe("kensho-local-phash-v1-192");
    const poster = await halfSizeReencoded(33); // 32×48: small enough to be sent as it is
    expect((await vision.nearest({ bytes: poster, type: "image/jpeg" }, 5)).ok).toBe(true);
    expect(calls[0].model).toBe("@cf/llava-hf/llava-1.5-7b-hf");
    expect(calls[0].input.image).toEqual(Array.from(poster));
    expect(calls[0].input.prompt).toMatch(/anime poster/);
    expect(calls[1].input.text).toEqual(["Cowboy Bebop, a space bounty hunter in a blue suit"]);
  });

  it("IMAGE_SEARCH_BACKEND=vision that cannot be built answers unavailable with the reason (no silent fallback)", async () => {
    const { UnavailableImageSearch } = await import("../../src/images/image-search");
    const noAi = servicesOf({ ...env, IMAGE_SEARCH_BACKEND: "vision" } as Env).imageSearch;
    expect(noAi).toBeInstanceOf(UnavailableImageSearch);
    expect(await noAi.nearest({ bytes: new Uint8Array(0), type: "image/jpeg" }, 5)).toEqual({ ok: false, reason: "unavailable", message: "IMAGE_SEARCH_BACKEND=vision but no AI binding is configured" });
    const ai = { run: async () => ({}) } as unknown as Ai;
    const noIndex = servicesOf({ ...env, AI: ai, IMAGE_SEARCH_BACKEND: "vision", VECTOR_BACKEND: "off" } as Env).imageSearch;
    expect((noIndex as InstanceType<typeof UnavailableImageSearch>).reason).toBe("IMAGE_SEARCH_BACKEND=vision needs semantic search, and VECTOR_BACKEND is off");
    const res = await createApp().fetch(new Request(`${BASE}/v1/search/image`, { method: "POST", headers: { "Content-Type": "application/json" }, body: JSON.stringify({ url: `${server}/png/36.png` }) }), { ...env, IMAGE_SEARCH_BACKEND: "vision" }, createExecutionContext());
    await expectProblem(res, 503, "service_unavailable");
  });
});
