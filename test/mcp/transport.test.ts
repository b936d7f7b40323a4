import { beforeAll, describe, expect, it } from "vitest";
import { call, expectProblem, importFixture } from "../helpers";
import { connect, INITIALIZE, post } from "./helpers";

beforeAll(async () => {
  await importFixture();
});

const CALL = (name: string, args: Record<string, unknown>) => ({ jsonrpc: "2.0", id: 2, method: "tools/call", params: { name, arguments: args } });

describe("Origin validation", () => {
  it("a browser origin other than localhost is refused with 403, in both eras", async () => {
    for (const origin of ["https://evil.example", "http://localhost.evil.example", "null"]) {
      const res = await post(INITIALIZE, { Origin: origin });
      expect(res.status, origin).toBe(403);
    }
    await expect(connect("modern", { headers: { Origin: "https://evil.example" } })).rejects.toThrow(/403|Forbidden|origin/i);
  });

  it("localhost pages and clients sending no Origin are served (with CORS for the page)", async () => {
    const local = await post(INITIALIZE, { Origin: "http://localhost:6274" });
    expect(local.status).toBe(200);
    expect(local.headers.get("Access-Control-Allow-Origin")).toBe("http://localhost:6274");
    const preflight = await call("/mcp", { method: "OPTIONS", headers: { Origin: "http://127.0.0.1:6274", "Access-Control-Request-Method": "POST", "Access-Control-Request-Headers": "authorization, mcp-protocol-version" } });
    expect(preflight.status).toBe(204);
    expect(preflight.headers.get("Access-Control-Allow-Headers")).toMatch(/MCP-Protocol-Version/i);
    expect((await post(INITIALIZE)).status).toBe(200);
    const modern = await connect("modern", { headers: { Origin: "http://localhost:3000" } });
    expect((await modern.listTools()).tools.length).toBeGreaterThan(10);
  });
});

describe("Accept normalisation", () => {
  it("Accept: application/json alone (Gemini CLI, Open WebUI, curl) gets a JSON answer, not 406", async () => {
    for (const accept of ["application/json", "*/*", null]) {
      const res = await post(INITIALIZE, accept === null ? { Accept: "" } : { Accept: accept });
      expect(res.status, String(accept)).toBe(200);
      expect(res.headers.get("Content-Type")).toMatch(/^application\/json/);
      const body = (await res.json()) as any;
      expect(body.result.serverInfo.name).toBe("kensho");
      expect(body.result.instructions).toContain("Kensho ids are internal");
    }
    const tool = await post(CALL("search_anime", { q: "cowboy bebop", limit: 1 }), { Accept: "application/json" });
    const body = (await tool.json()) as any;
    expect(body.result.structuredContent.data[0].title).toBe("Cowboy Bebop");
  });

  it("a client accepting both still gets the event stream the 2025 transport sends", async () => {
    const res = await post(INITIALIZE);
    expect(res.headers.get("Content-Type")).toMatch(/^text\/event-stream/);
    expect(await res.text()).toContain('"serverInfo"');
  });
});

describe("what a stateless endpoint refuses", () => {
  it("GET and DELETE are 405 (no sessions, no server stream), with Allow: POST", async () => {
    for (const method of ["GET", "DELETE"]) {
      const res = await call("/mcp", { method, headers: { Accept: "text/event-stream" } });
      const problem = await expectProblem(res, 405, "method_not_allowed");
      expect(problem.detail).toContain("POST");
      expect(res.headers.get("Allow")).toBe("POST");
    }
  });

  it("a key in the query string is a 401, as on every route", async () => {
    await expectProblem(await post(INITIALIZE, {}, (r) => call(`/mcp?api_key=ksk_${"a".repeat(32)}`, { method: r.method, headers: r.headers, body: r.body })), 401, "invalid_api_key");
  });

  it("a body that is not JSON-RPC over JSON: 415 / parse error, never a 500", async () => {
    const text = await call("/mcp", { method: "POST", headers: { "Content-Type": "text/plain", Accept: "application/json, text/event-stream" }, body: "{}" });
    expect(text.status).toBe(415);
    const garbage = await call("/mcp", { method: "POST", headers: { "Content-Type": "application/json", Accept: "application/json, text/event-stream" }, body: "{not json" });
    expect(garbage.status).toBe(400);
    expect(((await garbage.json()) as any).error.code).toBe(-32700);
  });

  it("publishes no OAuth metadata (clients that find some ignore their configured key)", async () => {
    for (const path of ["/.well-known/oauth-protected-resource", "/.well-known/oauth-protected-resource/mcp", "/.well-known/oauth-authorization-server"]) {
      expect((await call(path)).status).toBe(404);
    }
  });
});
