import { describe, expect, it } from "vitest";
import { encode as encodePng } from "fast-png";
import { decode as decodeFastPng } from "fast-png";
import { checkPngData, decodePngRows, INFLATE_CHUNK, InterlacedPng, PngError, rawBytes, type InflateStats } from "./png-rows";
import { bigSixteenBitPng, bombPng, deflate, deflatedZeros, pngFile } from "../../../scripts/lib/png-bombs";

/** A PNG whose rows are filtered with `filters[y % filters.length]` (fast-png's encoder only writes filter 0). */
async function png(o: { width: number; height: number; colorType: number; depth: number; raw: Uint8Array; filters: number[]; palette?: number[]; trns?: number[] }): Promise<Uint8Array> {
  const channels = { 0: 1, 2: 3, 3: 1, 4: 2, 6: 4 }[o.colorType]!;
  const rowBytes = Math.ceil((o.width * channels * o.depth) / 8);
  const bpp = Math.max(1, (channels * o.depth) >> 3);
  const filtered = new Uint8Array((rowBytes + 1) * o.height);
  for (let y = 0; y < o.height; y++) {
    const f = o.filters[y % o.filters.length];
    const row = o.raw.subarray(y * rowBytes, (y + 1) * rowBytes);
    const up = y > 0 ? o.raw.subarray((y - 1) * rowBytes, y * rowBytes) : new Uint8Array(rowBytes);
    filtered[y * (rowBytes + 1)] = f;
    for (let i = 0; i < rowBytes; i++) {
      const a = i >= bpp ? row[i - bpp] : 0;
      const b = up[i];
      const c = i >= bpp ? up[i - bpp] : 0;
      const p = a + b - c;
      const paeth = Math.abs(p - a) <= Math.abs(p - b) && Math.abs(p - a) <= Math.abs(p - c) ? a : Math.abs(p - b) <= Math.abs(p - c) ? b : c;
      const predictor = [0, a, b, (a + b) >> 1, paeth][f];
      filtered[y * (rowBytes + 1) + 1 + i] = (row[i] - predictor) & 255;
    }
  }
  const compressed = await deflate(filtered);
  // Split the data over two IDAT chunks, as encoders do for large images.
  return pngFile({ width: o.width, height: o.height, depth: o.depth, colorType: o.colorType, idat: compressed, palette: o.palette, trns: o.trns });
}

async function rowsOf(bytes: Uint8Array): Promise<{ width: number; height: number; rows: Uint8Array[] }> {
  const rows: Uint8Array[] = [];
  let size = { width: 0, height: 0 };
  await decodePngRows(bytes, (width, height) => ((size = { width, height }), (rgb) => rows.push(rgb.slice())));
  return { ...size, rows };
}

/** fast-png's decode, composited on white: the oracle. */
function expected(bytes: Uint8Array): Uint8Array[] {
  const img = decodeFastPng(bytes);
  const shift = img.depth === 16 ? 8 : 0;
  const rgba = (p: number): number[] => {
    if (img.palette) {
      const c = img.palette[img.data[p]];
      return [c[0], c[1], c[2], c[3] ?? 255];
    }
    const v = Array.from(img.data.subarray(p * img.channels, (p + 1) * img.channels), (x) => x >> shift);
    return img.channels >= 3 ? [v[0], v[1], v[2], v[3] ?? 255] : [v[0], v[0], v[0], v[1] ?? 255];
  };
  return Array.from({ length: img.height }, (_, y) => {
    const row = new Uint8Array(img.width * 3);
    for (let x = 0; x < img.width; x++) {
      const [r, g, b, a] = rgba(y * img.width + x);
      [r, g, b].forEach((v, c) => (row[x * 3 + c] = Math.floor((v * a + 255 * (255 - a) + 127) / 255)));
    }
    return row;
  });
}

const noise = (n: number, seed = 7) => Uint8Array.from({ length: n }, () => ((seed = (seed * 1103515245 + 12345) >>> 0) >>> 16) & 255);

describe("decodePngRows: the same pixels as fast-png, one row at a time", () => {
  it.each([
    ["RGBA 8-bit", 6, 8],
    ["RGB 8-bit", 2, 8],
    ["grey + alpha 8-bit", 4, 8],
    ["grey 8-bit", 0, 8],
    ["RGBA 16-bit", 6, 16],
    ["RGB 16-bit", 2, 16],
  ])("%s, every row filter", async (_, colorType, depth) => {
    const width = 37;
    const height = 11;
    const channels = { 0: 1, 2: 3, 4: 2, 6: 4 }[colorType]!;
    const bytes = await png({ width, height, colorType, depth, raw: noise(width * height * channels * (depth / 8)), filters: [0, 1, 2, 3, 4] });
    const mine = await rowsOf(bytes);
    expect([mine.width, mine.height]).toEqual([width, height]);
    expect(mine.rows).toEqual(expected(bytes));
  });

  it("a palette with transparency", async () => {
    const palette = [255, 0, 0, 0, 0, 255, 10, 20, 30];
    const bytes = await png({ width: 3, height: 2, colorType: 3, depth: 8, raw: new Uint8Array([0, 1, 2, 2, 1, 0]), filters: [1, 4], palette, trns: [255, 0] });
    const { rows } = await rowsOf(bytes);
    expect(Array.from(rows[0])).toEqual([255, 0, 0, 255, 255, 255, 10, 20, 30]); // index 1 is transparent: white
    expect(rows).toEqual(expected(bytes));
  });

  it("sub-byte depths: 1-bit grey and 2-bit palette", async () => {
    const grey = await png({ width: 10, height: 1, colorType: 0, depth: 1, raw: new Uint8Array([0b10100000, 0b11000000]), filters: [0] });
    expect(Array.from((await rowsOf(grey)).rows[0]).filter((_, i) => i % 3 === 0)).toEqual([255, 0, 255, 0, 0, 0, 0, 0, 255, 255]);
    const indexed = await png({ width: 5, height: 1, colorType: 3, depth: 2, raw: new Uint8Array([0b00011011, 0b01000000]), filters: [0], palette: [0, 0, 0, 10, 10, 10, 20, 20, 20, 30, 30, 30] });
    expect(Array.from((await rowsOf(indexed)).rows[0]).filter((_, i) => i % 3 === 0)).toEqual([0, 10, 20, 30, 10]);
  });

  it("fast-png's own RGBA PNG", async () => {
    const bytes = encodePng({ width: 50, height: 30, data: noise(50 * 30 * 4), channels: 4 });
    expect((await rowsOf(bytes)).rows).toEqual(expected(bytes));
  });
});

describe("decodePngRows: what it refuses", () => {
  it("an interlaced PNG (its rows arrive out of order)", async () => {
    const bytes = encodePng({ width: 8, height: 8, data: noise(256), channels: 4 }, { interlace: "Adam7" });
    await expect(rowsOf(bytes)).rejects.toBeInstanceOf(InterlacedPng);
  });

  it("image data that ends early, or is not deflate", async () => {
    const full = await png({ width: 20, height: 20, colorType: 2, depth: 8, raw: noise(1200), filters: [0] });
    const cut = full.slice();
    new DataView(cut.buffer).setUint32(20, 40); // IHDR: 40 rows, the data holds 20
    expect((await rowsOf(full)).rows).toHaveLength(20);
    await expect(rowsOf(cut)).rejects.toThrow(/ends after 20 of 40 rows/);
    const garbage = full.slice();
    garbage.fill(0x55, 41, 60); // inside the first IDAT
    await expect(rowsOf(garbage)).rejects.toBeInstanceOf(PngError);
  });
});

describe("decompression bombs: inflation stops past the header's exact size", () => {
  /** Past the budget, at most one piece of output. */
  const SLACK = INFLATE_CHUNK;

  it("a 1000×1000 RGB header with 256 MB of image data (~261 KB): refused having inflated ~3 MB", async () => {
    const bomb = await bombPng();
    expect(bomb.length).toBeLessThan(300_000);
    const budget = rawBytes({ width: 1000, height: 1000, depth: 8, colorType: 2, interlace: 0 });
    expect(budget).toBe(1000 * (1 + 3 * 1000));
    const stats: InflateStats = { inflatedBytes: 0 };
    let rows = 0;
    const t = performance.now();
    const err = await rowsOfCounted(bomb, stats, () => rows++).catch((e) => e);
    expect(err).toBeInstanceOf(PngError);
    expect(err.tooLarge).toBe(true);
    expect(err.message).toMatch(/inflates past the 3001000 bytes its header declares/);
    expect(rows).toBeLessThanOrEqual(1000); // refused with the piece that crosses the budget: never a row past the declared ones
    expect(stats.inflatedBytes).toBeGreaterThan(budget);
    expect(stats.inflatedBytes).toBeLessThan(budget + SLACK);
    expect(performance.now() - t).toBeLessThan(2000);

    const checked: InflateStats = { inflatedBytes: 0 };
    expect(() => checkPngData(bomb, checked)).toThrow(PngError);
    expect(checked.inflatedBytes).toBeLessThan(budget + SLACK);
  });

  it("one byte more than the rows is refused; the exact size is not", async () => {
    const exact = pngFile({ width: 4, height: 3, depth: 8, colorType: 2, idat: await deflate(new Uint8Array(3 * 13)) });
    expect((await rowsOf(exact)).rows).toHaveLength(3);
    expect(checkPngData(exact).inflatedBytes).toBe(39);
    const over = pngFile({ width: 4, height: 3, depth: 8, colorType: 2, idat: await deflate(new Uint8Array(3 * 13 + 1)) });
    await expect(rowsOf(over)).rejects.toMatchObject({ tooLarge: true });
    expect(() => checkPngData(over)).toThrow(/inflates past the 39 bytes/);
  });

  it("an interlaced bomb: checkPngData counts against the seven passes", async () => {
    const header = { width: 100, height: 100, depth: 8, colorType: 6, interlace: 1 };
    const budget = rawBytes(header);
    const legal = encodePng({ width: 100, height: 100, data: noise(100 * 100 * 4), channels: 4 }, { interlace: "Adam7" });
    expect(checkPngData(legal).inflatedBytes).toBe(budget);
    const bomb = pngFile({ ...header, interlace: 1, idat: await deflatedZeros(64 << 20), idatSize: 1 << 16 });
    const stats: InflateStats = { inflatedBytes: 0 };
    expect(() => checkPngData(bomb, stats)).toThrow(/inflates past/);
    expect(stats.inflatedBytes).toBeLessThan(budget + SLACK);
  });

  it("a legal 16-bit RGBA PNG of 8 MP (~62 KB) streams in two rows of memory, inflating exactly its rows", async () => {
    const png = await bigSixteenBitPng();
    expect(png.length).toBeLessThan(100_000);
    const stats: InflateStats = { inflatedBytes: 0 };
    let rows = 0;
    await rowsOfCounted(png, stats, () => rows++);
    expect(rows).toBe(2448);
    expect(stats.inflatedBytes).toBe(2448 * (1 + 3264 * 8));
  });
});

/** Decodes, counting rows without keeping them (a bomb's rows would fill the heap otherwise). */
async function rowsOfCounted(bytes: Uint8Array, stats: InflateStats, row: () => void): Promise<void> {
  decodePngRows(bytes, () => row, stats);
}
