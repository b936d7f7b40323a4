/**
 * Where image fetches may go (issue 15): ingestion only from the allow-listed image hosts
 * (IMAGE_SOURCE_HOSTS), every redirect hop checked, so a host name that resolves to loopback
 * is never asked for; image search by URL answers one generic error for every network
 * failure. No request here leaves the machine: fetch is replaced, or reaches the loopback
 * test server.
 */
import { beforeEach, describe, expect, inject, it } from "vitest";
import { env } from "cloudflare:workers";
import { createExecutionContext, waitOnExecutionContext } from "cloudflare:test";
import { BASE, expectProblem, importEntries, resetCatalog, servicesOf, testServices } from "../helpers";
import { entry } from "../sync/fixtures";
import { createApp } from "../../src/app";

const server = inject("imageServer");
const rowOf = (url: string) => env.DB.prepare("SELECT * FROM image_source WHERE url = ?1").bind(url).first<any>();

/** A fetch that records what it was asked for and answers `answer` (never the network). */
function recording(answer: (url: string) => Response = () => new Response("not reached", { status: 500 })) {
  const asked: string[] = [];
  const fetch = (async (input: RequestInfo | URL) => (asked.push(String(input)), answer(String(input)))) as typeof globalThis.fetch;
  return { asked, fetch };
}

describe("ingestion fetches only from the image-host allow-list", () => {
  beforeEach(async () => {
    await resetCatalog();
    await env.DB.prepare("DELETE FROM image_source").run();
  });

  it.each([
    ["a name resolving to loopback (an /etc/hosts alias)", "http://localhost-alias:8080/p.jpg"],
    ["an internal-looking name", "https://images.corp.example/p.jpg"],
    ["a CDN not on the list", "https://images.example.org/p.jpg"],
    ["a look-alike of a listed CDN", "https://cdn.myanimelist.net.evil.example/p.jpg"],
  ])("%s is refused and never fetched, even with private sources on", async (_, url) => {
    await importEntries(env.DB, [entry(9501, { picture: url, thumbnail: `${url}?t` })], { source: "ssrf" });
    const { asked, fetch } = recording();
    const report = await testServices().imageIngestor({ allowPrivate: true, fetch, sleep: async () => {} }).runBatch(10);
    expect(report.failed).toBe(2);
    expect(asked).toEqual([]);
    expect((await rowOf(url)).last_error).toMatch(/refused: .* is not an image host of the allow-list \(IMAGE_SOURCE_HOSTS\)/);
  });

  it("a listed CDN redirecting to a name off the list: refused at the hop, the name never fetched", async () => {
    const cdn = "https://cdn.myanimelist.net/images/anime/1/1.jpg";
    await importEntries(env.DB, [entry(9502, { picture: cdn, thumbnail: `${cdn}?t` })], { source: "ssrf redirect" });
    const { asked, fetch } = recording(() => new Response(null, { status: 302, headers: { Location: "http://localhost-alias/admin.jpg" } }));
    await testServices().imageIngestor({ allowPrivate: true, fetch, sleep: async () => {} }).runBatch(10);
    expect(asked.every((u) => u.startsWith("https://cdn.myanimelist.net/"))).toBe(true);
    expect((await rowOf(cdn)).last_error).toMatch(/refused: a redirect to http:\/\/localhost-alias\/admin.jpg: localhost-alias is not an image host/);
  });

  it("IMAGE_SOURCE_HOSTS unset (production): the loopback server is refused although private sources are on; listed, it is fetched", async () => {
    await importEntries(env.DB, [entry(9503, { picture: `${server}/good/1.jpg`, thumbnail: `${server}/good/1.jpg?t` })], { source: "ssrf default" });
    const unset = servicesOf({ ...env, IMAGE_SOURCE_HOSTS: "" });
    expect((await unset.imageIngestor({ sleep: async () => {} }).runBatch(10)).failed).toBe(2);
    expect((await rowOf(`${server}/good/1.jpg`)).last_error).toMatch(/127\.0\.0\.1 is not an image host/);
    await env.DB.prepare("DELETE FROM image_source").run();
    const listed = servicesOf({ ...env, IMAGE_SOURCE_HOSTS: "default, 127.0.0.1" });
    expect((await listed.imageIngestor({ sleep: async () => {} }).runBatch(10)).stored).toBeGreaterThan(0);
  });
});

describe("image search by URL", () => {
  async function searchUrl(url: string, vars: Record<string, string> = {}) {
    const ctx = createExecutionContext();
    const res = await createApp().fetch(new Request(`${BASE}/v1/search/image`, { method: "POST", headers: { "Content-Type": "application/json" }, body: JSON.stringify({ url }) }), { ...env, ...vars }, ctx);
    await waitOnExecutionContext(ctx);
    return res;
  }

  it("one and the same 400 for every network failure: a closed port, a 404, an open port answering HTML, a timeout", async () => {
    const urls = ["http://127.0.0.1:9/x.jpg", `${server}/missing.jpg`, `${server}/wrong-type.jpg`, `${server}/slow.jpg`];
    const bodies = [];
    for (const url of urls) {
      const body = await expectProblem(await searchUrl(url, { IMAGE_FETCH_TIMEOUT_MS: "300" }), 400, "validation_failed");
      bodies.push({ detail: body.detail, errors: body.errors });
    }
    expect(bodies[0].detail).toBe("The image at url could not be fetched as a JPEG, PNG, GIF, WebP or AVIF image within the time and size limits.");
    for (const b of bodies) expect(b).toEqual(bodies[0]);
  });

  it("a private address refused by the rules says so, naming IMAGE_ALLOW_PRIVATE_SOURCES (not the sync's switch)", async () => {
    const body = await expectProblem(await searchUrl("http://127.0.0.1:9/x.jpg", { IMAGE_ALLOW_PRIVATE_SOURCES: "off" }), 400, "validation_failed");
    expect(body.detail).toMatch(/^The image at url was refused: private, loopback and link-local addresses are refused \(IMAGE_ALLOW_PRIVATE_SOURCES=on allows them locally\)\.$/);
    expect(body.detail).not.toMatch(/SYNC_/);
  });
});
