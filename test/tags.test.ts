import { describe, expect, it } from "vitest";
import { call, expectProblem, getJson, importFixture, sqlCount } from "./helpers";

describe("GET /v1/tags", () => {
  it("pages through every tag once, most used first, with counts of active anime; prefix narrows case-insensitively", async () => {
    await importFixture();
    const seen: { name: string; count: number }[] = [];
    let cursor: string | null = null;
    do {
      const page: { status: number; body: { data: { name: string; count: number }[]; next_cursor: string | null } } = await getJson(`/v1/tags?limit=7${cursor ? `&cursor=${cursor}` : ""}`);
      expect(page.status).toBe(200);
      seen.push(...page.body.data);
      cursor = page.body.next_cursor;
    } while (cursor);
    const distinct = await sqlCount("SELECT count(DISTINCT g.genre_key) AS n FROM anime_genre g JOIN anime a ON a.id = g.anime_id WHERE a.system_status = 'ACTIVE'");
    expect(seen).toHaveLength(distinct);
    expect(new Set(seen.map((t) => t.name.toLowerCase())).size).toBe(distinct);
    for (let i = 1; i < seen.length; i++) expect(seen[i - 1].count).toBeGreaterThanOrEqual(seen[i].count);
    const top = seen[0];
    expect(top.count).toBe(await sqlCount("SELECT count(*) AS n FROM anime_genre g JOIN anime a ON a.id = g.anime_id WHERE a.system_status = 'ACTIVE' AND g.genre_key = ?1", top.name.toLowerCase()));

    const prefix = top.name.slice(0, 2);
    const narrowed = (await getJson(`/v1/tags?prefix=${encodeURIComponent(prefix.toUpperCase())}&limit=200`)).body.data as { name: string }[];
    expect(narrowed.length).toBeGreaterThan(0);
    expect(narrowed.every((t) => t.name.toLowerCase().startsWith(prefix.toLowerCase()))).toBe(true);
    expect(narrowed).toEqual(seen.filter((t) => t.name.toLowerCase().startsWith(prefix.toLowerCase())).slice(0, 200));
    expect((await getJson("/v1/tags?prefix=%25")).body.data).toEqual([]); // LIKE wildcards are literal
  });

  it("refuses a forged cursor, one of another prefix, and bad limits", async () => {
    await importFixture();
    const first = (await getJson("/v1/tags?limit=2")).body;
    await expectProblem(await call(`/v1/tags?limit=2&prefix=a&cursor=${first.next_cursor}`), 400, "invalid_cursor");
    await expectProblem(await call("/v1/tags?cursor=nope"), 400, "invalid_cursor");
    await expectProblem(await call("/v1/tags?limit=0"), 400, "validation_failed");
    await expectProblem(await call(`/v1/tags?prefix=${"x".repeat(65)}`), 400, "validation_failed");
  });
});
