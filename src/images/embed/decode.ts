import jpeg from "jpeg-js";
import { decode as decodePng } from "fast-png";

/** Decoded pixels, 4 bytes (RGBA) per pixel. */
export interface Pixels {
  width: number;
  height: number;
  rgba: Uint8Array;
}

export class UnsupportedImage extends Error {}

/** Decoded images larger than this many pixels are refused (a 5 MB file can decode to GBs). */
const MAX_PIXELS = 40_000_000;

/** Decodes JPEG or PNG bytes (pure JS: no native code, so it runs in the Worker). */
export function decodeImage(bytes: Uint8Array, type: string): Pixels {
  try {
    if (type === "image/jpeg") {
      const img = jpeg.decode(bytes, { useTArray: true, formatAsRGBA: true, maxResolutionInMP: MAX_PIXELS / 1e6, maxMemoryUsageInMB: 512 });
      return { width: img.width, height: img.height, rgba: img.data };
    }
    if (type === "image/png") {
      const img = decodePng(bytes);
      if (img.width * img.height > MAX_PIXELS) throw new UnsupportedImage("the image has too many pixels");
      return { width: img.width, height: img.height, rgba: toRgba8(img.data, img.channels, img.depth, img.width * img.height, img.palette) };
    }
  } catch (err) {
    if (err instanceof UnsupportedImage) throw err;
    throw new UnsupportedImage(`the ${type} image could not be decoded (${err instanceof Error ? err.message : String(err)})`);
  }
  throw new UnsupportedImage(`${type} images cannot be searched with the local embedder (JPEG and PNG can)`);
}

function toRgba8(data: ArrayLike<number>, channels: number, depth: number, pixels: number, palette?: number[][]): Uint8Array {
  const out = new Uint8Array(pixels * 4);
  const scale = depth === 16 ? 1 / 257 : depth < 8 ? 255 / (2 ** depth - 1) : 1;
  for (let p = 0; p < pixels; p++) {
    if (palette) {
      const c = palette[data[p]] ?? [0, 0, 0, 255];
      out.set([c[0], c[1], c[2], c[3] ?? 255], p * 4);
      continue;
    }
    const v = (k: number) => Math.round(data[p * channels + k] * scale);
    const [r, g, b, a] = channels >= 3 ? [v(0), v(1), v(2), channels === 4 ? v(3) : 255] : [v(0), v(0), v(0), channels === 2 ? v(1) : 255];
    out.set([r, g, b, a], p * 4);
  }
  return out;
}
