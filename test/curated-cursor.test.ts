import { beforeAll, describe, expect, it } from "vitest";
import { env } from "cloudflare:workers";
import { importEntries, importFixture } from "./helpers";
import { clock, get } from "./cache/helpers";
import { entry, onSites } from "./sync/fixtures";

const scored = (s: number) => ({ score: { arithmeticGeometricMean: s, arithmeticMean: s, median: s } });

beforeAll(async () => {
  await importFixture();
  // /v1/top lists anime on 8 sites or more, which the fixture hardly has: enough for pages of 3.
  await importEntries(env.DB, Array.from({ length: 8 }, (_, i) => entry(9850 + i, { sources: onSites(9850 + i, 10), ...scored(8 + i / 10) })), { source: "curated-cursor" });
});
/** Spring 1998: seasons/now is Cowboy Bebop's season, and every later anime is upcoming. */
const SPRING_1998 = Date.UTC(1998, 4, 1);
let mal = 9800;

/** A catalog write that lands at the head of every list: a best-rated anime of this season and one of the next. */
async function writeAtTheHead(): Promise<number[]> {
  const ids = [++mal, ++mal];
  await importEntries(
    env.DB,
    [
      entry(ids[0], { title: `Head ${ids[0]}`, sources: onSites(ids[0], 10), animeSeason: { season: "SPRING", year: 1998 }, ...scored(9.99) }),
      entry(ids[1], { title: `Head ${ids[1]}`, sources: onSites(ids[1], 10), animeSeason: { season: "SUMMER", year: 1998 }, ...scored(9.98) }),
    ],
    { source: "curated-cursor" },
  );
  return ids;
}

describe("curated-list cursors are bound to the list's order, not to the catalog's generation", () => {
  it.each(["/v1/top", "/v1/popular", "/v1/seasons/now", "/v1/seasons/upcoming"])("%s: a cursor survives a catalog write and walks on after the last entry served", async (path) => {
    const c = clock(SPRING_1998);
    const first = await get(c.now, `${path}?limit=3&fields=id`);
    expect(first.status).toBe(200);
    expect(first.body.next_cursor).toEqual(expect.any(String));
    await writeAtTheHead();
    c.advance(1);
    const second = await get(c.now, `${path}?limit=3&fields=id&cursor=${first.body.next_cursor}`);
    expect(second.status, JSON.stringify(second.body)).toBe(200);
    expect(second.body.computed_at).not.toBe(first.body.computed_at); // the write recomputed the list
    const now = (await get(c.now, `${path}?limit=100&fields=id`)).body.data.map((a: { id: number }) => a.id);
    const after = now.indexOf(first.body.data.at(-1).id) + 1;
    expect(after).toBeGreaterThan(0);
    expect(second.body.data.map((a: { id: number }) => a.id)).toEqual(now.slice(after, after + 3));
    // Nothing of the first page comes again.
    for (const a of first.body.data) expect(second.body.data.map((b: { id: number }) => b.id)).not.toContain(a.id);
  });

  it("a walk of /v1/popular with writes between every page serves no entry twice", async () => {
    const c = clock(SPRING_1998);
    const seen: number[] = [];
    let cursor: string | null = null;
    for (let page = 0; page < 4; page++) {
      const r: { status: number; body: { data: { id: number }[]; next_cursor: string | null } } = await get(c.now, `/v1/popular?limit=10&fields=id${cursor ? `&cursor=${cursor}` : ""}`);
      expect(r.status).toBe(200);
      seen.push(...r.body.data.map((a) => a.id));
      cursor = r.body.next_cursor;
      await writeAtTheHead();
      c.advance(1);
    }
    expect(seen).toHaveLength(40);
    expect(new Set(seen).size).toBe(40);
  });

  it("a seasonal cursor is refused once the season changed (the list is another one)", async () => {
    const c = clock(SPRING_1998);
    const first = await get(c.now, "/v1/seasons/now?limit=1&fields=id");
    c.set(Date.UTC(1998, 7, 1));
    const r = await get(c.now, `/v1/seasons/now?limit=1&fields=id&cursor=${first.body.next_cursor}`);
    expect([r.status, r.body.code]).toEqual([400, "invalid_cursor"]);
  });

  it.each([
    ["another list's cursor", async () => (await get(clock(SPRING_1998).now, "/v1/top?limit=1")).body.next_cursor, "/v1/popular"],
    ["a forged key", async () => btoa(JSON.stringify(["c3", "top", "", [1, "x", 3]])), "/v1/top"],
  ])("%s is a 400", async (_label, cursorOf, path) => {
    const r = await get(clock(SPRING_1998).now, `${path}?cursor=${encodeURIComponent(await cursorOf())}`);
    expect([r.status, r.body.code]).toEqual([400, "invalid_cursor"]);
  });
});
