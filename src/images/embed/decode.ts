import jpeg from "jpeg-js";
import { decode as decodePng } from "fast-png";

/** Decoded pixels, 4 bytes (RGBA) per pixel. */
export interface Pixels {
  width: number;
  height: number;
  rgba: Uint8Array;
}

export class UnsupportedImage extends Error {}

/**
 * Decoded images larger than this are refused before decoding: a few hundred KB of file can
 * declare a picture that decodes to gigabytes, and a Worker has 128 MB. Posters are < 2 MP.
 */
export const MAX_PIXELS = 8_000_000;

/** Width and height as the file's header declares them (PNG IHDR, JPEG SOFn); null when unreadable. */
export function declaredSize(bytes: Uint8Array, type: string): { width: number; height: number } | null {
  const u16 = (i: number) => (bytes[i] << 8) | bytes[i + 1];
  const u32 = (i: number) => ((bytes[i] << 24) | (bytes[i + 1] << 16) | (bytes[i + 2] << 8) | bytes[i + 3]) >>> 0;
  if (type === "image/png") return bytes.length >= 24 ? { width: u32(16), height: u32(20) } : null;
  if (type === "image/jpeg") {
    for (let i = 2; i + 9 < bytes.length; ) {
      if (bytes[i] !== 0xff) return null;
      const marker = bytes[i + 1];
      if (marker === 0xff) {
        i++;
        continue;
      }
      // SOF0–SOF15 except DHT (C4), JPG (C8) and DAC (CC): the frame header with the size.
      if (marker >= 0xc0 && marker <= 0xcf && marker !== 0xc4 && marker !== 0xc8 && marker !== 0xcc) return { height: u16(i + 5), width: u16(i + 7) };
      i += 2 + u16(i + 2);
    }
  }
  return null;
}

/** Decodes JPEG or PNG bytes (pure JS: no native code, so it runs in the Worker), within MAX_PIXELS. */
export function decodeImage(bytes: Uint8Array, type: string): Pixels {
  if (type !== "image/jpeg" && type !== "image/png") throw new UnsupportedImage(`${type} images cannot be searched with the local embedder (JPEG and PNG can)`);
  const size = declaredSize(bytes, type);
  if (!size || size.width < 1 || size.height < 1) throw new UnsupportedImage(`the ${type} header declares no readable size`);
  if (size.width * size.height > MAX_PIXELS) throw new UnsupportedImage(`the image is ${size.width}×${size.height}: more than ${MAX_PIXELS / 1e6} megapixels`);
  try {
    if (type === "image/jpeg") {
      const img = jpeg.decode(bytes, { useTArray: true, formatAsRGBA: true, maxResolutionInMP: MAX_PIXELS / 1e6, maxMemoryUsageInMB: 96 });
      if (img.width < 1 || img.height < 1) throw new UnsupportedImage("the JPEG decodes to no pixels");
      return { width: img.width, height: img.height, rgba: img.data };
    }
    const img = decodePng(bytes);
    if (img.depth < 8) throw new UnsupportedImage(`PNGs of ${img.depth}-bit depth are not supported by the local embedder (8 and 16 are)`);
    return { width: img.width, height: img.height, rgba: toRgba8(img.data, img.channels, img.depth, img.width * img.height, img.palette) };
  } catch (err) {
    if (err instanceof UnsupportedImage) throw err;
    throw new UnsupportedImage(`the ${type} image could not be decoded (${err instanceof Error ? err.message : String(err)})`);
  }
}

/** 8- or 16-bit samples of 1–4 channels (or palette indices) → RGBA8, written straight into one array. */
function toRgba8(data: ArrayLike<number>, channels: number, depth: number, pixels: number, palette?: number[][]): Uint8Array {
  const out = new Uint8Array(pixels * 4);
  const shift = depth === 16 ? 8 : 0;
  for (let p = 0, o = 0; p < pixels; p++, o += 4) {
    if (palette) {
      const c = palette[data[p]];
      out[o] = c?.[0] ?? 0;
      out[o + 1] = c?.[1] ?? 0;
      out[o + 2] = c?.[2] ?? 0;
      out[o + 3] = c?.[3] ?? 255;
      continue;
    }
    const i = p * channels;
    if (channels >= 3) {
      out[o] = data[i] >> shift;
      out[o + 1] = data[i + 1] >> shift;
      out[o + 2] = data[i + 2] >> shift;
      out[o + 3] = channels === 4 ? data[i + 3] >> shift : 255;
    } else {
      out[o] = out[o + 1] = out[o + 2] = data[i] >> shift;
      out[o + 3] = channels === 2 ? data[i + 1] >> shift : 255;
    }
  }
  return out;
}
