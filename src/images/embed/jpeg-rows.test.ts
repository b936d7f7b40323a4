import { readFileSync } from "node:fs";
import { describe, expect, it } from "vitest";
import jpeg from "jpeg-js";
import { decodeJpegRows, JpegError } from "./jpeg-rows";

const fixture = (name: string) => new Uint8Array(readFileSync(new URL(`../../../test/images/fixtures/${name}`, import.meta.url)));

/** Decodes with the lean decoder; the rows as one RGB array. */
function lean(bytes: Uint8Array, budget = 1e9) {
  let size = { width: 0, height: 0 };
  const rows: Uint8Array[] = [];
  decodeJpegRows(bytes, (width, height) => ((size = { width, height }), (rgb) => rows.push(rgb.slice())), budget);
  return { ...size, rows };
}

/** Largest difference from jpeg-js (the oracle: same nearest-neighbour chroma, its own integer IDCT). */
function maxDifference(bytes: Uint8Array): { rows: number; height: number; max: number } {
  const ref = jpeg.decode(bytes, { useTArray: true, formatAsRGBA: true });
  const mine = lean(bytes);
  expect([mine.width, mine.height]).toEqual([ref.width, ref.height]);
  let max = 0;
  mine.rows.forEach((row, y) => {
    for (let x = 0; x < ref.width; x++) for (let c = 0; c < 3; c++) max = Math.max(max, Math.abs(row[x * 3 + c] - ref.data[(y * ref.width + x) * 4 + c]));
  });
  return { rows: mine.rows.length, height: ref.height, max };
}

function synthetic(width: number, height: number): Uint8Array {
  const data = new Uint8Array(width * height * 4);
  for (let y = 0; y < height; y++) for (let x = 0; x < width; x++) data.set([(x * 9 + y) & 255, (x * y) & 255, (x ^ y) * 3 & 255, 255], (y * width + x) * 4);
  return new Uint8Array(jpeg.encode({ data, width, height }, 90).data);
}

describe("decodeJpegRows: the same pixels as jpeg-js, one row at a time", () => {
  it.each(["baseline-422-restarts.jpg", "baseline-420-three-scans.jpg", "progressive-420.jpg", "grey-baseline.jpg", "grey-progressive.jpg"])("%s", (name) => {
    const { rows, height, max } = maxDifference(fixture(name));
    expect(rows).toBe(height);
    expect(max).toBeLessThanOrEqual(4); // IDCT rounding
  });

  it.each([
    [1, 1],
    [9, 17],
    [333, 5],
  ])("jpeg-js's own %i×%i JPEG", (w, h) => {
    const { rows, max } = maxDifference(synthetic(w, h));
    expect(rows).toBe(h);
    expect(max).toBeLessThanOrEqual(4);
  });
});

describe("decodeJpegRows: bounded memory", () => {
  it("streams a baseline JPEG whatever the coefficient budget (one MCU row is held)", () => {
    expect(lean(fixture("baseline-422-restarts.jpg"), 1).rows).toHaveLength(117);
    expect(lean(synthetic(640, 480), 1).rows).toHaveLength(480);
  });

  it("refuses a progressive JPEG whose coefficients exceed the budget, before allocating them", () => {
    const small = fixture("progressive-420.jpg");
    expect(lean(small, 150_000).rows).toHaveLength(117); // 203×117 at 4:2:0: 13 × 8 MCUs × 6 blocks × 128 B = 79,872 B
    const err = (() => {
      try {
        lean(small, 50_000);
      } catch (e) {
        return e;
      }
    })();
    expect(err).toBeInstanceOf(JpegError);
    expect((err as JpegError).tooLarge).toBe(true);
  });
});

describe("decodeJpegRows: what it refuses", () => {
  const patched = (name: string, patch: (b: Uint8Array, sof: number) => void) => {
    const b = fixture(name).slice();
    let sof = 2;
    while (!(b[sof] === 0xff && b[sof + 1] >= 0xc0 && b[sof + 1] <= 0xc2)) sof += 2 + ((b[sof + 2] << 8) | b[sof + 3]);
    patch(b, sof);
    return b;
  };
  it.each([
    ["not a JPEG", new TextEncoder().encode("GIF89a"), /not a JPEG/],
    ["lossless (SOF3)", patched("grey-baseline.jpg", (b, sof) => (b[sof + 1] = 0xc3)), /lossless/],
    ["12-bit samples", patched("grey-baseline.jpg", (b, sof) => (b[sof + 4] = 12)), /12-bit/],
  ])("%s", (_, bytes, message) => {
    expect(() => lean(bytes as Uint8Array)).toThrow(JpegError);
    expect(() => lean(bytes as Uint8Array)).toThrow(message as RegExp);
  });
});
