import { beforeAll, describe, expect, it } from "vitest";
import { ANIME_FIELDS } from "../src/catalog/anime-schema";
import { call, expectProblem, getJson, importFixture, resetCatalog } from "./helpers";

let bebopId: number;

beforeAll(async () => {
  await resetCatalog();
  await importFixture();
  bebopId = (await getJson("/v1/anime/lookup?site=myanimelist&id=1")).body.id;
});

describe("GET /v1/anime/{id}", () => {
  it("returns the full object", async () => {
    const { status, body, res } = await getJson(`/v1/anime/${bebopId}`);
    expect(status).toBe(200);
    expect(res.headers.get("content-type")).toMatch(/^application\/json/);
    expect(Object.keys(body).sort()).toEqual(ANIME_FIELDS.filter((f) => f !== "synopsis").sort());
    expect(body).toMatchObject({
      title: "Cowboy Bebop",
      type: "TV",
      episodes: 26,
      status: "FINISHED",
      season: { season: "SPRING", year: 1998 },
      duration_seconds: 1440,
      score: 8.75,
      genres: ["Action", "Sci-Fi"],
      tags: ["action", "award winning", "sci-fi"],
      studios: ["sunrise"],
      external_ids: { myanimelist: "1" },
      source_urls: ["https://myanimelist.net/anime/1"],
      system_status: "ACTIVE",
    });
  });

  it("returns only the requested fields", async () => {
    const { body } = await getJson(`/v1/anime/${bebopId}?fields=title,score,title`);
    expect(body).toEqual({ title: "Cowboy Bebop", score: 8.75 });
  });

  it("rejects an unknown field with 400", async () => {
    const body = await expectProblem(await call(`/v1/anime/${bebopId}?fields=title,nope`), 400, "validation_failed");
    expect(body.errors).toEqual([{ param: "fields", message: expect.stringContaining("nope") }]);
  });

  it("serves a strong ETag and answers If-None-Match with 304", async () => {
    const res = await call(`/v1/anime/${bebopId}`);
    const tag = res.headers.get("etag")!;
    expect(tag).toMatch(/^"[0-9a-f]+"$/); // strong: no W/ prefix
    const again = await call(`/v1/anime/${bebopId}`, { headers: { "If-None-Match": tag } });
    expect(again.status).toBe(304);
    expect(await again.text()).toBe("");
    expect(again.headers.get("etag")).toBe(tag);
    expect(again.headers.get("x-request-id")).toBeTruthy();
    expect(again.headers.get("access-control-allow-origin")).toBe("*"); // cross-origin revalidation works
    const other = await call(`/v1/anime/${bebopId}`, { headers: { "If-None-Match": '"stale"' } });
    expect(other.status).toBe(200);
    const fieldsTag = (await call(`/v1/anime/${bebopId}?fields=title`)).headers.get("etag");
    expect(fieldsTag).not.toBe(tag);
  });

  it.each([
    ["/v1/anime/999999", 404, "not_found"],
    ["/v1/anime/abc", 400, "validation_failed"],
    ["/v1/anime/0", 400, "validation_failed"],
    ["/v1/anime/-1", 400, "validation_failed"],
    ["/v1/anime/1.5", 400, "validation_failed"],
    ["/v1/anime/99999999999999999999", 400, "validation_failed"],
    [`/v1/anime/1?extra=1`, 400, "validation_failed"],
  ])("%s → %i %s", async (path, status, code) => {
    await expectProblem(await call(path), status, code);
  });
});
