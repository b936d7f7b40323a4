import { Inflate } from "pako";

/**
 * A PNG decoder that hands over the picture one RGB row at a time (alpha composited on
 * white), inflating as it goes: memory is two rows, whatever the size (fast-png inflates the
 * whole image, then copies it: ~12 bytes per pixel). All colour types and bit depths;
 * Adam7-interlaced files are refused (InterlacedPng): their rows do not arrive in order.
 *
 * The inflated bytes are bounded: a PNG's header says exactly how many bytes its image data
 * inflates to (rawBytes), and inflation stops as soon as it passes that — a few hundred KB
 * of IDAT can inflate to gigabytes (a decompression bomb). pako inflates synchronously into
 * INFLATE_CHUNK-byte pieces and each is counted before the next is made. (The platform's
 * DecompressionStream inflates each written chunk whole and does not wait for its reader:
 * it cannot be stopped in time.)
 */

/** Malformed or refused; `tooLarge` when the image data inflates past what the header declares. */
export class PngError extends Error {
  constructor(
    message: string,
    readonly tooLarge = false,
  ) {
    super(message);
  }
}
/** The file is interlaced: decode it whole instead (src/images/embed/decode.ts). */
export class InterlacedPng extends Error {}

/** How far inflation went: tests and benchmarks read it to see that a bomb was stopped early. */
export interface InflateStats {
  inflatedBytes: number;
}

const CHANNELS: Record<number, number> = { 0: 1, 2: 3, 3: 1, 4: 2, 6: 4 };
/** Output of one inflate step: the most ever inflated past the budget before it is refused. */
export const INFLATE_CHUNK = 64 * 1024;
/** Adam7 passes: x0, y0, dx, dy. */
const ADAM7 = [
  [0, 0, 8, 8], [4, 0, 8, 8], [0, 4, 4, 8], [2, 0, 4, 4], [0, 2, 2, 4], [1, 0, 2, 2], [0, 1, 1, 2],
];

export interface PngHeader {
  width: number;
  height: number;
  depth: number;
  colorType: number;
  interlace: number;
}

/** Reads the chunks (no copy: views into `bytes`). */
function chunks(bytes: Uint8Array) {
  const sig = [0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a];
  if (sig.some((b, i) => bytes[i] !== b)) throw new PngError("not a PNG");
  const view = new DataView(bytes.buffer, bytes.byteOffset, bytes.byteLength);
  let header: PngHeader | null = null;
  let palette: Uint8Array | null = null;
  let transparency: Uint8Array | null = null;
  const data: Uint8Array[] = [];
  for (let pos = 8; pos + 8 <= bytes.length; ) {
    const length = view.getUint32(pos);
    const type = String.fromCharCode(bytes[pos + 4], bytes[pos + 5], bytes[pos + 6], bytes[pos + 7]);
    const body = bytes.subarray(pos + 8, pos + 8 + length);
    if (body.length < length) throw new PngError(`truncated ${type} chunk`);
    if (type === "IHDR") header = { width: view.getUint32(pos + 8), height: view.getUint32(pos + 12), depth: body[8], colorType: body[9], interlace: body[12] };
    else if (type === "PLTE") palette = body;
    else if (type === "tRNS") transparency = body;
    else if (type === "IDAT") data.push(body);
    else if (type === "IEND") break;
    pos += 12 + length;
  }
  if (!header) throw new PngError("no IHDR chunk");
  const channels = CHANNELS[header.colorType];
  if (!channels || ![1, 2, 4, 8, 16].includes(header.depth)) throw new PngError(`colour type ${header.colorType} at depth ${header.depth} is not a valid PNG`);
  if (header.width < 1 || header.height < 1) throw new PngError("the header declares no size");
  return { header, palette, transparency, data };
}

/** Bytes of one filtered row (its filter byte included) `width` pixels wide. */
const rowSize = (h: PngHeader, width: number) => 1 + Math.ceil((width * CHANNELS[h.colorType] * h.depth) / 8);

/**
 * Exactly what the image data of a PNG with this header inflates to: height × (1 + row
 * bytes), or the sum over the seven Adam7 passes when interlaced. Anything more is refused.
 */
export function rawBytes(h: PngHeader): number {
  if (!h.interlace) return h.height * rowSize(h, h.width);
  let total = 0;
  for (const [x0, y0, dx, dy] of ADAM7) {
    const w = Math.ceil((h.width - x0) / dx);
    const rows = Math.ceil((h.height - y0) / dy);
    if (w > 0 && rows > 0) total += rows * rowSize(h, w);
  }
  return total;
}

/**
 * Inflates the IDAT data, handing each piece (≤ INFLATE_CHUNK bytes) to `sink`, and throws
 * PngError (`tooLarge`) as soon as the total passes `budget`; other inflate failures are
 * PngError too. Data after the end of the zlib stream is ignored.
 */
function inflateBounded(data: Uint8Array[], budget: number, stats: InflateStats, sink: (piece: Uint8Array) => void): void {
  const inflater = new Inflate({ chunkSize: INFLATE_CHUNK, windowBits: 15 });
  // Thrown from onData, out through push: the inflater is dropped where it stands.
  inflater.onData = (piece) => {
    stats.inflatedBytes += piece.length;
    if (stats.inflatedBytes > budget) throw new PngError(`its image data inflates past the ${budget} bytes its header declares`, true);
    sink(piece);
  };
  for (const d of data) if (!inflater.push(d, false)) break;
  if (!inflater.ended) inflater.push(new Uint8Array(0), true);
  if (inflater.err) throw new PngError(`the image data could not be inflated (${inflater.msg || `zlib error ${inflater.err}`})`);
}

/** The header of a PNG (size, depth, colour type, interlace), checked; throws PngError. */
export function pngHeader(bytes: Uint8Array): PngHeader {
  return chunks(bytes).header;
}

/**
 * Inflates a PNG's image data without decoding it (memory: the inflater's window), to learn
 * that it stays within what the header declares. For files decoded whole (interlaced) and
 * for ingestion, which stores what it checked. Throws PngError (`tooLarge` for a bomb).
 */
export function checkPngData(bytes: Uint8Array, stats: InflateStats = { inflatedBytes: 0 }): InflateStats {
  const { header, palette, data } = chunks(bytes);
  if (header.colorType === 3 && !palette) throw new PngError("a palette PNG without PLTE");
  const budget = rawBytes(header);
  inflateBounded(data, budget, stats, () => {});
  if (stats.inflatedBytes < budget) throw new PngError(`the image data ends after ${stats.inflatedBytes} of ${budget} bytes`);
  return stats;
}

/**
 * Decodes `bytes`, calling `start` once with the size (it may throw to refuse it: nothing is
 * inflated yet), then its sink once per row (top to bottom) with `width × 3` bytes of RGB
 * (reused between calls). Image data inflating past the header's rawBytes is refused (PngError
 * `tooLarge`), also after the last row. Throws PngError, InterlacedPng. `stats` counts the
 * inflated bytes.
 */
export function decodePngRows(bytes: Uint8Array, start: (width: number, height: number) => (rgb: Uint8Array) => void, stats: InflateStats = { inflatedBytes: 0 }): InflateStats {
  const { header, palette, transparency, data } = chunks(bytes);
  const { width, height, depth, colorType, interlace } = header;
  const channels = CHANNELS[colorType];
  if (colorType === 3 && !palette) throw new PngError("a palette PNG without PLTE");
  if (interlace) throw new InterlacedPng("interlaced PNG");
  const sink = start(width, height);
  const rowBytes = rowSize(header, width) - 1;
  const bpp = Math.max(1, (channels * depth) >> 3);
  const prev = new Uint8Array(rowBytes);
  const cur = new Uint8Array(rowBytes + 1); // filter byte, then the row
  const rgb = new Uint8Array(width * 3);
  const toRgb = rowConverter({ width, depth, colorType, palette, transparency });

  let filled = 0;
  let y = 0;
  // The budget is the exact size of the rows: a byte more and inflateBounded refuses.
  inflateBounded(data, rawBytes(header), stats, (value) => {
    for (let i = 0; i < value.length; ) {
      const take = Math.min(value.length - i, cur.length - filled);
      cur.set(value.subarray(i, i + take), filled);
      filled += take;
      i += take;
      if (filled < cur.length) break;
      const row = cur.subarray(1);
      unfilter(cur[0], row, prev, bpp);
      toRgb(row, rgb);
      sink(rgb);
      prev.set(row);
      filled = 0;
      y++;
    }
  });
  if (y < height) throw new PngError(`the image data ends after ${y} of ${height} rows`);
  return stats;
}

function unfilter(filter: number, row: Uint8Array, prev: Uint8Array, bpp: number): void {
  const n = row.length;
  switch (filter) {
    case 0:
      return;
    case 1:
      for (let i = bpp; i < n; i++) row[i] = (row[i] + row[i - bpp]) & 255;
      return;
    case 2:
      for (let i = 0; i < n; i++) row[i] = (row[i] + prev[i]) & 255;
      return;
    case 3:
      for (let i = 0; i < n; i++) row[i] = (row[i] + (((i >= bpp ? row[i - bpp] : 0) + prev[i]) >> 1)) & 255;
      return;
    case 4:
      for (let i = 0; i < n; i++) {
        const a = i >= bpp ? row[i - bpp] : 0;
        const b = prev[i];
        const c = i >= bpp ? prev[i - bpp] : 0;
        const p = a + b - c;
        const pa = Math.abs(p - a);
        const pb = Math.abs(p - b);
        const pc = Math.abs(p - c);
        row[i] = (row[i] + (pa <= pb && pa <= pc ? a : pb <= pc ? b : c)) & 255;
      }
      return;
    default:
      throw new PngError(`unknown row filter ${filter}`);
  }
}

/** Raw samples of one row → RGB composited on white (tRNS honoured). */
function rowConverter(h: { width: number; depth: number; colorType: number; palette: Uint8Array | null; transparency: Uint8Array | null }): (row: Uint8Array, rgb: Uint8Array) => void {
  const { width, depth, colorType, palette, transparency } = h;
  const channels = CHANNELS[colorType];
  const max = (1 << Math.min(depth, 8)) - 1;
  // Sample `s` (0-based, across the row) at the file's depth; 16-bit → its high byte unless `full`.
  const sample = (row: Uint8Array, s: number, full = false): number => {
    if (depth === 8) return row[s];
    if (depth === 16) return full ? (row[2 * s] << 8) | row[2 * s + 1] : row[2 * s];
    const perByte = 8 / depth;
    return (row[Math.floor(s / perByte)] >> (8 - depth * ((s % perByte) + 1))) & max;
  };
  const key = transparency && (colorType === 0 || colorType === 2) ? Array.from({ length: transparency.length >> 1 }, (_, i) => (transparency[2 * i] << 8) | transparency[2 * i + 1]) : null;
  const put = (rgb: Uint8Array, o: number, r: number, g: number, b: number, a: number) => {
    const white = 255 - a;
    rgb[o] = (r * a + 255 * white + 127) / 255;
    rgb[o + 1] = (g * a + 255 * white + 127) / 255;
    rgb[o + 2] = (b * a + 255 * white + 127) / 255;
  };
  const scale = depth < 8 ? 255 / max : 1;
  return (row, rgb) => {
    for (let x = 0, o = 0; x < width; x++, o += 3) {
      const s = x * channels;
      switch (colorType) {
        case 3: {
          const i = sample(row, s);
          put(rgb, o, palette![3 * i] ?? 0, palette![3 * i + 1] ?? 0, palette![3 * i + 2] ?? 0, transparency?.[i] ?? 255);
          break;
        }
        case 0: {
          const v = sample(row, s) * scale;
          put(rgb, o, v, v, v, key && sample(row, s, true) === key[0] ? 0 : 255);
          break;
        }
        case 4: {
          const v = sample(row, s);
          put(rgb, o, v, v, v, sample(row, s + 1));
          break;
        }
        case 2: {
          const a = key && sample(row, s, true) === key[0] && sample(row, s + 1, true) === key[1] && sample(row, s + 2, true) === key[2] ? 0 : 255;
          put(rgb, o, sample(row, s), sample(row, s + 1), sample(row, s + 2), a);
          break;
        }
        default:
          put(rgb, o, sample(row, s), sample(row, s + 1), sample(row, s + 2), sample(row, s + 3));
      }
    }
  };
}
