import { mkdtempSync, readFileSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { gzipSync } from "node:zlib";
import { describe, expect, it } from "vitest";
import { detectFormat, readRelease } from "./release-reader";

const fixture = JSON.parse(readFileSync("test/fixtures/offline-catalog.json", "utf8"));
const { data, ...meta } = fixture;
const dir = mkdtempSync(join(tmpdir(), "kensho-release-"));

async function collect(path: string) {
  const out: unknown[] = [];
  for await (const e of readRelease(path)) out.push(e);
  return out;
}

describe("readRelease", () => {
  it("streams the entries of a minified JSON release", async () => {
    const path = join(dir, "release.json");
    writeFileSync(path, JSON.stringify(fixture));
    expect(await collect(path)).toEqual(data);
  });

  it("skips the metadata line of a JSONL release, gzipped", async () => {
    const path = join(dir, "release.jsonl.gz");
    writeFileSync(path, gzipSync([meta, ...data].map((o) => JSON.stringify(o)).join("\n") + "\n"));
    expect(await collect(path)).toEqual(data);
  });

  it("tells the JSONL metadata line's lastUpdate (null when it has none)", async () => {
    const read = async (first: object) => {
      const path = join(dir, `meta-${Math.random()}.jsonl`);
      writeFileSync(path, [JSON.stringify(first), JSON.stringify(data[0])].join("\n"));
      let seen: string | null | undefined;
      for await (const _ of readRelease(path, (m) => (seen = m.lastUpdate)));
      return seen;
    };
    expect(await read({ ...meta, lastUpdate: "2026-02-07" })).toBe("2026-02-07");
    expect(await read({ repository: "x" })).toBeNull();
    expect(await read({ lastUpdate: "yesterday" })).toBeNull();
  });

  it("passes a broken JSONL line on as an unparsable marker instead of stopping", async () => {
    const path = join(dir, "broken.jsonl");
    writeFileSync(path, [JSON.stringify(meta), JSON.stringify(data[0]), "{not json", JSON.stringify(data[1])].join("\n"));
    const out = await collect(path);
    expect(out).toHaveLength(3);
    expect(out[1]).toEqual({ __unparsable: "{not json" });
  });

  it("refuses a file of unknown format", () => {
    expect(() => detectFormat("catalog.csv")).toThrow(/format/);
    expect(detectFormat("x.jsonl.zst")).toBe("jsonl");
  });
});
