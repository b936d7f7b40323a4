import jpeg from "jpeg-js";
import { decode as decodePng } from "fast-png";
import { checkPngData, decodePngRows, InterlacedPng, pngHeader, PngError, type InflateStats } from "./png-rows";

/** Decoded pixels, 4 bytes (RGBA) per pixel. */
export interface Pixels {
  width: number;
  height: number;
  rgba: Uint8Array;
}

/** The image cannot be read: a format or variant the decoders do not take, or a malformed file (415). */
export class UnsupportedImage extends Error {}
/** The image is readable but larger than we read: too many pixels, or PNG data inflating past its header (413). */
export class ImageTooLarge extends Error {}

/**
 * Largest picture read, by image search (either backend) and by ingestion: 4 megapixels
 * (2560×1440 fits; the catalog's posters are under 1 MP). A few hundred KB of file can
 * declare far more, and a Worker has 128 MB: the local embedder holds the decoded picture
 * (4 bytes a pixel, 16 MB at the cap), and decoding time grows with the pixels.
 */
export const IMAGE_MAX_PIXELS = 4_000_000;
/** Interlaced PNGs cannot stream: decoded whole (~12 bytes per pixel), so only small ones. */
export const INTERLACED_MAX_PIXELS = 1_000_000;

/** The refusal of a picture over IMAGE_MAX_PIXELS (one wording for every path). */
export const tooManyPixels = (width: number, height: number) => new ImageTooLarge(`The image is ${width}×${height}: images of at most ${IMAGE_MAX_PIXELS / 1e6} megapixels are read.`);
const pngBomb = (width: number, height: number, err: PngError) => new ImageTooLarge(`The PNG is refused: ${err.message} (${width}×${height}).`);

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

/** The declared size, within IMAGE_MAX_PIXELS; throws UnsupportedImage (no readable size) or ImageTooLarge. */
function checkedSize(bytes: Uint8Array, type: string): { width: number; height: number } {
  const size = declaredSize(bytes, type);
  if (!size || size.width < 1 || size.height < 1) throw new UnsupportedImage(`the ${type} header declares no readable size`);
  if (size.width * size.height > IMAGE_MAX_PIXELS) throw tooManyPixels(size.width, size.height);
  return size;
}

/**
 * Refuses what no decoder here should be given, without decoding it: a JPEG or PNG declaring
 * more than IMAGE_MAX_PIXELS, an interlaced PNG over INTERLACED_MAX_PIXELS, or PNG image data
 * that inflates past what its header declares (inflated and counted, never kept). Ingestion
 * runs it before storing a picture. Other types pass: nothing here decodes them.
 * Throws ImageTooLarge or UnsupportedImage.
 */
export function checkImageLimits(bytes: Uint8Array, type: string, stats?: InflateStats): void {
  if (type !== "image/jpeg" && type !== "image/png") return;
  const { width, height } = checkedSize(bytes, type);
  if (type === "image/jpeg") return;
  try {
    if (pngHeader(bytes).interlace && width * height > INTERLACED_MAX_PIXELS) throw interlacedTooLarge(width, height);
    checkPngData(bytes, stats);
  } catch (err) {
    if (err instanceof PngError) throw err.tooLarge ? pngBomb(width, height, err) : new UnsupportedImage(`the image/png image could not be decoded (${err.message})`);
    throw err;
  }
}

const interlacedTooLarge = (width: number, height: number) =>
  new ImageTooLarge(`The image is ${width}×${height}: as an interlaced PNG it is too large (at most ${INTERLACED_MAX_PIXELS / 1e6} megapixel); send it smaller, or not interlaced.`);

/**
 * Decodes JPEG or PNG bytes (pure JS: no native code, so it runs in the Worker), within
 * IMAGE_MAX_PIXELS, checked from the header before anything is decoded. PNGs stream row by
 * row with their inflated bytes bounded by the header (png-rows.ts); interlaced ones, decoded
 * whole, only up to INTERLACED_MAX_PIXELS and after their data was counted. Alpha is
 * composited on white for PNGs. Throws UnsupportedImage or ImageTooLarge. `stats` counts the
 * PNG bytes inflated.
 */
export function decodeImage(bytes: Uint8Array, type: string, stats: InflateStats = { inflatedBytes: 0 }): Pixels {
  if (type !== "image/jpeg" && type !== "image/png") throw new UnsupportedImage(`${type} images cannot be searched with the local embedder (JPEG and PNG can)`);
  const size = checkedSize(bytes, type);
  try {
    if (type === "image/jpeg") {
      const img = jpeg.decode(bytes, { useTArray: true, formatAsRGBA: true, maxResolutionInMP: IMAGE_MAX_PIXELS / 1e6, maxMemoryUsageInMB: 96 });
      if (img.width < 1 || img.height < 1) throw new UnsupportedImage("the JPEG decodes to no pixels");
      return { width: img.width, height: img.height, rgba: img.data };
    }
    return decodePngStreaming(bytes, stats);
  } catch (err) {
    if (err instanceof UnsupportedImage || err instanceof ImageTooLarge) throw err;
    if (err instanceof PngError && err.tooLarge) throw pngBomb(size.width, size.height, err);
    if (err instanceof InterlacedPng) return decodeInterlaced(bytes, size, stats);
    throw new UnsupportedImage(`the ${type} image could not be decoded (${err instanceof Error ? err.message : String(err)})`);
  }
}

/** A non-interlaced PNG, row by row, into opaque RGBA (the rows are already composited on white). */
function decodePngStreaming(bytes: Uint8Array, stats: InflateStats): Pixels {
  let out: Pixels | null = null;
  let y = 0;
  decodePngRows(
    bytes,
    (width, height) => {
      // The IHDR decides, whatever the first bytes looked like.
      if (width * height > IMAGE_MAX_PIXELS) throw tooManyPixels(width, height);
      const img: Pixels = (out = { width, height, rgba: new Uint8Array(width * height * 4) });
      return (rgb) => {
        for (let x = 0, o = y * width * 4; x < width; x++, o += 4) {
          img.rgba[o] = rgb[x * 3];
          img.rgba[o + 1] = rgb[x * 3 + 1];
          img.rgba[o + 2] = rgb[x * 3 + 2];
          img.rgba[o + 3] = 255;
        }
        y++;
      };
    },
    stats,
  );
  return out!;
}

/** An interlaced PNG: small ones only, their data counted (bounded) before fast-png inflates it whole. */
function decodeInterlaced(bytes: Uint8Array, size: { width: number; height: number }, stats: InflateStats): Pixels {
  if (size.width * size.height > INTERLACED_MAX_PIXELS) throw interlacedTooLarge(size.width, size.height);
  try {
    checkPngData(bytes, stats);
    const img = decodePng(bytes);
    if (img.depth < 8) throw new UnsupportedImage(`interlaced PNGs of ${img.depth}-bit depth are not supported by the local embedder (8 and 16 are)`);
    return { width: img.width, height: img.height, rgba: toRgba8(img.data, img.channels, img.depth, img.width * img.height, img.palette) };
  } catch (err) {
    if (err instanceof UnsupportedImage) throw err;
    if (err instanceof PngError && err.tooLarge) throw pngBomb(size.width, size.height, err);
    throw new UnsupportedImage(`the image/png image could not be decoded (${err instanceof Error ? err.message : String(err)})`);
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
