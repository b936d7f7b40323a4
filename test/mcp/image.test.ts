import { beforeAll, describe, expect, inject, it } from "vitest";
import { env } from "cloudflare:workers";
import { importEntries, resetCatalog, testServices } from "../helpers";
import { entry } from "../sync/fixtures";
import { COMPACT_FIELDS } from "../../src/mcp/tools";
import { connect } from "./helpers";

const server = inject("imageServer");
const POSTERS = [34, 35, 36, 37];

beforeAll(async () => {
  await resetCatalog();
  await env.DB.prepare("DELETE FROM image_source").run();
  await importEntries(env.DB, POSTERS.map((n) => entry(9300 + n, { title: `Poster ${n}`, picture: `${server}/good/${n}.jpg`, thumbnail: `${server}/png/${n}.png` })), { source: "posters" });
  await testServices().imageIngestor({ allowPrivate: true, sleep: async () => {} }).runBatch(100);
});

describe("search_anime_by_image", () => {
  it("fetches the URL and answers as POST /v1/search/image does, each anime compact", async () => {
    const client = await connect("legacy");
    const res = await client.callTool({ name: "search_anime_by_image", arguments: { url: `${server}/png/36.png`, limit: 3 } });
    expect(res.isError, JSON.stringify(res.content)).toBeFalsy();
    const body = res.structuredContent as { data: { score: number; anime: Record<string, unknown> }[]; model: string };
    expect(body.data).toHaveLength(3);
    expect(body.data[0].anime.title).toBe("Poster 36");
    expect(Object.keys(body.data[0].anime).sort()).toEqual([...COMPACT_FIELDS].sort());
    const bad = await client.callTool({ name: "search_anime_by_image", arguments: { url: "not a url" } });
    expect(bad.isError).toBe(true);
    expect((bad.structuredContent as any).error.code).toBe("validation_failed");
    await client.close();
  });
});
