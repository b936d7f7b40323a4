import { describe, expect, it } from "vitest";
import { LocalEmbedder } from "./local";

const e = new LocalEmbedder();
const cos = (a: number[], b: number[]) => a.reduce((s, x, i) => s + x * b[i], 0);

describe("LocalEmbedder", () => {
  it("returns one unit vector of the declared size per text, deterministically", async () => {
    const [a, b, c] = await e.embed(["Cowboy Bebop", "Cowboy Bebop", "Naruto"]);
    expect(a).toHaveLength(e.dimensions);
    expect(Math.hypot(...a)).toBeCloseTo(1, 6);
    expect(a).toEqual(b);
    expect(a).not.toEqual(c);
  });

  it("puts spelling variants and typos near the title, unrelated titles far", async () => {
    const [title, typo, punct, other] = await e.embed(["Cowboy Bebop", "cowby bebop", "COWBOY-BEBOP!", "Sen to Chihiro no Kamikakushi"]);
    expect(cos(title, punct)).toBeCloseTo(1, 6);
    expect(cos(title, typo)).toBeGreaterThan(0.5);
    // 128 hashed dimensions leave some collision noise between unrelated titles (~0.2).
    expect(cos(title, other)).toBeLessThan(0.3);
    expect(cos(title, typo) - cos(title, other)).toBeGreaterThan(0.3);
  });

  it("weighs common title words down", async () => {
    const [q, withNo, withKyojin] = await e.embed(["shingeki no kyojin", "Kimi no Na wa", "Kyojin no Hoshi"]);
    expect(cos(q, withKyojin)).toBeGreaterThan(cos(q, withNo));
  });
});
