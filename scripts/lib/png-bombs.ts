/**
 * Hand-built PNG files, decompression bombs among them, generated on the spot (Web APIs only:
 * the unit tests run them in Node, the route tests in workerd, `scripts/bench-image-bomb.ts`
 * against a running server). Nothing here is stored as a fixture.
 *
 *   bombPng()          IHDR 1000×1000 RGB 8-bit (3,001,000 bytes of rows, under every pixel
 *                      cap), IDAT 256 MB of zeros deflated: ~261 KB, the upload of issue 15
 *   bigSixteenBitPng() a legal 16-bit RGBA image of 3264×2448 (8 MP: 64 MB of rows) whose
 *                      data is all zeros: ~62 KB on the wire
 */

const CRC_TABLE = Array.from({ length: 256 }, (_, n) => {
  let c = n;
  for (let k = 0; k < 8; k++) c = c & 1 ? 0xedb88320 ^ (c >>> 1) : c >>> 1;
  return c >>> 0;
});
export const crc32 = (bytes: Uint8Array) => (bytes.reduce((c, b) => CRC_TABLE[(c ^ b) & 255] ^ (c >>> 8), 0xffffffff) ^ 0xffffffff) >>> 0;

/** One PNG chunk: length, type, body, CRC. */
export function pngChunk(type: string, body: Uint8Array): Uint8Array {
  const out = new Uint8Array(12 + body.length);
  const view = new DataView(out.buffer);
  view.setUint32(0, body.length);
  out.set(new TextEncoder().encode(type), 4);
  out.set(body, 8);
  view.setUint32(8 + body.length, crc32(out.subarray(4, 8 + body.length)));
  return out;
}

export interface PngParts {
  width: number;
  height: number;
  depth: number;
  /** 0 grey, 2 RGB, 3 palette, 4 grey + alpha, 6 RGBA. */
  colorType: number;
  interlace?: 0 | 1;
  /** zlib data, split over IDAT chunks of at most `idatSize` bytes (default: two halves). */
  idat: Uint8Array;
  idatSize?: number;
  palette?: number[];
  trns?: number[];
}

/** A PNG file from its parts: signature, IHDR, PLTE, tRNS, IDAT…, IEND. */
export function pngFile(o: PngParts): Uint8Array {
  const ihdr = new Uint8Array(13);
  new DataView(ihdr.buffer).setUint32(0, o.width);
  new DataView(ihdr.buffer).setUint32(4, o.height);
  ihdr.set([o.depth, o.colorType, 0, 0, o.interlace ?? 0], 8);
  const parts = [new Uint8Array([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a]), pngChunk("IHDR", ihdr)];
  if (o.palette) parts.push(pngChunk("PLTE", new Uint8Array(o.palette)));
  if (o.trns) parts.push(pngChunk("tRNS", new Uint8Array(o.trns)));
  const size = o.idatSize ?? Math.max(1, Math.ceil(o.idat.length / 2));
  for (let at = 0; at < o.idat.length; at += size) parts.push(pngChunk("IDAT", o.idat.subarray(at, at + size)));
  parts.push(pngChunk("IEND", new Uint8Array(0)));
  const out = new Uint8Array(parts.reduce((n, p) => n + p.length, 0));
  parts.reduce((at, p) => (out.set(p, at), at + p.length), 0);
  return out;
}

/** zlib (`deflate`) of `data`. */
export const deflate = async (data: Uint8Array): Promise<Uint8Array> => new Uint8Array(await new Response(new Blob([data]).stream().pipeThrough(new CompressionStream("deflate"))).arrayBuffer());

/** zlib of `n` zero bytes, streamed from one reused 1 MB buffer (256 MB → ~261 KB, in ~0.5 s). */
export async function deflatedZeros(n: number): Promise<Uint8Array> {
  const zeros = new Uint8Array(1 << 20);
  let left = n;
  const source = new ReadableStream<Uint8Array>({
    pull(controller) {
      if (left <= 0) return controller.close();
      const k = Math.min(zeros.length, left);
      left -= k;
      controller.enqueue(zeros.subarray(0, k));
    },
  });
  return new Uint8Array(await new Response(source.pipeThrough(new CompressionStream("deflate"))).arrayBuffer());
}

/**
 * The decompression bomb: a header declaring `width`×`height` RGB 8-bit (height × (1 + 3 ×
 * width) bytes of rows) and image data inflating to `inflated` bytes of zeros (filter 0,
 * black pixels). Under the pixel caps, so only a bound on the inflated bytes stops it.
 */
export async function bombPng(o: { width?: number; height?: number; inflated?: number } = {}): Promise<Uint8Array> {
  const { width = 1000, height = 1000, inflated = 256 << 20 } = o;
  return pngFile({ width, height, depth: 8, colorType: 2, idat: await deflatedZeros(inflated), idatSize: 1 << 16 });
}

/** A legal 16-bit RGBA PNG, all zeros (transparent black): tiny on the wire, 8 bytes a pixel decoded. */
export async function bigSixteenBitPng(o: { width?: number; height?: number } = {}): Promise<Uint8Array> {
  const { width = 3264, height = 2448 } = o;
  return pngFile({ width, height, depth: 16, colorType: 6, idat: await deflatedZeros(height * (1 + width * 8)), idatSize: 1 << 16 });
}
