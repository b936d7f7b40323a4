import { describe, expect, it } from "vitest";
import { env } from "cloudflare:workers";
import { adminHeaders, call, expectProblem, getJson, importFixture, indexSearch, fixtureEntries, importEntries, testServices } from "../helpers";
import { createExecutionContext, createScheduledController, waitOnExecutionContext } from "cloudflare:test";
import worker from "../../src/index";

const status = () => getJson("/v1/admin/search/index", { headers: adminHeaders });

describe("admin search index", () => {
  it("refuses requests without or with a wrong token", async () => {
    const none = await call("/v1/admin/search/index");
    await expectProblem(none, 401, "unauthorized");
    expect(none.headers.get("www-authenticate")).toContain("Bearer");
    await expectProblem(await call("/v1/admin/search/index", { headers: { Authorization: "Bearer wrong-token-0123456789" } }), 403, "forbidden");
    await expectProblem(await call("/v1/admin/search/index", { method: "POST", headers: { Authorization: "Basic abc" }, body: "{}" }), 401, "unauthorized");
  });

  it("indexes everything once, then nothing; a changed entry is re-embedded alone and searchable at once", async () => {
    await importFixture();
    const first = await indexSearch();
    expect(first.vectors).toBe(fixtureEntries.length);
    expect((await status()).body.remaining).toEqual({ text: 0, vectors: 0 });
    expect(await indexSearch()).toEqual({ text: 0, vectors: 0 });

    const bebop = fixtureEntries.find((e) => e.title === "Cowboy Bebop")!;
    await importEntries(env.DB, [{ ...bebop, title: "Cowboy Bebop Zephyrine" }], { source: "edit" });
    // The keyword index follows the write at once (triggers), before any re-embedding.
    const { body: found } = await getJson("/v1/search?q=zephyrine&mode=keyword");
    expect(found.data[0].title).toBe("Cowboy Bebop Zephyrine");
    expect((await status()).body.remaining).toEqual({ text: 0, vectors: 1 });
    expect(await indexSearch()).toEqual({ text: 0, vectors: 1 });
    await importEntries(env.DB, [bebop], { source: "restore" });
    await indexSearch();
  });

  it("a local index that lost its vectors while state rows remain is rebuilt by the next batch", async () => {
    await importFixture();
    await indexSearch();
    const s = testServices();
    await s.backends.vectorIndex!.clear!(); // the object's storage lost, as under another Worker name
    expect(await indexSearch()).toEqual({ text: 0, vectors: fixtureEntries.length });
    expect(await s.backends.vectorIndex!.count()).toBe(fixtureEntries.length);
  });

  it("reset rebuilds both indexes from scratch", async () => {
    await importFixture();
    await indexSearch();
    const rebuilt = await indexSearch(true);
    expect(rebuilt).toEqual({ text: fixtureEntries.length, vectors: fixtureEntries.length });
    const { body } = await status();
    expect(body.vectors_held).toBe(fixtureEntries.length);
    expect(body.vector_backend).toBe("local");
  });

  it("the cron trigger indexes what an import changed", async () => {
    await importFixture();
    await indexSearch();
    const bebop = fixtureEntries.find((e) => e.title === "Cowboy Bebop")!;
    await importEntries(env.DB, [{ ...bebop, title: "Cowboy Bebop Cronrun" }], { source: "cron edit" });
    expect((await status()).body.remaining.vectors).toBe(1);
    // The same cron also ingests images; the fixture's are on the internet, which tests do not
    // reach: mark them tried (dead, due next week) so this run only indexes.
    await env.DB.prepare(
      `INSERT OR IGNORE INTO image_source (url_hash, url, anime_id, status, attempts, next_retry_at, created_at, updated_at)
       SELECT url, url, min(id), 'dead', 1, ?1, 0, 0 FROM (SELECT picture AS url, id FROM anime WHERE picture IS NOT NULL UNION ALL SELECT thumbnail, id FROM anime WHERE thumbnail IS NOT NULL) GROUP BY url`,
    )
      .bind(Date.now() + 7 * 86_400_000)
      .run();
    const ctx = createExecutionContext();
    await worker.scheduled!(createScheduledController({ scheduledTime: Date.now(), cron: "*/10 * * * *" }), env, ctx);
    await waitOnExecutionContext(ctx);
    expect((await status()).body.remaining).toEqual({ text: 0, vectors: 0 });
    await importEntries(env.DB, [bebop], { source: "restore" });
  });

  it("validates the body", async () => {
    const post = (body: string) => call("/v1/admin/search/index", { method: "POST", headers: adminHeaders, body });
    await expectProblem(await post(JSON.stringify({ limit: 0 })), 400, "validation_failed");
    await expectProblem(await post(JSON.stringify({ reset: "yes" })), 400, "validation_failed");
    await expectProblem(await post("nope"), 400, "validation_failed");
  });
});
