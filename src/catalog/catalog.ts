import { genreCounts, tagCounts, tagPage, unknownTags, type TagPage } from "./genre-counts";
import { and, asc, count, desc, eq, sql, type SQL } from "drizzle-orm";
import { imageSource } from "../images/schema";
import { drizzle, type DrizzleD1Database } from "drizzle-orm/d1";
import { anime, animeGenre, animeSource, animeStudio, type MembershipTable } from "./schema";
import { toAnime, type AnimeRow, type RelatedRef } from "./serialize";
import type { Anime } from "./anime-schema";
import { DEFAULT_ORDER, type Filters, type Page } from "./filters";
import { decodeCursor, encodeCursor, filtersFingerprint } from "./cursor";
import { filterConditions, SORT_KEY, sortKeyOf } from "./browse-query";
import { computeCurated, type CuratedList, type CuratedValue } from "./curated";

export interface AnimePage {
  data: Anime[];
  next_cursor: string | null;
}

export interface NameCount {
  name: string;
  count: number;
}

/**
 * Read side of the catalog in D1. Missing things are `null` results, never exceptions:
 * the route decides what status that is.
 */
export class Catalog {
  private readonly orm: DrizzleD1Database;

  constructor(private readonly db: D1Database) {
    this.orm = drizzle(db);
  }

  /** One curated list, computed from D1 (curated.ts says what each list is). */
  curated(list: CuratedList, now: number): Promise<CuratedValue> {
    return computeCurated(this.db, this, list, now);
  }

  async getById(id: number): Promise<Anime | null> {
    const row = await this.orm.select().from(anime).where(eq(anime.id, id)).get();
    return row ? (await this.present([row]))[0] : null;
  }

  /** The anime behind another site's id (one indexed join), or null. */
  async getBySource(site: string, siteId: string): Promise<Anime | null> {
    const found = await this.orm
      .select({ anime })
      .from(animeSource)
      .innerJoin(anime, eq(anime.id, animeSource.animeId))
      .where(and(eq(animeSource.site, site), eq(animeSource.siteId, siteId)))
      .get();
    return found ? (await this.present([found.anime]))[0] : null;
  }

  /** Rows of these ids, in the order given (unknown ids are skipped). */
  async rowsByIds(ids: number[]): Promise<AnimeRow[]> {
    if (ids.length === 0) return [];
    const rows = await this.orm.select().from(anime).where(sql`${anime.id} IN (SELECT value FROM json_each(${JSON.stringify(ids)}))`).all();
    const byId = new Map(rows.map((r) => [r.id, r]));
    return ids.map((id) => byId.get(id)).filter((r): r is AnimeRow => r !== undefined);
  }

  /** Public objects of these ids, in the order given. */
  async getMany(ids: number[]): Promise<Anime[]> {
    return this.present(await this.rowsByIds(ids));
  }

  /**
   * In one round trip: which of `checkIds` satisfy `filters`, the rows of `rowIds`, and what
   * presenting the anime of `presentIds` needs (`extras`, for present()): a search re-checks
   * the vector leg's candidates, fetches its likely page and what that page links to at once.
   */
  async matchingWithRows(checkIds: number[], filters: Filters, rowIds: number[], presentIds: number[] = []): Promise<{ matching: Set<number>; rows: Map<number, AnimeRow>; extras: Extras }> {
    const inIds = (ids: number[]) => sql`${anime.id} IN (SELECT value FROM json_each(${JSON.stringify(ids)}))`;
    const check = this.orm.select({ id: anime.id }).from(anime).where(and(inIds(checkIds), filterConditions(filters)));
    const fetch = this.orm.select().from(anime).where(inIds(rowIds));
    const byId = (rows: { id: number }[]) => new Set(rows.map((r) => r.id));
    const rowMap = (rows: AnimeRow[]) => new Map(rows.map((r) => [r.id, r]));
    if (presentIds.length === 0) {
      const [matched, rows] = await this.orm.batch([check, fetch]);
      return { matching: byId(matched), rows: rowMap(rows), extras: { related: new Map(), hosted: new Map(), presented: new Set() } };
    }
    // The related URLs and image URLs of the anime to present, read from their rows by SQL.
    const ids = JSON.stringify(presentIds);
    const relatedUrls = sql`SELECT r.value FROM anime x, json_each(x.related) r WHERE x.id IN (SELECT value FROM json_each(${ids}))`;
    const imageUrls = sql`SELECT x.picture FROM anime x WHERE x.id IN (SELECT value FROM json_each(${ids})) UNION ALL SELECT x.thumbnail FROM anime x WHERE x.id IN (SELECT value FROM json_each(${ids}))`;
    const [matched, rows, related, images] = await this.orm.batch([
      check,
      fetch,
      this.relatedQuery(sql`${animeSource.url} IN (${relatedUrls})`),
      this.hostedQuery(sql`${imageSource.url} IN (${imageUrls})`),
    ]);
    return {
      matching: byId(matched),
      rows: rowMap(rows),
      extras: { related: new Map(related.map(({ url, ...ref }) => [url, ref])), hosted: hostedKeys(images), presented: new Set(presentIds) },
    };
  }

  /** One keyset page of the anime matching `filters`. */
  async browse(filters: Filters, page: Page): Promise<AnimePage> {
    const order = page.order ?? DEFAULT_ORDER[page.sort];
    const fingerprint = filtersFingerprint(filters);
    const key = SORT_KEY[page.sort];
    const conditions = [filterConditions(filters)];
    if (page.cursor) {
      const cur = decodeCursor(page.cursor, { sort: page.sort, order, filters: fingerprint });
      conditions.push(order === "desc" ? sql`(${key}, ${anime.id}) < (${cur.key}, ${cur.id})` : sql`(${key}, ${anime.id}) > (${cur.key}, ${cur.id})`);
    }
    const dir = order === "desc" ? desc : asc;
    const rows = await this.orm
      .select()
      .from(anime)
      .where(and(...conditions))
      .orderBy(dir(key), dir(anime.id))
      .limit(page.limit + 1)
      .all();
    const more = rows.length > page.limit;
    const pageRows = more ? rows.slice(0, page.limit) : rows;
    const last = pageRows.at(-1);
    return {
      data: await this.present(pageRows),
      next_cursor: more && last ? encodeCursor({ sort: page.sort, order, key: sortKeyOf(last, page.sort), id: last.id, filters: fingerprint }) : null,
    };
  }

  /** A uniformly random anime among those matching `filters`, or null when none does. */
  async random(filters: Filters): Promise<Anime | null> {
    const row = await this.orm.select().from(anime).where(filterConditions(filters)).orderBy(sql`random()`).limit(1).get();
    return row ? (await this.present([row]))[0] : null;
  }

  /** Every genre (genres.ts) with its count of active anime, most used first. */
  genres(): Promise<NameCount[]> {
    return genreCounts(this.db);
  }

  /** Tags of active anime with their counts, most used first (precomputed by triggers: genre-counts.ts). */
  tagCounts(): Promise<NameCount[]> {
    return tagCounts(this.db);
  }

  /**
   * The anime whose `related` lists a source URL of one of `ids` (other than those ids). A
   * scan of every row's related URLs (~0.1 s at 40k anime on a laptop): callers keep `ids`
   * small (the invalidator's per-id path only).
   */
  async referrersOf(ids: number[]): Promise<number[]> {
    const { results } = await this.db
      .prepare(
        `SELECT DISTINCT a.id FROM anime a, json_each(a.related) r
         WHERE r.value IN (SELECT url FROM anime_source WHERE anime_id IN (SELECT value FROM json_each(?1)))
           AND a.id NOT IN (SELECT value FROM json_each(?1))`,
      )
      .bind(JSON.stringify(ids))
      .all<{ id: number }>();
    return results.map((r) => r.id);
  }

  /** Which of these tag keys the catalog has never seen. */
  unknownTags(keys: readonly string[]): Promise<string[]> {
    return unknownTags(this.db, keys);
  }

  /** A page of tags with counts (GET /v1/tags); null for a cursor not issued for `prefix`. */
  tags(prefix: string, limit: number, cursor: string | undefined): Promise<TagPage | null> {
    return tagPage(this.db, prefix, limit, cursor);
  }

  /** Studios of active anime with their counts, most prolific first. */
  studios(limit: number, minCount: number): Promise<NameCount[]> {
    return this.countMembers(animeStudio, limit, minCount);
  }

  private countMembers(table: MembershipTable, limit: number, minCount: number): Promise<NameCount[]> {
    return this.orm
      .select({ name: sql<string>`min(${table.name})`, count: count() })
      .from(table)
      .innerJoin(anime, eq(anime.id, table.animeId))
      .where(eq(anime.systemStatus, "ACTIVE"))
      .groupBy(table.key)
      .having(sql`count(*) >= ${minCount}`)
      .orderBy(desc(count()), asc(table.key))
      .limit(limit)
      .all();
  }

  /**
   * Public objects of `rows`, in order, resolving every related URL and every hosted image of
   * the page in one query each; `extras` from matchingWithRows spares those lookups when it was
   * read for every one of the rows.
   */
  async present(rows: AnimeRow[], extras?: Extras): Promise<Anime[]> {
    if (extras && rows.every((r) => extras.presented.has(r.id))) return rows.map((r) => toAnime(r, extras.related, extras.hosted));
    const urls = [...new Set(rows.flatMap((r) => r.related))];
    const images = [...new Set(rows.flatMap((r) => [r.picture, r.thumbnail]).filter((u): u is string => u !== null))];
    const related = new Map<string, RelatedRef>();
    const hosted = new Map<string, string>();
    await Promise.all([
      urls.length > 0 && this.relatedQuery(sql`${animeSource.url} IN (SELECT value FROM json_each(${JSON.stringify(urls)}))`).then((found) => found.forEach(({ url, ...ref }) => related.set(url, ref))),
      images.length > 0 && this.hostedQuery(sql`${imageSource.url} IN (SELECT value FROM json_each(${JSON.stringify(images)}))`).then((found) => hostedKeys(found).forEach((key, url) => hosted.set(url, key))),
    ]);
    return rows.map((r) => toAnime(r, related, hosted));
  }

  /** The anime a related URL names (its source row), for the URLs `urls` selects. */
  private relatedQuery(urls: SQL) {
    return this.orm.select({ url: animeSource.url, id: animeSource.animeId, title: anime.title, type: anime.type, year: anime.year }).from(animeSource).innerJoin(anime, eq(anime.id, animeSource.animeId)).where(urls);
  }

  /** The stored (re-hosted) images among the URLs `urls` selects. */
  private hostedQuery(urls: SQL) {
    return this.orm.select({ url: imageSource.url, key: imageSource.r2Key }).from(imageSource).where(sql`${imageSource.status} = 'stored' AND ${urls}`);
  }
}

/** What present() looks up besides the rows: related entries by URL, re-hosted image keys by URL, and for which anime. */
export interface Extras {
  related: Map<string, RelatedRef>;
  hosted: Map<string, string>;
  presented: Set<number>;
}

function hostedKeys(found: { url: string; key: string | null }[]): Map<string, string> {
  const hosted = new Map<string, string>();
  for (const f of found) if (f.key) hosted.set(f.url, f.key);
  return hosted;
}
