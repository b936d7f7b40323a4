import { beforeAll, describe, expect, it } from "vitest";
import { env } from "cloudflare:workers";
import { createExecutionContext, waitOnExecutionContext } from "cloudflare:test";
import { createApp } from "../../src/app";
import { LocalVectorIndex } from "../../src/search/vector-index/local";
import { LocalEmbedder } from "../../src/search/embedder/local";
import { BASE, call, expectProblem, getJson, importFixture, indexSearch } from "../helpers";

beforeAll(async () => {
  await importFixture();
  await indexSearch();
});

const ids = (body: { data: { id: number }[] }) => body.data.map((d) => d.id);

/** Ids of active anime matching a raw SQL condition: the oracle the API is compared with. */
async function sqlIds(where: string, ...binds: unknown[]): Promise<number[]> {
  const { results } = await env.DB.prepare(`SELECT id FROM anime WHERE system_status = 'ACTIVE' AND ${where} ORDER BY id`).bind(...binds).all<{ id: number }>();
  return results.map((r) => r.id);
}

describe("filters combined with q", () => {
  it("keyword mode finds every anime whose names contain the word, and nothing outside the filter", async () => {
    const { body } = await getJson("/v1/search?q=evangelion&mode=keyword&type=MOVIE&limit=50");
    const expected = await sqlIds("type = 'MOVIE' AND (title LIKE '%evangelion%' OR synonyms LIKE '%evangelion%')");
    const movies = new Set(await sqlIds("type = 'MOVIE'"));
    expect(expected.length).toBeGreaterThan(1);
    expect(ids(body).slice(0, expected.length).sort((a, b) => a - b)).toEqual(expected);
    for (const id of ids(body)) expect(movies.has(id), `id ${id}`).toBe(true);
  });

  it("every hybrid hit satisfies genres + year range + min_score", async () => {
    const q = "/v1/search?q=space%20bounty%20hunters&genres=Action&year_from=1995&year_to=2005&min_score=7&limit=50&min_confidence=0";
    const { body } = await getJson(q);
    expect(body.data.length).toBeGreaterThan(3);
    const allowed = new Set(await sqlIds("year BETWEEN 1995 AND 2005 AND score >= 7 AND EXISTS (SELECT 1 FROM anime_genre g WHERE g.anime_id = anime.id AND g.genre_key = 'action')"));
    for (const id of ids(body)) expect(allowed.has(id), `id ${id}`).toBe(true);
    expect(body.data.some((d: any) => d.match.vector_rank !== null)).toBe(true);
  });

  it("a filter that starves one leg still fills the page from the other", async () => {
    const { body } = await getJson("/v1/search?q=bebop&type=TV&genres_exclude=Sci-Fi&limit=10&min_confidence=0");
    for (const d of body.data) {
      expect(d.type).toBe("TV");
      expect(d.genres.map((g: string) => g.toLowerCase())).not.toContain("sci-fi");
    }
    expect(body.data.length).toBe(10);
  });
});

describe("the vector leg filters inside the index (not only the D1 re-check)", () => {
  it("the local index, queried directly, returns only anime within the filter, and a full page", async () => {
    const index = new LocalVectorIndex(env.VECTOR_INDEX);
    const [vector] = await new LocalEmbedder().embed(["space bounty hunters"]);
    const filter = { include_orphaned: false, tags: ["action"], year_from: 1995, year_to: 2005, min_score: 7 };
    const matches = await index.query({ vector, topK: 20, filter });
    const allowed = new Set(await sqlIds("year BETWEEN 1995 AND 2005 AND score >= 7 AND EXISTS (SELECT 1 FROM anime_genre g WHERE g.anime_id = anime.id AND g.genre_key = 'action')"));
    expect(matches).toHaveLength(Math.min(20, allowed.size));
    for (const m of matches) expect(allowed.has(m.id), `id ${m.id}`).toBe(true);
  });
});

describe("pagination and explain", () => {
  it("walks every page without repeats and ends with a null cursor", async () => {
    const seen: number[] = [];
    let cursor: string | null = null;
    let pages = 0;
    do {
      const { status, body }: { status: number; body: any } = await getJson(`/v1/search?q=shin&limit=7${cursor ? `&cursor=${cursor}` : ""}`);
      expect(status).toBe(200);
      seen.push(...ids(body));
      cursor = body.next_cursor;
      pages++;
    } while (cursor && pages < 100);
    expect(cursor).toBeNull();
    expect(new Set(seen).size).toBe(seen.length);
    expect(seen.length).toBeGreaterThan(7);
    const { body: whole } = await getJson("/v1/search?q=shin&limit=50");
    expect(seen.slice(0, 50)).toEqual(ids(whole));
  });

  it("refuses a cursor of another query", async () => {
    const { body } = await getJson("/v1/search?q=shin&limit=2");
    await expectProblem(await call(`/v1/search?q=naruto&limit=2&cursor=${body.next_cursor}`), 400, "invalid_cursor");
  });

  it("explain=true adds per-leg scores; without it match has rank and score only", async () => {
    const { body } = await getJson("/v1/search?q=cowboy%20bebop&explain=true&limit=3");
    const m = body.data[0].match;
    expect(m.keyword_rank).toBe(1);
    expect(typeof m.explain.keyword_score).toBe("number");
    expect(m.explain.boost).toBeGreaterThan(0);
    const { body: plain } = await getJson("/v1/search?q=cowboy%20bebop&limit=3");
    expect(Object.keys(plain.data[0].match).sort()).toEqual(["confidence", "keyword_rank", "score", "vector_rank"]);
    expect(m.explain.vector_weight).toBeGreaterThan(0);
  });

  it("semantic mode ranks by the vector leg alone; keyword mode by the keyword leg alone", async () => {
    const { body: sem } = await getJson("/v1/search?q=cowboy%20bebop&mode=semantic&limit=5");
    expect(sem.data.every((d: any) => d.match.keyword_rank === null && d.match.vector_rank !== null)).toBe(true);
    expect(sem.data.slice(0, 2).map((d: any) => d.title)).toContain("Cowboy Bebop");
    const { body: kw } = await getJson("/v1/search?q=cowboy%20bebop&mode=keyword&limit=5");
    expect(kw.data.every((d: any) => d.match.vector_rank === null && d.match.keyword_rank !== null)).toBe(true);
    expect(kw.degraded).toEqual([]);
  });
});

describe("a dead vector leg degrades to keyword results", () => {
  async function searchWith(vars: Record<string, string>, path: string) {
    const ctx = createExecutionContext();
    const res = await createApp().fetch(new Request(BASE + path), { ...env, ...vars }, ctx);
    await waitOnExecutionContext(ctx);
    return { status: res.status, body: (await res.json()) as any };
  }

  it.each(["hybrid", "semantic"])("VECTOR_BACKEND=off, mode=%s → 200, keyword hits, degraded [vector]", async (mode) => {
    const { status, body } = await searchWith({ VECTOR_BACKEND: "off" }, `/v1/search?q=cowby%20bebop&mode=${mode}`);
    expect(status).toBe(200);
    expect(body.degraded).toEqual(["vector"]);
    expect(body.data[0].title).toBe("Cowboy Bebop");
    expect(body.data.every((d: any) => d.match.vector_rank === null)).toBe(true);
  });

  it("a walk keeps the legs of its first page: degraded stays keyword-only, a lost leg is 503", async () => {
    const walk = async (vars: Record<string, string>[]) => {
      const ids: number[] = [];
      let cursor: string | null = null;
      for (let i = 0; i < vars.length; i++) {
        const r = await searchWith(vars[i], `/v1/search?q=shin&limit=5${cursor ? `&cursor=${cursor}` : ""}`);
        expect(r.status).toBe(200);
        expect(r.body.degraded).toEqual(["vector"]);
        ids.push(...r.body.data.map((d: any) => d.id));
        cursor = r.body.next_cursor;
      }
      return { ids, cursor };
    };
    const off = { VECTOR_BACKEND: "off" };
    const allOff = await walk([off, off, off]);
    const mixed = await walk([off, {}, {}]);
    expect(mixed.ids).toEqual(allOff.ids);

    // limit 6: the degraded first page of limit 5 is (briefly) cached, by design.
    const first = await searchWith({}, "/v1/search?q=shin&limit=6");
    expect(first.body.degraded).toEqual([]);
    const lost = await searchWith(off, `/v1/search?q=shin&limit=6&cursor=${first.body.next_cursor}`);
    expect(lost.status, JSON.stringify(lost.body).slice(0, 300)).toBe(503);
    expect(lost.body.code).toBe("service_unavailable");
  });

  it("similar falls back to genre overlap, flagged", async () => {
    const { status, body } = await searchWith({ VECTOR_BACKEND: "off" }, "/v1/anime/1/similar");
    expect(status).toBe(200);
    expect(body.degraded).toEqual(["vector"]);
    expect(body.data.length).toBe(10);
    expect(body.data.every((d: any) => d.similarity.vector_score === null)).toBe(true);
  });
});

describe("bad input", () => {
  it.each([
    ["/v1/search", "missing q"],
    ["/v1/search?q=", "empty q"],
    ["/v1/search?q=%20%20%20", "blank q"],
    [`/v1/search?q=${"a".repeat(257)}`, "q over 256"],
    ["/v1/search?q=%21%21%21", "q without letters"],
    ["/v1/search?q=naruto&limit=0", "limit 0"],
    ["/v1/search?q=naruto&limit=51", "limit 51"],
    ["/v1/search?q=naruto&mode=fuzzy", "unknown mode"],
    ["/v1/search?q=naruto&sort=score", "browse-only param"],
    ["/v1/search?q=naruto&year_from=2000&year_to=1990", "inverted range"],
    ["/v1/search?q=naruto&explain=yes", "explain not boolean"],
  ])("%s (%s) → 400 validation_failed", async (path) => {
    await expectProblem(await call(path), 400, "validation_failed");
  });

  it("a q of exactly 256 characters is accepted", async () => {
    const { status } = await getJson(`/v1/search?q=${"ab ".repeat(85)}a`);
    expect(status).toBe(200);
  });
});

describe("genres and tags on search, similar and /v1/query", () => {
  it("search: every hit has the tags asked for and none excluded; genres are the mapped names", async () => {
    const { body } = await getJson("/v1/search?q=space&tags=sci-fi,action&tags_exclude=comedy&limit=50&min_confidence=0");
    expect(body.data.length).toBeGreaterThan(3);
    const allowed = new Set(
      await sqlIds(
        "EXISTS (SELECT 1 FROM anime_genre g WHERE g.anime_id = anime.id AND g.genre_key = 'sci-fi') AND EXISTS (SELECT 1 FROM anime_genre g WHERE g.anime_id = anime.id AND g.genre_key = 'action') AND NOT EXISTS (SELECT 1 FROM anime_genre g WHERE g.anime_id = anime.id AND g.genre_key = 'comedy')",
      ),
    );
    for (const d of body.data) {
      expect(allowed.has(d.id), `id ${d.id}`).toBe(true);
      expect(d.genres).toEqual(expect.arrayContaining(["Action", "Sci-Fi"]));
      expect(d.tags).not.toContain("comedy");
    }
  });

  it("similar: filters by genre and tag, and names an unknown tag", async () => {
    const bebop = (await getJson("/v1/anime/lookup?site=myanimelist&id=1")).body.id;
    const { status, body } = await getJson(`/v1/anime/${bebop}/similar?genres=Drama&tags_exclude=comedy&limit=20`);
    expect(status).toBe(200);
    expect(body.data.length).toBeGreaterThan(0);
    for (const d of body.data) {
      expect(d.genres).toContain("Drama");
      expect(d.tags).not.toContain("comedy");
    }
    const problem = await expectProblem(await call(`/v1/anime/${bebop}/similar?tags=dramma`), 400, "validation_failed");
    expect(problem.errors).toEqual([{ param: "tags", message: expect.stringMatching(/^unknown tag "dramma"; nearest: drama\b/) }]);
  });

  it("search: an unknown genre or tag is a 400, not an empty page", async () => {
    await expectProblem(await call("/v1/search?q=bebop&genres=Foo"), 400, "validation_failed");
    const problem = await expectProblem(await call("/v1/search?q=bebop&tags=sci-fy"), 400, "validation_failed");
    expect(problem.detail).toContain('unknown tag "sci-fy"; nearest: sci-fi');
  });

  it("/v1/query reads a genre word as the genre and a tag word as the tag", async () => {
    const res = await call("/v1/query", { method: "POST", headers: { "content-type": "application/json" }, body: JSON.stringify({ query: "90s sci-fi award winning without comedy" }) });
    expect(res.status).toBe(200);
    const body = (await res.json()) as { interpretation: { filters: Record<string, unknown> }; data: { genres: string[]; tags: string[]; season: { year: number } }[] };
    expect(body.interpretation.filters).toMatchObject({ genres: ["Sci-Fi"], tags: ["award winning"], genres_exclude: ["Comedy"], year_from: 1990, year_to: 1999 });
    expect(body.data.length).toBeGreaterThan(0);
    for (const a of body.data) {
      expect(a.genres).toContain("Sci-Fi");
      expect(a.genres).not.toContain("Comedy");
      expect(a.tags).toContain("award winning");
    }
  });
});
