import { describe, expect, it } from "vitest";
import { readRelease, type ReleaseItem } from "./release-stream";

const stream = (parts: (string | Uint8Array)[]) =>
  new ReadableStream<Uint8Array>({
    start(c) {
      for (const p of parts) c.enqueue(typeof p === "string" ? new TextEncoder().encode(p) : p);
      c.close();
    },
  });
async function read(parts: (string | Uint8Array)[], format: "jsonl" | "json") {
  const items: ReleaseItem[] = [];
  let meta: string | null = null;
  for await (const i of readRelease(stream(parts), { format, gzip: false }, (m) => (meta = m))) items.push(i);
  return { items, meta };
}

describe("readRelease", () => {
  it("JSON split at every byte (multi-byte characters too): the same entries, strings with brackets and escapes intact", async () => {
    const doc = JSON.stringify({ license: { name: "a{b}[c]" }, lastUpdate: "2026-01-03", data: [{ title: 'x"}]\\\\', n: [1, { a: "]" }] }, { title: "ü🎉" }] });
    const whole = await read([doc], "json");
    expect(whole.meta).toBe("2026-01-03");
    expect(whole.items).toEqual([{ kind: "entry", value: { title: 'x"}]\\\\', n: [1, { a: "]" }] } }, { kind: "entry", value: { title: "ü🎉" } }]);
    const bytes = new TextEncoder().encode(doc);
    for (let i = 1; i < bytes.length; i++) expect((await read([bytes.slice(0, i), bytes.slice(i)], "json")).items).toEqual(whole.items);
  });

  it("JSONL with CRLF line ends", async () => {
    const { items } = await read(['{"lastUpdate":"2026-01-03"}\r\n{"a":1}\r\n{"a":2}\r\n'], "jsonl");
    expect(items).toEqual([{ kind: "entry", value: { a: 1 } }, { kind: "entry", value: { a: 2 } }]);
  });

  it("an overlong JSONL line is one malformed item, and reading goes on", async () => {
    const long = "x".repeat(600_000);
    const { items } = await read(['{"lastUpdate":"2026-01-03"}\n', long, long, long, '\n{"a":1}\n'], "jsonl");
    expect(items.map((i) => i.kind)).toEqual(["malformed", "entry"]);
  });
});
