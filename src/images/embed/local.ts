import { decodeImage, type Pixels } from "./decode";

export const LOCAL_IMAGE_MODEL = "kensho-local-phash-v1-192";
export const LOCAL_IMAGE_DIMS = 192;

/** Embeds one JPEG or PNG; throws UnsupportedImage for what the embedder cannot read, ImageTooLarge past the decoding limits. */
export function embedImage(bytes: Uint8Array, type: string): number[] {
  return Array.from(embedPixels(decodeImage(bytes, type)));
}

/**
 * A deterministic image embedding that needs no model weights: it finds the same picture
 * again after resizing and re-encoding, not similar pictures (production would use a vision
 * model; README "Image search"). Three 64-value parts, each normalised, then the whole:
 *  - perceptual hash: signs of the 8×8 low-frequency DCT of a 32×32 grey copy (DC replaced by 0);
 *  - colour: a 4×4×4 RGB histogram (square-rooted, so large areas do not drown small ones);
 *  - layout: the 8×8 grey thumbnail, mean-removed.
 * Alpha is composited on white first.
 */
export function embedPixels(img: Pixels): Float32Array {
  const grey32 = resizeGrey(img, 32, 32);
  const dct = dct2d(grey32, 32);
  const hash = new Float32Array(64);
  const low: number[] = [];
  for (let v = 0; v < 8; v++) for (let u = 0; u < 8; u++) low.push(dct[v * 32 + u]);
  const median = [...low.slice(1)].sort((a, b) => a - b)[31];
  low.forEach((x, i) => (hash[i] = i === 0 ? 0 : x > median ? 1 : -1));

  const hist = new Float32Array(64);
  const n = img.width * img.height;
  const step = Math.max(1, Math.floor(n / 200_000)); // sample big images
  for (let p = 0; p < n; p += step) {
    const [r, g, b] = pixel(img, p);
    hist[(r >> 6) * 16 + (g >> 6) * 4 + (b >> 6)] += 1;
  }
  for (let i = 0; i < 64; i++) hist[i] = Math.sqrt(hist[i]);

  const thumb = resizeGrey(img, 8, 8);
  const mean = thumb.reduce((a, b) => a + b, 0) / 64;
  const layout = thumb.map((x) => x - mean);

  const out = new Float32Array(LOCAL_IMAGE_DIMS);
  [hash, hist, layout].forEach((part, k) => out.set(normalise(part), k * 64));
  return normalise(out);
}

function pixel(img: Pixels, p: number): [number, number, number] {
  const i = p * 4;
  const a = img.rgba[i + 3] / 255;
  return [img.rgba[i] * a + 255 * (1 - a), img.rgba[i + 1] * a + 255 * (1 - a), img.rgba[i + 2] * a + 255 * (1 - a)];
}

/** Area-average resize to w×h luminance. */
function resizeGrey(img: Pixels, w: number, h: number): Float32Array {
  const out = new Float32Array(w * h);
  const counts = new Float32Array(w * h);
  const stepX = Math.max(1, Math.floor(img.width / (w * 8)));
  const stepY = Math.max(1, Math.floor(img.height / (h * 8)));
  for (let y = 0; y < img.height; y += stepY) {
    const ty = Math.min(h - 1, Math.floor((y * h) / img.height));
    for (let x = 0; x < img.width; x += stepX) {
      const tx = Math.min(w - 1, Math.floor((x * w) / img.width));
      const [r, g, b] = pixel(img, y * img.width + x);
      out[ty * w + tx] += 0.299 * r + 0.587 * g + 0.114 * b;
      counts[ty * w + tx] += 1;
    }
  }
  return out.map((v, i) => (counts[i] ? v / counts[i] : 0));
}

function dct2d(m: Float32Array, n: number): Float32Array {
  const cos = new Float32Array(n * n);
  for (let k = 0; k < n; k++) for (let i = 0; i < n; i++) cos[k * n + i] = Math.cos(((2 * i + 1) * k * Math.PI) / (2 * n));
  const rows = new Float32Array(n * n);
  for (let y = 0; y < n; y++) for (let u = 0; u < n; u++) {
    let s = 0;
    for (let x = 0; x < n; x++) s += m[y * n + x] * cos[u * n + x];
    rows[y * n + u] = s;
  }
  const out = new Float32Array(n * n);
  for (let u = 0; u < n; u++) for (let v = 0; v < n; v++) {
    let s = 0;
    for (let y = 0; y < n; y++) s += rows[y * n + u] * cos[v * n + y];
    out[v * n + u] = s;
  }
  return out;
}

function normalise(v: Float32Array): Float32Array {
  const norm = Math.sqrt(v.reduce((a, x) => a + x * x, 0)) || 1;
  return v.map((x) => x / norm);
}
