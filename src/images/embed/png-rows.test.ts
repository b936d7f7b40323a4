import { describe, expect, it } from "vitest";
import { encode as encodePng } from "fast-png";
import { decodePngRows, InterlacedPng, PngError } from "./png-rows";
import { decodeImage } from "./decode";

const CRC_TABLE = Array.from({ length: 256 }, (_, n) => {
  let c = n;
  for (let k = 0; k < 8; k++) c = c & 1 ? 0xedb88320 ^ (c >>> 1) : c >>> 1;
  return c >>> 0;
});
const crc32 = (bytes: Uint8Array) => (bytes.reduce((c, b) => CRC_TABLE[(c ^ b) & 255] ^ (c >>> 8), 0xffffffff) ^ 0xffffffff) >>> 0;

function chunk(type: string, body: Uint8Array): Uint8Array {
  const out = new Uint8Array(12 + body.length);
  const view = new DataView(out.buffer);
  view.setUint32(0, body.length);
  out.set(new TextEncoder().encode(type), 4);
  out.set(body, 8);
  view.setUint32(8 + body.length, crc32(out.subarray(4, 8 + body.length)));
  return out;
}

const deflate = async (data: Uint8Array) => new Uint8Array(await new Response(new Blob([data]).stream().pipeThrough(new CompressionStream("deflate"))).arrayBuffer());

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
  const ihdr = new Uint8Array(13);
  new DataView(ihdr.buffer).setUint32(0, o.width);
  new DataView(ihdr.buffer).setUint32(4, o.height);
  ihdr.set([o.depth, o.colorType, 0, 0, 0], 8);
  const compressed = await deflate(filtered);
  // Split the data over two IDAT chunks, as encoders do for large images.
  const half = compressed.length >> 1;
  const parts = [new Uint8Array([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a]), chunk("IHDR", ihdr)];
  if (o.palette) parts.push(chunk("PLTE", new Uint8Array(o.palette)));
  if (o.trns) parts.push(chunk("tRNS", new Uint8Array(o.trns)));
  parts.push(chunk("IDAT", compressed.subarray(0, half)), chunk("IDAT", compressed.subarray(half)), chunk("IEND", new Uint8Array(0)));
  const out = new Uint8Array(parts.reduce((n, p) => n + p.length, 0));
  parts.reduce((at, p) => (out.set(p, at), at + p.length), 0);
  return out;
}

async function rowsOf(bytes: Uint8Array): Promise<{ width: number; height: number; rows: Uint8Array[] }> {
  const rows: Uint8Array[] = [];
  let size = { width: 0, height: 0 };
  await decodePngRows(bytes, (width, height) => ((size = { width, height }), (rgb) => rows.push(rgb.slice())));
  return { ...size, rows };
}

/** fast-png's decode (through decode.ts), composited on white: the oracle. */
function expected(bytes: Uint8Array): Uint8Array[] {
  const img = decodeImage(bytes, "image/png");
  return Array.from({ length: img.height }, (_, y) => {
    const row = new Uint8Array(img.width * 3);
    for (let x = 0; x < img.width; x++) {
      const i = (y * img.width + x) * 4;
      const a = img.rgba[i + 3];
      for (let c = 0; c < 3; c++) row[x * 3 + c] = Math.floor((img.rgba[i + c] * a + 255 * (255 - a) + 127) / 255);
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
