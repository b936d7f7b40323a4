import { env } from "cloudflare:workers";
import { beforeAll, describe, expect, it } from "vitest";
import { tagsOfGenre } from "../src/catalog/genres";
import { call, expectProblem, fixtureEntries, getJson, importFixture, resetCatalog, sqlCount, importEntries } from "./helpers";

/** What a list shows by default: active anime, adult ones (tagged hentai: catalog/adult.ts) left out. */
const LISTED = "SELECT count(*) AS n FROM anime WHERE system_status = 'ACTIVE' AND NOT EXISTS (SELECT 1 FROM anime_genre g WHERE g.anime_id = anime.id AND g.genre_key = 'hentai')";

type Item = { id: number; title: string; score: number | null; season: { year: number | null }; genres: string[]; tags: string[]; type: string };
const SCI_FI_TAGS = tagsOfGenre("Sci-Fi").map((t) => `'${t}'`).join(", ");

/** Follows next_cursor to the end; returns every item in order. */
async function walk(path: string, onPage?: (page: number) => Promise<void>): Promise<Item[]> {
  const items: Item[] = [];
  let cursor: string | null = null;
  for (let page = 0; page < 1000; page++) {
    const sep = path.includes("?") ? "&" : "?";
    const { status, body }: { status: number; body: { data: Item[]; next_cursor: string | null } } = await getJson(`${path}${cursor ? `${sep}cursor=${cursor}` : ""}`);
    expect(status).toBe(200);
    items.push(...body.data);
    cursor = body.next_cursor;
    if (!cursor) return items;
    await onPage?.(page);
  }
  throw new Error("cursor walk did not end");
}

beforeAll(async () => {
  await resetCatalog();
  await importFixture();
});

describe("GET /v1/anime", () => {
  it("pages 20 by default, best score first", async () => {
    const { body } = await getJson("/v1/anime");
    expect(body.data).toHaveLength(20);
    const scores = body.data.map((a: Item) => a.score ?? -1);
    expect(scores).toEqual([...scores].sort((a, b) => b - a));
    expect(body.next_cursor).toEqual(expect.any(String));
  });

  it("walks genres=Sci-Fi&year 1998 to exactly the SQL count, without duplicates", async () => {
    const items = await walk("/v1/anime?genres=Sci-Fi&year_from=1998&year_to=1998&limit=3");
    const expected = await sqlCount(
      `SELECT count(*) AS n FROM anime a WHERE a.system_status = 'ACTIVE' AND a.year = 1998 AND EXISTS (SELECT 1 FROM anime_genre g WHERE g.anime_id = a.id AND g.genre_key IN (${SCI_FI_TAGS}))`,
    );
    expect(expected).toBeGreaterThan(3);
    expect(items).toHaveLength(expected);
    expect(new Set(items.map((a) => a.id)).size).toBe(expected);
    for (const a of items) {
      expect(a.season.year).toBe(1998);
      expect(a.genres).toContain("Sci-Fi");
      expect(a.tags.some((t) => tagsOfGenre("Sci-Fi").includes(t))).toBe(true);
    }
  });

  it.each(["score", "year", "title", "updated"])("walks the whole catalog by %s (both orders) with no gaps or repeats", async (sort) => {
    const total = await sqlCount(LISTED);
    for (const order of ["asc", "desc"]) {
      const items = await walk(`/v1/anime?sort=${sort}&order=${order}&limit=37&fields=id,title,score,season`);
      expect(new Set(items.map((a) => a.id)).size).toBe(total);
      expect(items).toHaveLength(total);
    }
  });

  it("stays stable while rows are added during the walk", async () => {
    const total = await sqlCount(LISTED);
    let added = 0;
    const items = await walk("/v1/anime?sort=title&limit=25&fields=id,title", async () => {
      // New anime sorting everywhere in the alphabet, inserted between page requests.
      const title = `${String.fromCharCode(65 + (added % 26))} added while walking ${added}`;
      await importEntries(env.DB, [{ ...fixtureEntries[0], title, sources: [`https://anidb.net/anime/${900000 + added}`] }], { source: "during-walk" });
      added++;
    });
    const ids = items.map((a) => a.id);
    expect(new Set(ids).size).toBe(ids.length); // no repeats
    const originals = items.filter((a) => !a.title.includes("added while walking"));
    expect(originals).toHaveLength(total); // no gaps among rows that existed throughout
    expect(added).toBeGreaterThan(5);
  });

  it("applies every filter", async () => {
    const cases: [string, (a: any) => boolean][] = [
      ["type=MOVIE&type=OVA", (a) => ["MOVIE", "OVA"].includes(a.type)],
      ["type=movie,ova", (a) => ["MOVIE", "OVA"].includes(a.type)],
      ["type_exclude=TV,UNKNOWN", (a) => !["TV", "UNKNOWN"].includes(a.type)],
      ["status=FINISHED", (a) => a.status === "FINISHED"],
      ["season=SPRING&year_from=2000", (a) => a.season.season === "SPRING" && a.season.year >= 2000],
      ["genres=action,comedy", (a) => a.genres.includes("Action") && a.genres.includes("Comedy")],
      ["genres=Slice-of-Life", (a) => a.genres.includes("Slice of Life")],
      ["genres_exclude=Action", (a) => !a.genres.includes("Action") && !a.tags.includes("martial arts")],
      ["tags=action,comedy", (a) => a.tags.includes("action") && a.tags.includes("comedy")],
      ["tags=Sci-Fi&tags_exclude=comedy", (a) => a.tags.includes("sci-fi") && !a.tags.includes("comedy")],
      ["studios=Sunrise,madhouse", (a) => a.studios.includes("sunrise") || a.studios.includes("madhouse")],
      ["min_score=8.5", (a) => a.score >= 8.5],
      ["episodes_min=24&episodes_max=26", (a) => a.episodes >= 24 && a.episodes <= 26],
    ];
    for (const [query, holds] of cases) {
      const { status, body } = await getJson(`/v1/anime?${query}&limit=100`);
      expect(status, query).toBe(200);
      expect(body.data.length, query).toBeGreaterThan(0);
      for (const a of body.data) expect(holds(a), `${query}: ${a.title}`).toBe(true);
    }
  });

  it("filters by updated_since for incremental sync", async () => {
    const future = new Date(Date.now() + 86_400_000).toISOString();
    expect((await getJson(`/v1/anime?updated_since=${future}`)).body.data).toEqual([]);
    expect((await getJson("/v1/anime?updated_since=2000-01-01")).body.data).toHaveLength(20);
  });

  it("includes orphaned entries only when asked", async () => {
    await env.DB.prepare("UPDATE anime SET system_status = 'ORPHANED', orphaned_at = 1 WHERE title = 'Monster'").run();
    const visible = await getJson("/v1/anime?tags=suspense&limit=100&fields=title,system_status");
    expect(visible.body.data.map((a: Item) => a.title)).not.toContain("Monster");
    const all = await getJson("/v1/anime?tags=suspense&limit=100&include_orphaned=true&fields=title,system_status");
    expect(all.body.data).toContainEqual({ title: "Monster", system_status: "ORPHANED" });
  });

  it("treats quotes and SQL in strings as plain values", async () => {
    for (const v of ["' OR 1=1 --", '"; DROP TABLE anime; --', "%", "_", "\\", "sci-fi')--"]) {
      const res = await call(`/v1/anime?studios=${encodeURIComponent(v)}`);
      expect(res.status, v).toBe(200);
      expect(((await res.json()) as { data: unknown[] }).data, v).toEqual([]);
      // A tag the catalog does not have is a 400 naming it, SQL or not.
      const tag = await expectProblem(await call(`/v1/anime?tags=${encodeURIComponent(v)}`), 400, "validation_failed");
      expect(tag.errors[0].message, v).toContain(`unknown tag "${v.toLowerCase()}"`);
    }
    expect(await sqlCount("SELECT count(*) AS n FROM anime")).toBeGreaterThan(0);
  });

  it.each([
    ["limit=0", "limit"],
    ["limit=101", "limit"],
    ["limit=ten", "limit"],
    ["type=SERIES", "type"],
    ["status=done", "status"],
    ["season=AUTUMN", "season"],
    ["sort=notability", "sort"],
    ["order=up", "order"],
    ["year_from=1800", "year_from"],
    ["year_from=2001&year_to=2000", "year_from"],
    ["episodes_min=5&episodes_max=1", "episodes_min"],
    ["min_score=11", "min_score"],
    ["updated_since=yesterday", "updated_since"],
    ["include_orphaned=yes", "include_orphaned"],
    ["genres=a,b,c,d,e,f,g,h,i,j,k", "genres"],
    ["tags=a,b,c,d,e,f,g,h,i,j,k", "tags"],
    ["genres=Foo", "genres"],
    ["genres_exclude=samurai", "genres_exclude"],
    ["tags=no such tag", "tags"],
    ["tags_exclude=gorre", "tags_exclude"],
    ["fields=title,unknown", "fields"],
    ["gneres=action", "gneres"],
  ])("rejects %s", async (query, param) => {
    const body = await expectProblem(await call(`/v1/anime?${query}`), 400, "validation_failed");
    expect(body.errors.map((e: { param: string }) => e.param)).toContain(param);
  });

  it("names the unknown genre or tag and the nearest known ones", async () => {
    const genre = await expectProblem(await call("/v1/anime?genres=Sci-Fy,Romanse"), 400, "validation_failed");
    expect(genre.errors.map((e: { message: string }) => e.message)).toEqual([
      expect.stringMatching(/^unknown genre "Sci-Fy"; nearest: Sci-Fi[,.]/),
      expect.stringMatching(/^unknown genre "Romanse"; nearest: Romance[,.]/),
    ]);
    const tag = await expectProblem(await call("/v1/anime?tags=adventure,sci-fy&tags_exclude=comdy"), 400, "validation_failed");
    expect(tag.errors).toEqual([
      { param: "tags", message: expect.stringMatching(/^unknown tag "sci-fy"; nearest: sci-fi\b/) },
      { param: "tags_exclude", message: expect.stringMatching(/^unknown tag "comdy"; nearest: comedy\b/) },
    ]);
    expect(tag.request_id).toEqual(expect.any(String));
  });

  it("rejects a malformed cursor, and a cursor reused with other filters", async () => {
    await expectProblem(await call("/v1/anime?cursor=garbage"), 400, "invalid_cursor");
    await expectProblem(await call(`/v1/anime?cursor=${"A".repeat(600)}`), 400, "validation_failed");
    const { body } = await getJson("/v1/anime?genres=action&limit=2");
    await expectProblem(await call(`/v1/anime?genres=drama&limit=2&cursor=${body.next_cursor}`), 400, "invalid_cursor");
    await expectProblem(await call(`/v1/anime?genres=action&sort=title&cursor=${body.next_cursor}`), 400, "invalid_cursor");
    expect((await call(`/v1/anime?genres=action&limit=5&cursor=${body.next_cursor}`)).status).toBe(200); // limit may change
  });
});
