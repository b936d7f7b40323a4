import { beforeAll, describe, expect, it } from "vitest";
import { env } from "cloudflare:workers";
import { createExecutionContext, waitOnExecutionContext } from "cloudflare:test";
import { createApp } from "../../src/app";
import { b64url, fromB64url } from "../../src/catalog/cursor";
import { DEFAULT_QUERY_MODEL } from "../../src/search/query/workers-ai";
import { BASE, call, expectProblem, getJson, importFixture, indexSearch } from "../helpers";
import { importQueryExtras } from "./query-extras";

/**
 * POST /v1/query pages (issue 16): `cursor` / `next_cursor` for each strategy, bound to the
 * request and to the interpretation; scores rounded as GET /v1/search rounds them.
 */
beforeAll(async () => {
  await importFixture();
  await importQueryExtras();
  await indexSearch();
});

interface Body {
  query: string;
  limit?: number;
  include_adult?: boolean;
  cursor?: string;
}
interface Answer {
  interpretation: { strategy: string; sort: string | null; notes: string[] } & Record<string, unknown>;
  data: { id: number; score: number | null; match?: { score: number; confidence: number }; similarity?: { score: number } }[];
  next_cursor: string | null;
  degraded: string[];
}

type Send = (body: Body) => Promise<Response>;
const post: Send = (body) => call("/v1/query", { method: "POST", headers: { "Content-Type": "application/json" }, body: JSON.stringify(body) });

/** The Worker on other bindings: the vector leg off, or a stand-in Workers AI parser. */
const postWith =
  (bindings: Record<string, unknown>): Send =>
  async (body) => {
    const ctx = createExecutionContext();
    const init = { method: "POST", headers: { "Content-Type": "application/json" }, body: JSON.stringify(body) };
    const res = await createApp().fetch(new Request(`${BASE}/v1/query`, init), { ...env, ...bindings }, ctx);
    await waitOnExecutionContext(ctx);
    return res;
  };
const vectorOff = postWith({ VECTOR_BACKEND: "off" });

async function ask(body: Body, send: Send = post): Promise<Answer> {
  const res = await send(body);
  if (res.status !== 200) throw new Error(`${res.status} ${await res.text()}`);
  return (await res.json()) as Answer;
}

/** Follows next_cursor to the end; every page. */
async function walk(body: Body, send: Send = post): Promise<Answer[]> {
  const pages: Answer[] = [];
  let cursor: string | null = null;
  do {
    const page: Answer = await ask(cursor ? { ...body, cursor } : body, send);
    pages.push(page);
    cursor = page.next_cursor;
  } while (cursor && pages.length < 200);
  return pages;
}

const ids = (pages: Answer[]) => pages.flatMap((p) => p.data.map((d) => d.id));
const nonIncreasing = (xs: number[]) => xs.every((x, i) => i === 0 || xs[i - 1] >= x);

describe("walking a query's pages", () => {
  it.each([
    ["shingeki", "search", null],
    ["best shingeki", "search", "score"],
    ["popular re zero", "search", "popularity"],
    ["movies like cowboy bebop", "similar", null],
    ["best movies like cowboy bebop", "similar", "score"],
    ["popular movies like cowboy bebop", "similar", "popularity"],
    ["90s sci-fi", "browse", null],
    ["popular 90s sci-fi", "browse", "popularity"],
  ])('"%s" (%s, sort %s): every hit once, as one big page has them, the same interpretation on every page', async (query, strategy, sort) => {
    const whole = await ask({ query, limit: 50 });
    expect(whole.interpretation).toMatchObject({ strategy, sort });
    expect(whole.next_cursor).toBeNull();
    expect(whole.data.length).toBeGreaterThan(8);

    const pages = await walk({ query, limit: 4 });
    expect(pages.length).toBe(Math.ceil(whole.data.length / 4));
    for (const p of pages) {
      expect(p.interpretation).toEqual(whole.interpretation);
      expect(p.data.length).toBeLessThanOrEqual(4);
    }
    expect(pages.slice(0, -1).every((p) => typeof p.next_cursor === "string")).toBe(true);
    expect(pages.at(-1)!.next_cursor).toBeNull();
    const walked = ids(pages);
    expect(new Set(walked).size).toBe(walked.length);
    // The same hits in the same order, each as the big page shows it (match, similarity included).
    expect(pages.flatMap((p) => p.data)).toEqual(whole.data);
    if (sort === "score") expect(nonIncreasing(whole.data.map((d) => d.score ?? -1))).toBe(true);
  });

  it("a similar walk longer than the largest page: the same hits whatever the page size, none twice", async () => {
    const big = ids(await walk({ query: "like cowboy bebop", limit: 50 }));
    expect(big.length).toBeGreaterThan(50);
    expect(big.length).toBeLessThanOrEqual(300);
    expect(new Set(big).size).toBe(big.length);
    expect(ids(await walk({ query: "like cowboy bebop", limit: 17 }))).toEqual(big);
  });

  it("with a sort, the order holds across pages: one order over the whole set, not one per page", async () => {
    const pages = await walk({ query: "best anime like cowboy bebop", limit: 20 });
    expect(pages.length).toBeGreaterThan(2);
    const scores = pages.flatMap((p) => p.data.map((d) => d.score ?? -1));
    expect(nonIncreasing(scores)).toBe(true);
    expect(ids(pages)).toEqual(ids(await walk({ query: "best anime like cowboy bebop", limit: 50 })));
  });

  it("an empty answer says nothing matched and has no next page", async () => {
    const a = await ask({ query: "plokmijnuhb zzqxjvw" });
    expect(a.data).toEqual([]);
    expect(a.next_cursor).toBeNull();
    expect(a.interpretation.notes.some((n) => n.startsWith("nothing matched"))).toBe(true);
  });
});

describe("scores", () => {
  it("match is rounded as GET /v1/search rounds it: the same hits read the same", async () => {
    const viaQuery = await ask({ query: "shingeki", limit: 50 });
    expect(viaQuery.interpretation).toMatchObject({ strategy: "search", text: "shingeki", filters: {} });
    const { body: viaSearch } = await getJson<{ data: { id: number; match: unknown }[] }>("/v1/search?q=shingeki&limit=50");
    expect(viaQuery.data.map((d) => ({ id: d.id, match: d.match }))).toEqual(viaSearch.data.map((d) => ({ id: d.id, match: d.match })));
    for (const d of viaQuery.data) {
      for (const x of [d.match!.score, d.match!.confidence]) expect(Math.round(x * 1e6) / 1e6).toBe(x);
    }
    // A sorted search shows the same rounded match for each hit, only in another order.
    const best = await ask({ query: "best shingeki", limit: 50 });
    const byId = new Map(viaQuery.data.map((d) => [d.id, d.match]));
    for (const d of best.data) expect(d.match).toEqual(byId.get(d.id));
  });
});

describe("cursors", () => {
  const first = async (body: Body) => {
    const a = await ask(body);
    expect(a.next_cursor).toEqual(expect.any(String));
    return a.next_cursor!;
  };

  it("a cursor of another query, limit or include_adult → 400 invalid_cursor", async () => {
    const cursor = await first({ query: "shingeki", limit: 4 });
    expect((await post({ query: "shingeki", limit: 4, cursor })).status).toBe(200);
    // Surrounding spaces are not part of the query.
    expect((await post({ query: "  shingeki ", limit: 4, cursor })).status).toBe(200);
    for (const body of [
      { query: "re zero", limit: 4, cursor },
      { query: "90s sci-fi", limit: 4, cursor },
      { query: "shingeki", limit: 5, cursor },
      { query: "shingeki", limit: 4, include_adult: true, cursor },
    ]) {
      const problem = await expectProblem(await post(body), 400, "invalid_cursor");
      expect(problem.request_id).toEqual(expect.any(String));
    }
    // Each strategy's cursor is refused by the others.
    const browse = await first({ query: "90s sci-fi", limit: 4 });
    const similar = await first({ query: "movies like cowboy bebop", limit: 4 });
    await expectProblem(await post({ query: "movies like cowboy bebop", limit: 4, cursor: browse }), 400, "invalid_cursor");
    await expectProblem(await post({ query: "90s sci-fi", limit: 4, cursor: similar }), 400, "invalid_cursor");
  });

  it("a forged cursor → 400 invalid_cursor", async () => {
    const real = await first({ query: "shingeki", limit: 4 });
    const [, strategy, inner, query, reading] = JSON.parse(fromB64url(real));
    const { body: search } = await getJson("/v1/search?q=shingeki&limit=4");
    const forged = [
      "not a cursor",
      "%%%",
      b64url("[1,2,3]"),
      b64url(JSON.stringify(["q1", strategy, inner, query])),
      b64url(JSON.stringify(["q1", "everything", inner, query, reading])),
      b64url(JSON.stringify(["q1", strategy, [-4, 1], query, reading])),
      b64url(JSON.stringify(["q1", strategy, [4, 1], query, reading])), // an offset where this walk has a search cursor
      b64url(JSON.stringify(["q1", strategy, "garbage", query, reading])),
      b64url(JSON.stringify(["q1", strategy, inner, query, "0"])),
      search.next_cursor,
    ];
    for (const cursor of forged) await expectProblem(await post({ query: "shingeki", limit: 4, cursor }), 400, "invalid_cursor");
    await expectProblem(await post({ query: "shingeki", limit: 4, cursor: "x".repeat(2000) }), 400, "validation_failed");
  });

  it("a cursor whose query now reads differently → 400 invalid_cursor, not a page of another reading", async () => {
    let reading: object = { text: "", genres: ["Sci-Fi"] };
    const ai = { run: async (model: string) => (model === DEFAULT_QUERY_MODEL ? { response: reading } : { data: [] }) } as unknown as Ai;
    const send = postWith({ AI: ai, VECTOR_BACKEND: "off" });
    const page = await ask({ query: "sci-fi", limit: 4 }, send);
    expect(page.interpretation).toMatchObject({ backend: "workers-ai", strategy: "browse", sort: null });
    expect((await send({ query: "sci-fi", limit: 4, cursor: page.next_cursor! })).status).toBe(200);
    reading = { text: "", genres: ["Sci-Fi"], sort: "popularity" };
    await expectProblem(await send({ query: "sci-fi", limit: 4, cursor: page.next_cursor! }), 400, "invalid_cursor");
  });
});

describe("the vector leg during a walk", () => {
  it("a sorted search begun without it continues without it (keyword ranking throughout)", async () => {
    const whole = await ask({ query: "best shingeki", limit: 50 }, vectorOff);
    expect(whole.degraded).toEqual(["vector"]);
    const first = await ask({ query: "best shingeki", limit: 4 }, vectorOff);
    const rest = await walk({ query: "best shingeki", limit: 4, cursor: first.next_cursor! });
    for (const p of rest) expect(p.degraded).toEqual(["vector"]);
    expect([first, ...rest].flatMap((p) => p.data)).toEqual(whole.data);
  });

  it("a walk begun with it answers 503 when it is gone; a similar walk begun without it cannot use it", async () => {
    const search = await ask({ query: "best shingeki", limit: 4 });
    expect(search.degraded).toEqual([]);
    await expectProblem(await vectorOff({ query: "best shingeki", limit: 4, cursor: search.next_cursor! }), 503, "service_unavailable");
    const similar = await ask({ query: "movies like cowboy bebop", limit: 4 });
    await expectProblem(await vectorOff({ query: "movies like cowboy bebop", limit: 4, cursor: similar.next_cursor! }), 503, "service_unavailable");
    const without = await ask({ query: "movies like cowboy bebop", limit: 4 }, vectorOff);
    expect(without.degraded).toEqual(["vector"]);
    await expectProblem(await post({ query: "movies like cowboy bebop", limit: 4, cursor: without.next_cursor! }), 400, "invalid_cursor");
  });
});
