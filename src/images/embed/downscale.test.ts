import { readFileSync } from "node:fs";
import { describe, expect, it } from "vitest";
import jpeg from "jpeg-js";
import { encode as encodePng } from "fast-png";
import { BoxDownscaler, downscale, ImageTooLarge, visionJpeg, VISION_MAX_SIDE } from "./downscale";
import { UnsupportedImage } from "./decode";

/** A width×height picture: left half red, right half blue, opaque unless `alpha` is given. */
function halves(width: number, height: number, alpha = 255): Uint8Array {
  const data = new Uint8Array(width * height * 4);
  for (let y = 0; y < height; y++)
    for (let x = 0; x < width; x++) data.set(x < width / 2 ? [220, 20, 20, alpha] : [20, 20, 220, alpha], (y * width + x) * 4);
  return data;
}
const fixture = (name: string) => new Uint8Array(readFileSync(new URL(`../../../test/images/fixtures/${name}`, import.meta.url)));
const jpegOf = (width: number, height: number) => new Uint8Array(jpeg.encode({ data: halves(width, height), width, height }, 90).data);
const decoded = (bytes: Uint8Array) => jpeg.decode(bytes, { useTArray: true, formatAsRGBA: true });
const rgbAt = (img: { width: number; data: Uint8Array }, x: number, y: number) => Array.from(img.data.subarray((y * img.width + x) * 4, (y * img.width + x) * 4 + 3));

describe("downscale (box filter)", () => {
  it("averages each block of source pixels, composited on white", () => {
    // 4×2: columns 0–1 black, 2–3 transparent (any colour): → 2×1 of black and white.
    const rgba = new Uint8Array(4 * 2 * 4);
    for (let y = 0; y < 2; y++)
      for (let x = 0; x < 4; x++) rgba.set(x < 2 ? [0, 0, 0, 255] : [10, 200, 30, 0], (y * 4 + x) * 4);
    const out = downscale({ width: 4, height: 2, rgba }, 2);
    expect([out.width, out.height]).toEqual([2, 1]);
    expect(Array.from(out.rgba)).toEqual([0, 0, 0, 255, 255, 255, 255, 255]);
  });

  it("keeps the size of a picture already small enough", () => {
    const out = downscale({ width: 3, height: 5, rgba: halves(3, 5) }, 672);
    expect([out.width, out.height]).toEqual([3, 5]);
  });

  it("fed row by row, 1000 rows into 7: every output row averages its own source rows", () => {
    const box = new BoxDownscaler(1, 1000, 7);
    for (let y = 0; y < 1000; y++) box.push(new Uint8Array([y < 500 ? 0 : 210, 0, 0]));
    const out = box.result();
    expect([out.width, out.height]).toEqual([1, 7]);
    const reds = Array.from({ length: 7 }, (_, y) => out.rgba[y * 4]);
    expect(reds.slice(0, 3)).toEqual([0, 0, 0]);
    expect(reds[3]).toBeGreaterThan(0); // the row straddling 500
    expect(reds[3]).toBeLessThan(210);
    expect(reds.slice(4)).toEqual([210, 210, 210]);
  });

  it("says when rows are missing", () => {
    const box = new BoxDownscaler(2, 10, 5);
    box.push(new Uint8Array(6));
    expect(() => box.result()).toThrow(UnsupportedImage);
  });
});

describe("visionJpeg: what the vision model is sent", () => {
  it("a large JPEG becomes a JPEG of at most 672 px on its long side, same picture, far fewer bytes", async () => {
    const big = jpegOf(2000, 1250);
    const out = await visionJpeg(big, "image/jpeg");
    expect([out[0], out[1]]).toEqual([0xff, 0xd8]);
    const img = decoded(out);
    expect([img.width, img.height]).toEqual([VISION_MAX_SIDE, 420]);
    expect(out.length).toBeLessThan(big.length / 4);
    const [r1, , b1] = rgbAt(img, 100, 200);
    const [r2, , b2] = rgbAt(img, 570, 200);
    expect(r1).toBeGreaterThan(180);
    expect(b1).toBeLessThan(60);
    expect(b2).toBeGreaterThan(180);
    expect(r2).toBeLessThan(60);
  });

  it("a small JPEG is sent as it is", async () => {
    const small = jpegOf(300, 450);
    expect(await visionJpeg(small, "image/jpeg")).toBe(small);
  });

  it("a progressive 4:2:0 JPEG is decoded too (kept at its size, re-encoded as a baseline JPEG)", async () => {
    const out = await visionJpeg(fixture("progressive-420.jpg"), "image/jpeg");
    const img = decoded(out);
    expect([img.width, img.height]).toEqual([203, 117]);
    const ref = jpeg.decode(fixture("progressive-420.jpg"), { useTArray: true, formatAsRGBA: true });
    let diff = 0;
    for (let i = 0; i < img.data.length; i++) if (i % 4 !== 3) diff += Math.abs(img.data[i] - ref.data[i]);
    expect(diff / ((img.data.length * 3) / 4)).toBeLessThan(4); // re-encoded at quality 85: close, not equal
  });

  it("a PNG becomes a JPEG, its transparency flattened onto white", async () => {
    const png = encodePng({ width: 800, height: 100, data: halves(800, 100, 0), channels: 4 });
    const img = decoded(await visionJpeg(png, "image/png"));
    expect([img.width, img.height]).toEqual([672, 84]);
    for (const v of rgbAt(img, 10, 40)) expect(v).toBeGreaterThan(245);
  });

  it("an interlaced PNG is decoded whole, only when small", async () => {
    const png = encodePng({ width: 700, height: 10, data: halves(700, 10), channels: 4 }, { interlace: "Adam7" });
    expect([decoded(await visionJpeg(png, "image/png")).width]).toEqual([672]);
    new DataView(png.buffer, png.byteOffset).setUint32(16, 1100);
    new DataView(png.buffer, png.byteOffset).setUint32(20, 1000);
    await expect(visionJpeg(png, "image/png")).rejects.toThrow(/interlaced PNG it is too large/);
  });

  it("refuses more than 4 megapixels from the header, before decoding", async () => {
    const png = encodePng({ width: 1, height: 1, data: new Uint8Array(4), channels: 4 });
    const view = new DataView(png.buffer, png.byteOffset);
    view.setUint32(16, 2100);
    view.setUint32(20, 2000);
    await expect(visionJpeg(png, "image/png")).rejects.toBeInstanceOf(ImageTooLarge);
    await expect(visionJpeg(png, "image/png")).rejects.toThrow(/2100×2000: images of at most 4 megapixels/);
  });

  it("refuses a 6 MP progressive JPEG (36 MB of coefficients without chroma subsampling) from its header", async () => {
    // Under the 4 MP cap every progressive JPEG fits PROGRESSIVE_MAX_BYTES; jpeg-rows.test.ts tests that budget itself.
    const err = await visionJpeg(fixture("progressive-6mp-flat.jpg"), "image/jpeg").catch((e) => e);
    expect(err).toBeInstanceOf(ImageTooLarge);
    expect(err.message).toMatch(/3000×2000: images of at most 4 megapixels/);
  });

  it("takes JPEG and PNG only, and says when a file cannot be decoded", async () => {
    await expect(visionJpeg(new TextEncoder().encode("GIF89a…"), "image/gif")).rejects.toBeInstanceOf(UnsupportedImage);
    const whole = jpegOf(800, 600);
    const sos = whole.findIndex((b, i) => b === 0xff && whole[i + 1] === 0xda);
    const headersOnly = whole.slice(0, sos); // the frame header is there, the scan is not
    await expect(visionJpeg(headersOnly, "image/jpeg")).rejects.toThrow(/could not be decoded \(no image data\)/);
  });
});
