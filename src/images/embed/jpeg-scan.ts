/**
 * The entropy-coded part of a JPEG (T.81 Annex F and G): Huffman tables, and the scans that
 * fill the coefficient blocks, sequential and progressive (as libjpeg's jdhuff.c, jdphuff.c).
 * Used by jpeg-rows.ts.
 */

/** A malformed or unsupported file; `tooLarge` when only the coefficient budget refused it. */
export class JpegError extends Error {
  constructor(
    message: string,
    readonly tooLarge = false,
  ) {
    super(message);
  }
}

/** Zig-zag position k → natural (row-major) index in the 8×8 block. */
export const ZIGZAG = new Uint8Array([
  0, 1, 8, 16, 9, 2, 3, 10, 17, 24, 32, 25, 18, 11, 4, 5, 12, 19, 26, 33, 40, 48, 41, 34, 27, 20, 13, 6, 7, 14, 21, 28, 35, 42, 49, 56, 57, 50, 43, 36, 29, 22, 15, 23, 30,
  37, 44, 51, 58, 59, 52, 45, 38, 31, 39, 46, 53, 60, 61, 54, 47, 55, 62, 63,
]);

/** A canonical Huffman table (T.81 Annex C): for each code length, the codes it spans and where its values start. */
export interface Huffman {
  maxcode: Int32Array;
  valptr: Int32Array;
  mincode: Int32Array;
  values: Uint8Array;
}

/** A frame component: sampling factors, tables, and its coefficient blocks (natural order, not dequantised). */
export interface Component {
  id: number;
  h: number;
  v: number;
  tq: number;
  blocksPerLine: number;
  blocksPerColumn: number;
  /** Block rows held: all of them, or one MCU row (`v`) when streaming. */
  rows: number;
  coefs: Int16Array;
  pred: number;
  dc?: Huffman;
  ac?: Huffman;
}

/** A canonical Huffman table from its DHT counts and values. */
export function huffman(counts: Uint8Array, values: Uint8Array): Huffman {
  const maxcode = new Int32Array(18).fill(-1);
  const valptr = new Int32Array(17);
  const mincode = new Int32Array(17);
  let code = 0;
  let k = 0;
  for (let len = 1; len <= 16; len++) {
    valptr[len] = k;
    mincode[len] = code;
    code += counts[len - 1];
    k += counts[len - 1];
    if (counts[len - 1]) maxcode[len] = code - 1;
    code <<= 1;
  }
  return { maxcode, valptr, mincode, values: values.slice() };
}

/** Decodes one scan's entropy-coded data from `start`; returns the offset of the marker that ends it. */
export function decodeScan(
  data: Uint8Array,
  start: number,
  f: { progressive: boolean; width: number; height: number; maxH: number; maxV: number; mcusPerLine: number; mcusPerColumn: number },
  comps: Component[],
  scan: { ss: number; se: number; ah: number; al: number },
  restartInterval: number,
  onMcuRow: ((row: number) => void) | null,
): number {
  let pos = start;
  let byte = 0;
  let bits = 0;
  const readBit = (): number => {
    if (bits === 0) {
      byte = 0;
      if (pos < data.length) {
        const b = data[pos];
        if (b !== 0xff) {
          byte = b;
          pos++;
        } else if (data[pos + 1] === 0) {
          byte = 0xff;
          pos += 2;
        } // else a marker: feed zeros, stay on it
      }
      bits = 8;
    }
    bits--;
    return (byte >> bits) & 1;
  };
  const receive = (n: number): number => {
    let v = 0;
    for (let i = 0; i < n; i++) v = (v << 1) | readBit();
    return v;
  };
  const extend = (v: number, n: number) => (n === 0 ? 0 : v < 1 << (n - 1) ? v - (1 << n) + 1 : v);
  const decodeHuffman = (t: Huffman | undefined): number => {
    if (!t) throw new JpegError("a scan uses a missing Huffman table");
    let code = readBit();
    for (let len = 1; len <= 16; len++) {
      if (code <= t.maxcode[len]) return t.values[t.valptr[len] + code - t.mincode[len]];
      code = (code << 1) | readBit();
    }
    throw new JpegError("invalid Huffman code");
  };

  const { ss, se, ah, al } = scan;
  let eobrun = 0;
  type Decode = (c: Component, off: number) => void;
  const baseline: Decode = (c, off) => {
    c.coefs.fill(0, off, off + 64);
    const t = decodeHuffman(c.dc);
    c.pred += t === 0 ? 0 : extend(receive(t), t);
    c.coefs[off] = c.pred;
    for (let k = 1; k < 64; ) {
      const rs = decodeHuffman(c.ac);
      const s = rs & 15;
      const r = rs >> 4;
      if (s === 0) {
        if (r < 15) break;
        k += 16;
        continue;
      }
      k += r;
      if (k > 63) break;
      c.coefs[off + ZIGZAG[k]] = extend(receive(s), s);
      k++;
    }
  };
  const dcFirst: Decode = (c, off) => {
    const t = decodeHuffman(c.dc);
    c.pred += t === 0 ? 0 : extend(receive(t), t);
    c.coefs[off] = c.pred * (1 << al);
  };
  const dcRefine: Decode = (c, off) => {
    if (readBit()) c.coefs[off] |= 1 << al;
  };
  const acFirst: Decode = (c, off) => {
    if (eobrun > 0) {
      eobrun--;
      return;
    }
    for (let k = ss; k <= se; k++) {
      const rs = decodeHuffman(c.ac);
      const s = rs & 15;
      const r = rs >> 4;
      if (s) {
        k += r;
        if (k > 63) break;
        c.coefs[off + ZIGZAG[k]] = extend(receive(s), s) * (1 << al);
      } else if (r === 15) {
        k += 15;
      } else {
        eobrun = (1 << r) + (r ? receive(r) : 0) - 1;
        break;
      }
    }
  };
  // As libjpeg's decode_mcu_AC_refine (jdphuff.c).
  const acRefine: Decode = (c, off) => {
    const p1 = 1 << al;
    const m1 = -1 << al;
    const refine = (z: number) => {
      if (readBit() && (c.coefs[z] & p1) === 0) c.coefs[z] += c.coefs[z] >= 0 ? p1 : m1;
    };
    let k = ss;
    if (eobrun === 0) {
      for (; k <= se; k++) {
        const rs = decodeHuffman(c.ac);
        let r = rs >> 4;
        let s = rs & 15;
        if (s) s = readBit() ? p1 : m1;
        else if (r !== 15) {
          eobrun = (1 << r) + (r ? receive(r) : 0);
          break;
        }
        do {
          const z = off + ZIGZAG[k];
          if (c.coefs[z] !== 0) refine(z);
          else if (--r < 0) break;
          k++;
        } while (k <= se);
        if (s && k <= 63) c.coefs[off + ZIGZAG[k]] = s;
      }
    }
    if (eobrun > 0) {
      for (; k <= se; k++) {
        const z = off + ZIGZAG[k];
        if (c.coefs[z] !== 0) refine(z);
      }
      eobrun--;
    }
  };
  const decode: Decode = !f.progressive ? baseline : ss === 0 ? (ah === 0 ? dcFirst : dcRefine) : ah === 0 ? acFirst : acRefine;
  const blockAt = (c: Component, row: number, col: number) => ((row % c.rows) * c.blocksPerLine + col) * 64;

  const single = comps.length === 1;
  const c0 = comps[0];
  // A one-component scan walks that component's own blocks (T.81 A.2.2), not whole MCUs.
  const perLine = single ? Math.ceil(Math.ceil((f.width * c0.h) / f.maxH) / 8) : f.mcusPerLine;
  const total = single ? perLine * Math.ceil(Math.ceil((f.height * c0.v) / f.maxV) / 8) : f.mcusPerLine * f.mcusPerColumn;
  const interval = restartInterval || total;
  for (let unit = 0; unit < total; ) {
    for (const c of comps) c.pred = 0;
    eobrun = 0;
    bits = 0;
    for (let n = 0; n < interval && unit < total; n++, unit++) {
      const row = Math.floor(unit / perLine);
      const col = unit % perLine;
      if (single) {
        decode(c0, blockAt(c0, row, col));
        // Streaming a one-component image: an MCU row is `v` block rows of it.
        if (onMcuRow && col === perLine - 1 && (row + 1) % c0.v === 0) onMcuRow((row + 1) / c0.v - 1);
      } else {
        for (const c of comps) for (let v = 0; v < c.v; v++) for (let h = 0; h < c.h; h++) decode(c, blockAt(c, row * c.v + v, col * c.h + h));
        if (onMcuRow && col === perLine - 1) onMcuRow(row);
      }
    }
    // Past the interval: the RSTn marker (or the scan's end). Skip to the next marker.
    bits = 0;
    while (pos + 1 < data.length && !(data[pos] === 0xff && data[pos + 1] !== 0 && !(data[pos + 1] === 0xff))) pos++;
    if (unit < total && data[pos + 1] >= 0xd0 && data[pos + 1] <= 0xd7) pos += 2;
  }
  return pos;
}
