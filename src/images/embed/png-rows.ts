/**
 * A PNG decoder that hands over the picture one RGB row at a time (alpha composited on
 * white), inflating as it goes with the platform's DecompressionStream: memory is two rows,
 * whatever the size (fast-png inflates the whole image, then copies it: ~12 bytes per pixel).
 * All colour types and bit depths; Adam7-interlaced files are refused (InterlacedPng): their
 * rows do not arrive in order.
 */

export class PngError extends Error {}
/** The file is interlaced: decode it whole instead (src/images/embed/decode.ts). */
export class InterlacedPng extends Error {}

const CHANNELS: Record<number, number> = { 0: 1, 2: 3, 3: 1, 4: 2, 6: 4 };

/** Reads the chunks (no copy: views into `bytes`). */
function chunks(bytes: Uint8Array) {
  const sig = [0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a];
  if (sig.some((b, i) => bytes[i] !== b)) throw new PngError("not a PNG");
  const view = new DataView(bytes.buffer, bytes.byteOffset, bytes.byteLength);
  let header: { width: number; height: number; depth: number; colorType: number; interlace: number } | null = null;
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
  return { header, palette, transparency, data };
}

/**
 * Decodes `bytes`, calling `start` once with the size, then its sink once per row (top to
 * bottom) with `width × 3` bytes of RGB (reused between calls). Throws PngError, InterlacedPng.
 */
export async function decodePngRows(bytes: Uint8Array, start: (width: number, height: number) => (rgb: Uint8Array) => void): Promise<void> {
  const { header, palette, transparency, data } = chunks(bytes);
  const { width, height, depth, colorType, interlace } = header;
  const channels = CHANNELS[colorType];
  if (!channels || ![1, 2, 4, 8, 16].includes(depth)) throw new PngError(`colour type ${colorType} at depth ${depth} is not a valid PNG`);
  if (colorType === 3 && !palette) throw new PngError("a palette PNG without PLTE");
  if (interlace) throw new InterlacedPng("interlaced PNG");
  if (width < 1 || height < 1) throw new PngError("the header declares no size");
  const sink = start(width, height);
  const rowBytes = Math.ceil((width * channels * depth) / 8);
  const bpp = Math.max(1, (channels * depth) >> 3);
  const prev = new Uint8Array(rowBytes);
  const cur = new Uint8Array(rowBytes + 1); // filter byte, then the row
  const rgb = new Uint8Array(width * 3);
  const toRgb = rowConverter({ width, depth, colorType, palette, transparency });

  const inflated = new ReadableStream<Uint8Array>({
    start(controller) {
      for (const d of data) controller.enqueue(d);
      controller.close();
    },
  }).pipeThrough(new DecompressionStream("deflate"));
  const reader = inflated.getReader();
  let filled = 0;
  let y = 0;
  try {
    while (y < height) {
      const { value, done } = await reader.read();
      if (done) throw new PngError(`the image data ends after ${y} of ${height} rows`);
      for (let i = 0; i < value.length && y < height; ) {
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
    }
  } catch (err) {
    if (err instanceof PngError) throw err;
    throw new PngError(`the image data could not be inflated (${err instanceof Error ? err.message : String(err)})`);
  } finally {
    reader.cancel().catch(() => {});
  }
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
