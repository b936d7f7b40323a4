import { beforeAll, describe, expect, it } from "vitest";
import type { Client } from "@modelcontextprotocol/client";
import { importFixture, indexSearch } from "../helpers";
import { connect, meteredFetch, newKey, type Era, type ToolError } from "./helpers";

beforeAll(async () => {
  await importFixture();
  await indexSearch();
});

const ERAS: Era[] = ["legacy", "modern"];
/** Anonymous quotas are per address, in quota objects every app of the test shares: a fresh address per test. */
let ip = 0;

/** Calls a tool expecting a tool error; returns the structured error and the text a model reads. */
async function toolError(client: Client, name: string, args: Record<string, unknown>): Promise<{ error: ToolError; text: string }> {
  const res = await client.callTool({ name, arguments: args });
  expect(res.isError, JSON.stringify(res)).toBe(true);
  const text = (res.content as { text: string }[])[0].text;
  return { error: (res.structuredContent as { error: ToolError }).error, text };
}

describe.each(ERAS)("tool errors are the routes' problems (%s era)", (era) => {
  it("bad arguments: validation_failed naming the argument, with the request id", async () => {
    const client = await connect(era);
    const tooMany = await toolError(client, "search_anime", { q: "bebop", limit: 500 });
    expect(tooMany.error).toMatchObject({ code: "validation_failed", errors: [{ param: "limit", message: expect.stringContaining("50") }] });
    expect(tooMany.error.request_id).toEqual(expect.any(String));
    expect(tooMany.text).toContain("limit");
    expect((await toolError(client, "search_anime", { limit: 5 })).error.errors).toEqual([{ param: "q", message: expect.any(String) }]);
    expect((await toolError(client, "browse_anime", { bogus: 1 })).error.errors).toEqual([{ param: "bogus", message: "unknown parameter" }]);
    const genre = await toolError(client, "browse_anime", { genres: ["Sci-Fy"] });
    expect(genre.error.errors![0]).toMatchObject({ param: "genres", message: expect.stringContaining("Sci-Fi") });
    expect((await toolError(client, "get_anime", { id: "abc" })).error.errors![0].param).toBe("id");
    expect((await toolError(client, "get_anime", {})).error.errors).toEqual([{ param: "id", message: "required" }]);
    expect((await toolError(client, "ask_anime", { query: "mecha", fields: ["nope"] })).error.errors![0].param).toBe("fields");
    expect((await toolError(client, "season_anime", { when: "now", year: 1998 })).error.errors).toEqual([{ param: "year", message: "unknown parameter" }]);
    expect((await toolError(client, "get_anime", { id: 999999 })).error).toMatchObject({ code: "not_found", detail: "No anime with id 999999." });
    await client.close();
  });

  it("a revoked key: refused at the handshake (401), and a key revoked mid-session fails its next call", async () => {
    const key = await newKey();
    const client = await connect(era, { headers: key.headers });
    expect((await client.callTool({ name: "my_quota", arguments: {} })).structuredContent).toMatchObject({ tier: "free" });
    await key.revoke();
    const revoked = await toolError(client, "search_anime", { q: "bebop" });
    expect(revoked.error).toMatchObject({ code: "invalid_api_key", detail: "The API key was revoked." });
    await client.close();
    await expect(connect(era, { headers: key.headers })).rejects.toThrow(/401|nauthori/);
    await expect(connect(era, { headers: { "X-API-Key": "ksk_not-a-key" } })).rejects.toThrow(/401|nauthori/);
  });

  it("an exhausted free key: isError rate_limited saying when to retry; queries have their own budget", async () => {
    const send = meteredFetch({ free: { daily: 3, queries: 1, burst: 1000 } });
    const key = await newKey(send);
    const client = await connect(era, { headers: key.headers, fetch: send });
    expect((await client.callTool({ name: "ask_anime", arguments: { query: "space western" } })).isError).toBeFalsy();
    const queries = await toolError(client, "ask_anime", { query: "space western" });
    expect(queries.error).toMatchObject({ code: "rate_limited", detail: expect.stringContaining("queries") });
    for (let i = 0; i < 2; i++) expect((await client.callTool({ name: "search_anime", arguments: { q: "bebop" } })).isError).toBeFalsy();
    const daily = await toolError(client, "get_anime", { id: 1 });
    expect(daily.error).toMatchObject({ code: "rate_limited", detail: expect.stringContaining("daily") });
    expect(daily.error.retry_after_seconds).toBeGreaterThan(0);
    expect(Date.parse(daily.error.retry_at!)).toBeGreaterThan(Date.now());
    expect(daily.text).toMatch(/Retry after \d+ s/);
    // A tool call costs what its route costs: 1 query + 2 searches (the refused ones count nothing; the handshake nothing).
    const me = (await client.callTool({ name: "my_quota", arguments: {} })).structuredContent as any;
    expect(me.usage).toMatchObject({ requests: 3, queries: 1 });
    await client.close();
  });

  it("anonymous callers are limited per address, as over REST", async () => {
    const send = meteredFetch({ anonymous: { daily: 2, queries: 100, burst: 1000 } });
    const a = await connect(era, { fetch: send, headers: { "CF-Connecting-IP": `203.0.113.${++ip}` } });
    const b = await connect(era, { fetch: send, headers: { "CF-Connecting-IP": `203.0.113.${++ip}` } });
    for (let i = 0; i < 2; i++) expect((await a.callTool({ name: "list_genres", arguments: {} })).isError).toBeFalsy();
    expect((await toolError(a, "list_genres", {})).error.code).toBe("rate_limited");
    expect((await b.callTool({ name: "list_genres", arguments: {} })).isError).toBeFalsy();
    await Promise.all([a.close(), b.close()]);
  });
});
