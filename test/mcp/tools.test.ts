import { beforeAll, describe, expect, it } from "vitest";
import { getJson, importFixture, indexSearch } from "../helpers";
import { COMPACT_FIELDS, TOOL_SPECS } from "../../src/mcp/tools";
import { connect, type Era } from "./helpers";

beforeAll(async () => {
  await importFixture();
  await indexSearch();
});

const ERAS: Era[] = ["legacy", "modern"];
const TOOLS = ["search_anime", "ask_anime", "get_anime", "lookup_anime", "browse_anime", "similar_anime", "season_anime", "top_anime", "random_anime", "list_genres", "list_tags", "search_anime_by_image", "my_quota"];

describe.each(ERAS)("the %s era, through the SDK's own Client", (era) => {
  it("lists every tool, read-only, with input and output schemas", async () => {
    const client = await connect(era);
    const { tools } = await client.listTools();
    expect(tools.map((t) => t.name)).toEqual(expect.arrayContaining([...TOOLS, "airing_schedule", "next_episode"]));
    expect(tools).toHaveLength(TOOL_SPECS.length);
    for (const tool of tools) {
      expect(tool.annotations, tool.name).toMatchObject({ readOnlyHint: true, destructiveHint: false });
      expect(tool.inputSchema.type).toBe("object");
      expect(tool.outputSchema, tool.name).toBeDefined();
      expect(JSON.stringify(tool.inputSchema), tool.name).not.toContain("$ref");
    }
    expect(tools.find((t) => t.name === "search_anime_by_image")!.annotations!.openWorldHint).toBe(true);
    // The input schema is the route's parameters as /openapi.json declares them.
    const search = tools.find((t) => t.name === "search_anime")!;
    expect(search.inputSchema.required).toEqual(["q"]);
    expect(search.inputSchema.properties!.include_adult).toMatchObject({ type: "boolean", default: false });
    expect(search.inputSchema.properties!.limit).toMatchObject({ type: "integer", minimum: 1, maximum: 50, default: 10 });
    expect(client.getInstructions()).toContain("Kensho ids are internal");
    await client.close();
  });

  it("search_anime: Cowboy Bebop first in structuredContent, the same JSON as text, 10 compact hits", async () => {
    const client = await connect(era);
    const res = await client.callTool({ name: "search_anime", arguments: { q: "cowboy bebop" } });
    expect(res.isError).toBeFalsy();
    const body = res.structuredContent as { data: Record<string, unknown>[]; next_cursor: string | null };
    expect(body.data[0].title).toBe("Cowboy Bebop");
    expect(JSON.parse((res.content as { type: string; text: string }[])[0].text)).toEqual(body);
    expect(body.data.length).toBeLessThanOrEqual(10);
    for (const hit of body.data) expect(Object.keys(hit).sort()).toEqual([...COMPACT_FIELDS, "match"].sort());
    // REST gives the same hits for the same request.
    const rest = await getJson(`/v1/search?q=cowboy%20bebop&limit=10&fields=${COMPACT_FIELDS.join(",")}`);
    expect(body).toEqual(rest.body);
    await client.close();
  });

  it("pages with next_cursor → cursor, and `fields` asks for more", async () => {
    const client = await connect(era);
    const first = (await client.callTool({ name: "browse_anime", arguments: { genres: ["Sci-Fi"], limit: 3 } })).structuredContent as any;
    expect(first.data).toHaveLength(3);
    expect(first.next_cursor).toEqual(expect.any(String));
    const second = (await client.callTool({ name: "browse_anime", arguments: { genres: ["Sci-Fi"], limit: 3, cursor: first.next_cursor } })).structuredContent as any;
    expect(second.data.map((a: any) => a.id)).not.toContain(first.data[0].id);
    const wide = (await client.callTool({ name: "browse_anime", arguments: { genres: ["Sci-Fi"], limit: 1, fields: ["id", "tags"] } })).structuredContent as any;
    expect(Object.keys(wide.data[0]).sort()).toEqual(["id", "tags"]);
    await client.close();
  });

  it("turns titles and other sites' ids into Kensho ids, then uses them", async () => {
    const client = await connect(era);
    const looked = (await client.callTool({ name: "lookup_anime", arguments: { site: "myanimelist", id: "1" } })).structuredContent as any;
    expect(looked.title).toBe("Cowboy Bebop");
    const byUrl = (await client.callTool({ name: "lookup_anime", arguments: { url: "https://myanimelist.net/anime/1/Cowboy_Bebop" } })).structuredContent as any;
    expect(byUrl.id).toBe(looked.id);
    const full = (await client.callTool({ name: "get_anime", arguments: { id: looked.id } })).structuredContent as any;
    expect(full).toMatchObject({ id: looked.id, title: "Cowboy Bebop", external_ids: { myanimelist: "1" } });
    const similar = (await client.callTool({ name: "similar_anime", arguments: { id: looked.id, exclude_related: true } })).structuredContent as any;
    expect(similar.of.id).toBe(looked.id);
    expect(similar.data.length).toBeGreaterThan(0);
    expect(similar.data.every((a: any) => !a.title.startsWith("Cowboy Bebop"))).toBe(true);
    await client.close();
  });

  it("the other tools answer as their routes do", async () => {
    const client = await connect(era);
    const call = async (name: string, args: Record<string, unknown> = {}) => {
      const res = await client.callTool({ name, arguments: args });
      expect(res.isError, `${name}: ${JSON.stringify(res.content)}`).toBeFalsy();
      return res.structuredContent as any;
    };
    expect((await call("season_anime", { year: 1998, season: "spring" })).data.map((a: any) => a.title)).toContain("Cowboy Bebop");
    expect(await call("season_anime")).toHaveProperty("computed_at"); // the current season (a curated list)
    expect(await call("season_anime", { when: "upcoming" })).toHaveProperty("computed_at");
    const top = await call("top_anime");
    const popular = await call("top_anime", { by: "popularity", limit: 3 });
    expect(popular.data.length).toBeLessThanOrEqual(3);
    expect(top.data.length).toBeLessThanOrEqual(10);
    expect((await call("random_anime", { genres: ["Sci-Fi"] })).genres).toContain("Sci-Fi");
    expect((await call("list_genres")).data.map((g: any) => g.name)).toContain("Sci-Fi");
    expect((await call("list_tags", { prefix: "space" })).data.every((t: any) => t.name.startsWith("space"))).toBe(true);
    expect(await call("my_quota")).toMatchObject({ tier: "anonymous", key: null });
    const asked = await call("ask_anime", { query: "sci-fi anime from 1998", limit: 5 });
    expect(asked.interpretation.filters).toMatchObject({ genres: ["Sci-Fi"] });
    expect(asked.data.length).toBeLessThanOrEqual(5);
    for (const hit of asked.data) expect(Object.keys(hit).every((k) => COMPACT_FIELDS.includes(k) || k === "match" || k === "similarity")).toBe(true);
    await client.close();
  });

  it("offers prompts and the resource template kensho://anime/{id}", async () => {
    const client = await connect(era);
    const { prompts } = await client.listPrompts();
    expect(prompts.map((p) => p.name)).toEqual(expect.arrayContaining(["season_overview", "find_similar", "airing_this_week"]));
    const prompt = await client.getPrompt({ name: "find_similar", arguments: { title: "Cowboy Bebop" } });
    expect(JSON.stringify(prompt.messages)).toContain("similar_anime");
    const { resourceTemplates } = await client.listResourceTemplates();
    expect(resourceTemplates.map((t) => t.uriTemplate)).toEqual(["kensho://anime/{id}"]);
    const { contents } = await client.readResource({ uri: "kensho://anime/1" });
    expect(JSON.parse((contents[0] as { text: string }).text)).toMatchObject({ id: 1 });
    await expect(client.readResource({ uri: "kensho://anime/999999" })).rejects.toThrow();
    await client.close();
  });
});
