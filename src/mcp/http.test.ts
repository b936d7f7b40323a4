import { describe, expect, it } from "vitest";
import { jsonAnswer, normalisedRequest } from "./http";

const req = (accept: string | null) => new Request("http://x/mcp", { method: "POST", headers: accept === null ? {} : { Accept: accept }, body: "{}" });

describe("Accept normalisation", () => {
  it.each([
    ["application/json", true],
    ["*/*", true],
    [null, true],
    ["text/event-stream", false],
    ["application/json, text/event-stream", false],
  ])("Accept %s → both media types; JSON-only: %s", (accept, jsonOnly) => {
    const out = normalisedRequest(req(accept), "{}");
    expect(out.jsonOnly).toBe(jsonOnly);
    expect(out.request.headers.get("Accept")).toContain("application/json");
    expect(out.request.headers.get("Accept")).toContain("text/event-stream");
  });
});

describe("an event stream as one JSON answer", () => {
  const sse = (text: string) => new Response(text, { headers: { "Content-Type": "text/event-stream", "Cache-Control": "no-cache" } });

  it("keeps the JSON-RPC response, dropping notifications and keep-alives", async () => {
    const res = await jsonAnswer(sse(': keepalive\n\nevent: message\ndata: {"jsonrpc":"2.0","method":"notifications/progress"}\n\nevent: message\ndata: {"jsonrpc":"2.0","id":1,"result":{"ok":true}}\n\n'));
    expect(res.headers.get("Content-Type")).toBe("application/json");
    expect(await res.json()).toEqual({ jsonrpc: "2.0", id: 1, result: { ok: true } });
  });

  it("a stream with no response is a 202; a JSON answer passes as it is", async () => {
    expect((await jsonAnswer(sse(": keepalive\n\n"))).status).toBe(202);
    const json = new Response('{"a":1}', { headers: { "Content-Type": "application/json" } });
    expect(await jsonAnswer(json)).toBe(json);
  });
});
