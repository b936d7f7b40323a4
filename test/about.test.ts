import { describe, expect, it } from "vitest";
import { env } from "cloudflare:workers";
import { call, getJson, importFixture, invalidateCache, expectProblem } from "./helpers";
import { ODBL_NOTICE } from "../src/catalog/attribution";

describe("GET /v1/about and the data's attribution", () => {
  it("says how many anime the catalog holds, which release it follows, its sources and licences", async () => {
    await importFixture();
    await env.DB.prepare("INSERT INTO sync_run (trigger, source, status, phase, source_last_update, counts, next_chunk, started_at, heartbeat_at, finished_at) VALUES ('test', 'r2:x', 'succeeded', 'done', '2026-02-21', '{}', 0, ?1, ?1, ?1)").bind(Date.now() + 1000).run();
    await invalidateCache([]);
    const { status, body } = await getJson("/v1/about");
    expect(status).toBe(200);
    const active = (await env.DB.prepare("SELECT count(*) AS n FROM anime WHERE system_status = 'ACTIVE'").first<{ n: number }>())!.n;
    expect(body.catalog).toMatchObject({ anime: active, release_date: "2026-02-21" });
    expect(body.catalog.updated_at).toMatch(/^\d{4}-\d\d-\d\dT/);
    expect(body.notice).toBe(ODBL_NOTICE);
    expect(body.sources.map((s: { name: string; licence: string }) => [s.name, s.licence.split(" ")[0]])).toEqual([
      ["anime-offline-database", "ODbL-1.0"],
      ["bangumi-data", "CC"],
      ["@kawaiioverflow/arm", "MIT"],
    ]);
    await expectProblem(await call("/v1/about?x=1"), 400, "validation_failed");
  });

  it("the ODbL notice stands in the OpenAPI info, on the docs page and on the service index", async () => {
    const spec = (await (await call("/openapi.json")).json()) as { info: { description: string } };
    expect(spec.info.description).toContain(ODBL_NOTICE);
    expect(await (await call("/docs")).text()).toContain(ODBL_NOTICE);
    expect(((await (await call("/")).json()) as { data: string }).data).toBe(ODBL_NOTICE);
  });
});
