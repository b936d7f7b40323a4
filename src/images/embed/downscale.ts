import jpeg from "jpeg-js";
import { decodeImage, declaredSize, IMAGE_MAX_PIXELS, ImageTooLarge, INTERLACED_MAX_PIXELS, tooManyPixels, UnsupportedImage, type Pixels } from "./decode";
import { decodeJpegRows, JpegError } from "./jpeg-rows";
import { decodePngRows, InterlacedPng, PngError } from "./png-rows";

/**
 * Longest side of what the vision model is sent. llava-1.5's encoder (CLIP ViT-L/14-336) sees
 * a 336 px square cropped from the image resized to 336 px on its short side; 672 px on the
 * long side keeps that short side for every aspect ratio up to 2:1, and keeps the request
 * small: a JPEG of ≤ 672 px is ~50–250 KB, so the byte array the model takes stays small.
 */
export const VISION_MAX_SIDE = 672;
/** Largest picture the vision path reads (as the local embedder): here a bound on CPU time, not memory. */
export const VISION_MAX_PIXELS = IMAGE_MAX_PIXELS;
export { ImageTooLarge, INTERLACED_MAX_PIXELS };
/**
 * Memory a progressive JPEG may take while it is decoded (its coefficients, 2 bytes each:
 * 3 bytes per pixel with 4:2:0 chroma, 6 without). 24 MB: any progressive JPEG of 4 MP, one of
 * 8 MP with subsampled chroma. Baseline JPEGs and PNGs stream in a few hundred KB.
 */
export const PROGRESSIVE_MAX_BYTES = 24_000_000;
/** A JPEG already this small (and ≤ VISION_MAX_SIDE) is sent as it is: nothing to gain by re-encoding. */
const PASS_THROUGH_BYTES = 256 * 1024;
const JPEG_QUALITY = 85;

/**
 * The image as the vision model gets it: a JPEG at most VISION_MAX_SIDE on its long side,
 * decoded row by row into the downscale so that memory stays bounded (src/images/embed/
 * jpeg-rows.ts, png-rows.ts). JPEG and PNG are read (the formats both image-search backends
 * decode); others throw UnsupportedImage, pictures beyond the limits above ImageTooLarge
 * (from the header, before decoding). Transparency is flattened onto white.
 */
export async function visionJpeg(bytes: Uint8Array, type: string): Promise<Uint8Array> {
  if (type !== "image/jpeg" && type !== "image/png") throw new UnsupportedImage(`${type} images cannot be searched (JPEG and PNG can)`);
  const size = declaredSize(bytes, type);
  if (!size || size.width < 1 || size.height < 1) throw new UnsupportedImage(`the ${type} header declares no readable size`);
  const pixels = size.width * size.height;
  if (pixels > VISION_MAX_PIXELS) throw tooManyPixels(size.width, size.height);
  if (type === "image/jpeg" && Math.max(size.width, size.height) <= VISION_MAX_SIDE && bytes.length <= PASS_THROUGH_BYTES) return bytes;
  const target: { box?: BoxDownscaler } = {};
  const start = (width: number, height: number) => {
    // The frame header decides, even when an earlier marker declared another size.
    if (width * height > VISION_MAX_PIXELS) throw tooManyPixels(width, height);
    const box = (target.box = new BoxDownscaler(width, height, VISION_MAX_SIDE));
    return (rgb: Uint8Array) => box.push(rgb);
  };
  let small: Pixels;
  try {
    if (type === "image/jpeg") decodeJpegRows(bytes, start, PROGRESSIVE_MAX_BYTES);
    else decodePngRows(bytes, start);
    if (!target.box) throw new UnsupportedImage(`the ${type} image holds no picture`);
    small = target.box.result();
  } catch (err) {
    if (err instanceof ImageTooLarge || err instanceof UnsupportedImage) throw err;
    if (err instanceof JpegError && err.tooLarge) {
      throw new ImageTooLarge(`The image is ${size.width}×${size.height}: as a progressive JPEG it is too large for image search (at most 4 megapixels); send it smaller, or as a baseline JPEG or a PNG.`);
    }
    if (err instanceof PngError && err.tooLarge) {
      throw new ImageTooLarge(`The PNG is refused: ${err.message} (${size.width}×${size.height}).`);
    }
    if (err instanceof InterlacedPng) {
      small = downscale(decodeImage(bytes, type), VISION_MAX_SIDE); // its own limits: INTERLACED_MAX_PIXELS, bounded inflation
    } else if (err instanceof JpegError || err instanceof PngError) {
      throw new UnsupportedImage(`the ${type} image could not be decoded (${err.message})`);
    } else throw err;
  }
  const out = jpeg.encode({ data: small.rgba, width: small.width, height: small.height }, JPEG_QUALITY).data;
  return new Uint8Array(out.buffer, out.byteOffset, out.byteLength);
}

/**
 * Area-average (box) downscale fed one source row at a time, top to bottom: the long side
 * ends at most `maxSide` (never enlarged). Holds one output row of sums and the output.
 */
export class BoxDownscaler {
  readonly width: number;
  readonly height: number;
  private readonly out: Uint8Array;
  private readonly sums: Float64Array;
  private readonly counts: Uint32Array;
  /** Source column → output column. */
  private readonly column: Uint32Array;
  private y = 0;
  private ty = 0;
  private rowEnd: number;

  constructor(
    private readonly srcWidth: number,
    private readonly srcHeight: number,
    maxSide: number,
  ) {
    const scale = Math.min(1, maxSide / Math.max(srcWidth, srcHeight));
    this.width = Math.max(1, Math.round(srcWidth * scale));
    this.height = Math.max(1, Math.round(srcHeight * scale));
    this.out = new Uint8Array(this.width * this.height * 4);
    this.sums = new Float64Array(this.width * 3);
    this.counts = new Uint32Array(this.width);
    this.column = new Uint32Array(srcWidth);
    for (let x = 0; x < srcWidth; x++) this.column[x] = Math.min(this.width - 1, Math.floor((x * this.width) / srcWidth));
    this.rowEnd = this.endOf(0);
  }

  /** Source rows of output row `ty` end before this one. */
  private endOf(ty: number): number {
    return ty === this.height - 1 ? this.srcHeight : Math.max(this.y + 1, Math.floor(((ty + 1) * this.srcHeight) / this.height));
  }

  /** The next source row: `srcWidth × 3` bytes of RGB. */
  push(rgb: Uint8Array): void {
    if (this.y >= this.srcHeight) return;
    for (let x = 0; x < this.srcWidth; x++) {
      const t = this.column[x];
      this.sums[t * 3] += rgb[x * 3];
      this.sums[t * 3 + 1] += rgb[x * 3 + 1];
      this.sums[t * 3 + 2] += rgb[x * 3 + 2];
      this.counts[t]++;
    }
    this.y++;
    if (this.y === this.rowEnd) {
      for (let tx = 0, o = this.ty * this.width * 4; tx < this.width; tx++, o += 4) {
        const n = this.counts[tx] || 1;
        this.out[o] = Math.round(this.sums[tx * 3] / n);
        this.out[o + 1] = Math.round(this.sums[tx * 3 + 1] / n);
        this.out[o + 2] = Math.round(this.sums[tx * 3 + 2] / n);
        this.out[o + 3] = 255;
      }
      this.sums.fill(0);
      this.counts.fill(0);
      this.ty++;
      if (this.ty < this.height) this.rowEnd = this.endOf(this.ty);
    }
  }

  /** The downscaled picture (RGBA, opaque); throws UnsupportedImage if rows are missing. */
  result(): Pixels {
    if (this.y < this.srcHeight) throw new UnsupportedImage(`the image data ends after ${this.y} of ${this.srcHeight} rows`);
    return { width: this.width, height: this.height, rgba: this.out };
  }
}

/** Downscales decoded pixels (alpha composited on white) so that the long side is at most `maxSide`. */
export function downscale(img: Pixels, maxSide: number): Pixels {
  const box = new BoxDownscaler(img.width, img.height, maxSide);
  const rgb = new Uint8Array(img.width * 3);
  for (let y = 0; y < img.height; y++) {
    for (let x = 0, i = y * img.width * 4; x < img.width; x++, i += 4) {
      const a = img.rgba[i + 3] / 255;
      const white = 255 * (1 - a);
      rgb[x * 3] = img.rgba[i] * a + white;
      rgb[x * 3 + 1] = img.rgba[i + 1] * a + white;
      rgb[x * 3 + 2] = img.rgba[i + 2] * a + white;
    }
    box.push(rgb);
  }
  return box.result();
}
