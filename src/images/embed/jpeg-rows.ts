/**
 * A JPEG decoder that hands over the picture one RGB row at a time, for downscaling in a
 * bounded amount of memory (jpeg-js holds every 8×8 block as its own typed array, plus the
 * full-size planes and the RGBA copy: ~35 bytes per pixel, 74 MB for a 1080p screenshot).
 * Baseline JPEGs whose scan carries every component (nearly all of them) are decoded one row
 * of MCUs at a time: a few hundred KB whatever the size. Progressive and multi-scan JPEGs
 * keep their coefficients as one Int16Array (2 bytes each, 3–6 bytes per pixel), within
 * `maxCoefficientBytes`. Huffman-coded 8-bit JPEGs with 1 or 3 components (T.81 baseline,
 * extended sequential, progressive); arithmetic coding, 12-bit, lossless and CMYK are refused.
 * Chroma is upsampled by nearest neighbour: the rows are meant for a downscale. Like jpeg-js
 * (tolerant decoding) and browsers, a file cut short still gives every row, flat past the cut.
 * Checked against jpeg-js (tests) and libjpeg-turbo's float IDCT (within 1–2 per channel).
 */
import { decodeScan, huffman, JpegError, ZIGZAG, type Component, type Huffman } from "./jpeg-scan";

export { JpegError };

/** IDCT basis: COS[x * 8 + u] = c(u) · cos((2x + 1)uπ / 16) / 2. */
const COS = new Float32Array(64);
for (let x = 0; x < 8; x++) for (let u = 0; u < 8; u++) COS[x * 8 + u] = ((u === 0 ? Math.SQRT1_2 : 1) * Math.cos(((2 * x + 1) * u * Math.PI) / 16)) / 2;

/**
 * Decodes `bytes`, calling `start` once with the size, then its sink once per row (top to
 * bottom) with `width × 3` bytes of RGB (reused between calls). Throws JpegError.
 */
export function decodeJpegRows(bytes: Uint8Array, start: (width: number, height: number) => (rgb: Uint8Array) => void, maxCoefficientBytes: number): void {
  if (bytes[0] !== 0xff || bytes[1] !== 0xd8) throw new JpegError("not a JPEG");
  const quant: (Int32Array | undefined)[] = [];
  const dcTables: (Huffman | undefined)[] = [];
  const acTables: (Huffman | undefined)[] = [];
  let restartInterval = 0;
  let adobeTransform: number | null = null;
  let frame: { progressive: boolean; width: number; height: number; comps: Component[]; maxH: number; maxV: number; mcusPerLine: number; mcusPerColumn: number; streaming: boolean } | null = null;
  let sink: ((rgb: Uint8Array) => void) | null = null;
  let rgb = new Uint8Array(0);
  let emitted = 0; // MCU rows handed to the sink
  let pos = 2;
  const u16 = (i: number) => (bytes[i] << 8) | bytes[i + 1];

  const emitMcuRow = (mcuRow: number) => {
    outputMcuRow(frame!, mcuRow, quant, adobeTransform, rgb, sink!);
    emitted = mcuRow + 1;
  };

  while (pos + 4 <= bytes.length) {
    if (bytes[pos] !== 0xff) throw new JpegError(`no marker at byte ${pos}`);
    const marker = bytes[pos + 1];
    if (marker === 0xff) {
      pos++;
      continue;
    }
    if (marker === 0xd9) break; // EOI
    if (marker === 0xd8 || (marker >= 0xd0 && marker <= 0xd7)) {
      pos += 2;
      continue;
    }
    const length = u16(pos + 2);
    const body = pos + 4;
    const end = pos + 2 + length;
    if (end > bytes.length) throw new JpegError("truncated segment");
    switch (marker) {
      case 0xdb: // DQT
        for (let i = body; i < end; ) {
          const pq = bytes[i] >> 4;
          const table = new Int32Array(64);
          for (let k = 0; k < 64; k++) table[ZIGZAG[k]] = pq ? u16(i + 1 + 2 * k) : bytes[i + 1 + k];
          quant[bytes[i] & 15] = table;
          i += 1 + (pq ? 128 : 64);
        }
        break;
      case 0xc4: // DHT
        for (let i = body; i < end; ) {
          const counts = bytes.subarray(i + 1, i + 17);
          const total = counts.reduce((a, b) => a + b, 0);
          const table = huffman(counts, bytes.subarray(i + 17, i + 17 + total));
          if (bytes[i] >> 4) acTables[bytes[i] & 15] = table;
          else dcTables[bytes[i] & 15] = table;
          i += 17 + total;
        }
        break;
      case 0xdd: // DRI
        restartInterval = u16(body);
        break;
      case 0xee: // APP14: Adobe's colour transform flag
        if (length >= 12 && String.fromCharCode(...bytes.subarray(body, body + 5)) === "Adobe") adobeTransform = bytes[body + 11];
        break;
      case 0xc0:
      case 0xc1:
      case 0xc2: {
        if (frame) throw new JpegError("more than one frame");
        if (bytes[body] !== 8) throw new JpegError(`${bytes[body]}-bit JPEGs are not supported`);
        const height = u16(body + 1);
        const width = u16(body + 3);
        const n = bytes[body + 5];
        if (n !== 1 && n !== 3) throw new JpegError(`JPEGs of ${n} components (CMYK) are not supported`);
        if (width < 1 || height < 1) throw new JpegError("the frame declares no size");
        const raw = Array.from({ length: n }, (_, k) => ({ id: bytes[body + 6 + 3 * k], h: bytes[body + 7 + 3 * k] >> 4, v: bytes[body + 7 + 3 * k] & 15, tq: bytes[body + 8 + 3 * k] }));
        if (raw.some((c) => c.h < 1 || c.h > 4 || c.v < 1 || c.v > 4)) throw new JpegError("invalid sampling factors");
        const maxH = Math.max(...raw.map((c) => c.h));
        const maxV = Math.max(...raw.map((c) => c.v));
        const mcusPerLine = Math.ceil(width / (8 * maxH));
        const mcusPerColumn = Math.ceil(height / (8 * maxV));
        const progressive = marker === 0xc2;
        // Streaming needs the first scan to hold every component; checked again at that scan.
        const streaming = !progressive;
        const comps = raw.map((c) => ({ ...c, blocksPerLine: mcusPerLine * c.h, blocksPerColumn: mcusPerColumn * c.v, rows: 0, coefs: new Int16Array(0), pred: 0 }));
        frame = { progressive, width, height, comps, maxH, maxV, mcusPerLine, mcusPerColumn, streaming };
        sink = start(width, height);
        rgb = new Uint8Array(width * 3);
        break;
      }
      case 0xda: {
        // SOS
        if (!frame) throw new JpegError("a scan before the frame header");
        const f = frame;
        const ns = bytes[body];
        const scanComps = Array.from({ length: ns }, (_, k) => {
          const c = f.comps.find((x) => x.id === bytes[body + 1 + 2 * k]);
          if (!c) throw new JpegError("a scan names an unknown component");
          c.dc = dcTables[bytes[body + 2 + 2 * k] >> 4];
          c.ac = acTables[bytes[body + 2 + 2 * k] & 15];
          return c;
        });
        const p = body + 1 + 2 * ns;
        const scan = { ss: bytes[p], se: bytes[p + 1], ah: bytes[p + 2] >> 4, al: bytes[p + 2] & 15 };
        if (f.comps[0].coefs.length === 0) {
          // First scan: allocate. Stream when it is sequential and carries every component.
          f.streaming = f.streaming && ns === f.comps.length;
          const total = f.comps.reduce((s, c) => s + (f.streaming ? c.v : c.blocksPerColumn) * c.blocksPerLine * 128, 0);
          if (!f.streaming && total > maxCoefficientBytes) throw new JpegError(`decoding needs ${Math.ceil(total / 1e6)} MB of coefficients`, true);
          for (const c of f.comps) {
            c.rows = f.streaming ? c.v : c.blocksPerColumn;
            c.coefs = new Int16Array(c.rows * c.blocksPerLine * 64);
          }
        }
        pos = decodeScan(bytes, end, f, scanComps, scan, restartInterval, f.streaming ? emitMcuRow : null);
        continue;
      }
      default:
        if (marker >= 0xc3 && marker <= 0xcf && marker !== 0xc4 && marker !== 0xc8 && marker !== 0xcc) throw new JpegError("arithmetic-coded, lossless and hierarchical JPEGs are not supported");
    }
    pos = end;
  }
  if (!frame || frame.comps[0].coefs.length === 0) throw new JpegError("no image data");
  // Buffered decoding (or a streamed file cut short): emit what is left.
  for (let row = emitted; row < frame.mcusPerColumn; row++) emitMcuRow(row);
}

/** Dequantises and inverse-transforms one MCU row of every component, converts to RGB, and hands the rows to `sink`. */
function outputMcuRow(
  f: { width: number; height: number; comps: Component[]; maxH: number; maxV: number },
  mcuRow: number,
  quant: (Int32Array | undefined)[],
  adobeTransform: number | null,
  rgb: Uint8Array,
  sink: (rgb: Uint8Array) => void,
): void {
  const tmp = new Float32Array(64);
  const planes = f.comps.map((c) => {
    const q = quant[c.tq];
    if (!q) throw new JpegError("a component uses a missing quantisation table");
    const stride = c.blocksPerLine * 8;
    const plane = new Uint8Array(stride * c.v * 8);
    for (let v = 0; v < c.v; v++) {
      const row = mcuRow * c.v + v;
      for (let col = 0; col < c.blocksPerLine; col++) idct(c.coefs, ((row % c.rows) * c.blocksPerLine + col) * 64, q, tmp, plane, v * 8 * stride + col * 8, stride);
    }
    return { plane, stride, c };
  });
  // JFIF and most files are YCbCr; Adobe says so explicitly; component ids R, G, B mean RGB.
  const rgbIds = f.comps.length === 3 && f.comps[0].id === 0x52 && f.comps[1].id === 0x47 && f.comps[2].id === 0x42;
  const transform = f.comps.length === 3 && (adobeTransform !== null ? adobeTransform !== 0 : !rgbIds);
  const lines = f.maxV * 8;
  for (let y = 0; y < lines; y++) {
    const globalY = mcuRow * lines + y;
    if (globalY >= f.height) break;
    const [a, b, c] = planes.map((p) => ({ data: p.plane, at: Math.floor((y * p.c.v) / f.maxV) * p.stride, h: p.c.h }));
    for (let x = 0, o = 0; x < f.width; x++, o += 3) {
      const Y = a.data[a.at + Math.floor((x * a.h) / f.maxH)];
      if (!b) {
        rgb[o] = rgb[o + 1] = rgb[o + 2] = Y;
        continue;
      }
      const cb = b.data[b.at + Math.floor((x * b.h) / f.maxH)];
      const cr = c.data[c.at + Math.floor((x * c.h) / f.maxH)];
      if (!transform) {
        rgb[o] = Y;
        rgb[o + 1] = cb;
        rgb[o + 2] = cr;
        continue;
      }
      rgb[o] = clamp(Y + 1.402 * (cr - 128));
      rgb[o + 1] = clamp(Y - 0.344136 * (cb - 128) - 0.714136 * (cr - 128));
      rgb[o + 2] = clamp(Y + 1.772 * (cb - 128));
    }
    sink(rgb);
  }
}

const clamp = (v: number) => (v < 0 ? 0 : v > 255 ? 255 : Math.round(v));

/** Separable float IDCT of the block at `off`, dequantised by `q`, into `out` at `at` (row stride `stride`), level-shifted by 128. */
function idct(coefs: Int16Array, off: number, q: Int32Array, tmp: Float32Array, out: Uint8Array, at: number, stride: number): void {
  for (let v = 0; v < 8; v++) {
    const r = off + v * 8;
    let ac = false;
    for (let u = 1; u < 8; u++) if (coefs[r + u] !== 0) ac = true;
    if (!ac) {
      const dc = coefs[r] * q[v * 8] * COS[0];
      for (let x = 0; x < 8; x++) tmp[v * 8 + x] = dc;
      continue;
    }
    for (let x = 0; x < 8; x++) {
      let s = 0;
      for (let u = 0; u < 8; u++) s += COS[x * 8 + u] * coefs[r + u] * q[v * 8 + u];
      tmp[v * 8 + x] = s;
    }
  }
  for (let x = 0; x < 8; x++)
    for (let y = 0; y < 8; y++) {
      let s = 0;
      for (let v = 0; v < 8; v++) s += COS[y * 8 + v] * tmp[v * 8 + x];
      out[at + y * stride + x] = clamp(s + 128);
    }
}
