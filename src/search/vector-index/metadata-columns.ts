import { episodesFloor, type Filters } from "../../catalog/filters";
import { withAdultRule } from "../../catalog/adult";
import { tagConstraints } from "../../catalog/tag-constraints";
import type { VectorMetadata } from "./interface";

/** Whether the row in `slot` passes a filter; compiled by MetadataColumns.compile. */
export type SlotFilter = (slot: number) => boolean;

const NONE: SlotFilter = () => false;
const ALL: SlotFilter = () => true;

/** Strings ↔ dense integer ids in first-seen order. Never shrinks: a vocabulary is bounded. */
class Interner {
  private readonly ids = new Map<string, number>();
  readonly names: string[] = [];

  id(name: string): number {
    let id = this.ids.get(name);
    if (id === undefined) {
      id = this.names.length;
      this.ids.set(name, id);
      this.names.push(name);
    }
    return id;
  }

  find(name: string): number | undefined {
    return this.ids.get(name);
  }
}

/**
 * The vector metadata of the local index as columns, one row per slot: what filtering needs
 * and nothing else, so 40,000 anime with dozens of tags take a few MB instead of one object
 * graph per vector (docs/benchmarks.md, "Vector index memory"). Enum strings are interned into
 * Uint16 columns; numbers are Float64 (exact, as the filters compare them; NaN stands for a
 * null year or score, and no range matches NaN, as none matches SQL's NULL); genres and
 * studios are interned ids in one flat Int32Array pool, each row holding its genres then its
 * studios from `start`. A replaced or removed row leaves its ids in the pool as garbage,
 * reclaimed when the pool has to grow and half of it is garbage.
 *
 * Rows are dense (0 … length-1); `removeSwap` moves the last row into the freed slot, as the
 * vector arrays beside it do.
 */
export class MetadataColumns {
  private words = new Interner();
  private names = new Interner();
  private rows = 0;
  private type = new Uint16Array(0);
  private status = new Uint16Array(0);
  private season = new Uint16Array(0);
  private systemStatus = new Uint16Array(0);
  private year = new Float64Array(0);
  private score = new Float64Array(0);
  private episodes = new Float64Array(0);
  private updatedAt = new Float64Array(0);
  private start = new Int32Array(0);
  private genreCount = new Int32Array(0);
  private studioCount = new Int32Array(0);
  private pool = new Int32Array(0);
  private poolEnd = 0;
  private garbage = 0;

  get length(): number {
    return this.rows;
  }

  /** Bytes of the typed arrays (capacity, not just content; the dictionaries are not counted). */
  get bytes(): number {
    const columns = [this.type, this.status, this.season, this.systemStatus, this.year, this.score, this.episodes, this.updatedAt, this.start, this.genreCount, this.studioCount, this.pool];
    return columns.reduce((sum, c) => sum + c.byteLength, 0);
  }

  /** Room for `rows` rows without reallocating (a bulk load of a known row count). */
  reserve(rows: number): void {
    if (rows > this.type.length) this.resizeRows(rows);
  }

  /** Shrinks every array to what the rows hold (after a bulk load, which grows them by half). */
  fit(): void {
    this.resizeRows(this.rows);
    this.resizePool(this.poolEnd - this.garbage);
  }

  /** Appends a row (slot = the old length). */
  push(m: VectorMetadata): number {
    const slot = this.rows;
    if (slot === this.type.length) this.resizeRows(Math.max(1024, Math.ceil(slot * 1.5)));
    this.rows++;
    this.write(slot, m);
    return slot;
  }

  /** Replaces the row in `slot`. */
  set(slot: number, m: VectorMetadata): void {
    this.garbage += this.genreCount[slot] + this.studioCount[slot];
    this.write(slot, m);
  }

  /** Removes the row in `slot`, moving the last row into it. */
  removeSwap(slot: number): void {
    const last = --this.rows;
    this.garbage += this.genreCount[slot] + this.studioCount[slot];
    if (slot !== last) {
      for (const column of [this.type, this.status, this.season, this.systemStatus, this.year, this.score, this.episodes, this.updatedAt, this.start, this.genreCount, this.studioCount]) {
        column[slot] = column[last];
      }
    }
  }

  /** The row as VectorMetadata (tests and diagnostics; queries never materialise rows). */
  read(slot: number): VectorMetadata {
    const words = this.words.names, names = this.names.names, s = this.start[slot], g = this.genreCount[slot];
    const ids = (from: number, n: number) => Array.from(this.pool.subarray(from, from + n), (id) => names[id]);
    const orNull = (x: number) => (Number.isNaN(x) ? null : x);
    return {
      type: words[this.type[slot]],
      status: words[this.status[slot]],
      season: words[this.season[slot]],
      year: orNull(this.year[slot]),
      score: orNull(this.score[slot]),
      episodes: this.episodes[slot],
      genres: ids(s, g),
      studios: ids(s + g, this.studioCount[slot]),
      system_status: words[this.systemStatus[slot]] as VectorMetadata["system_status"],
      updated_at: this.updatedAt[slot],
    };
  }

  /**
   * The filters as a predicate over slots, with exactly metadataPredicate's meaning
   * (filter-match.ts). A name no row holds is resolved here, once: a required genre or
   * studio nobody has matches nothing; an excluded one excludes nothing. Valid until the
   * next write (it captures the current arrays).
   */
  compile(filters: Filters = {}): SlotFilter {
    const f = withAdultRule(filters);
    const checks: SlotFilter[] = [];
    const { type, status, season, systemStatus, year, score, episodes, updatedAt, start, genreCount, studioCount, pool } = this;
    if (!f.include_orphaned) {
      const active = this.words.find("ACTIVE");
      if (active === undefined) return NONE;
      checks.push((s) => systemStatus[s] === active);
    }
    const words = (xs: readonly string[]) => {
      const set = new Uint8Array(this.words.names.length);
      for (const x of xs) {
        const id = this.words.find(x);
        if (id !== undefined) set[id] = 1;
      }
      return set;
    };
    if (f.type?.length) {
      const allowed = words(f.type);
      checks.push((s) => allowed[type[s]] === 1);
    }
    if (f.type_exclude?.length) {
      const banned = words(f.type_exclude);
      checks.push((s) => banned[type[s]] !== 1);
    }
    if (f.status?.length) {
      const allowed = words(f.status);
      checks.push((s) => allowed[status[s]] === 1);
    }
    if (f.season?.length) {
      const allowed = words(f.season);
      checks.push((s) => allowed[season[s]] === 1);
    }
    // NaN (null) fails every comparison, as metadataPredicate's null checks do.
    if (f.year_from !== undefined) {
      const from = f.year_from;
      checks.push((s) => year[s] >= from);
    }
    if (f.year_to !== undefined) {
      const to = f.year_to;
      checks.push((s) => year[s] <= to);
    }
    if (f.min_score !== undefined) {
      const min = f.min_score;
      checks.push((s) => score[s] >= min);
    }
    const episodesMin = episodesFloor(f);
    if (episodesMin !== undefined) {
      const min = episodesMin;
      checks.push((s) => episodes[s] >= min);
    }
    if (f.episodes_max !== undefined) {
      const max = f.episodes_max;
      checks.push((s) => episodes[s] <= max);
    }
    if (f.updated_since !== undefined) {
      const since = Date.parse(f.updated_since);
      checks.push((s) => updatedAt[s] >= since);
    }
    const has = (from: number, n: number, id: number) => {
      for (let i = from; i < from + n; i++) if (pool[i] === id) return true;
      return false;
    };
    const tags = tagConstraints(f);
    for (const group of tags.allOf) {
      const any = this.nameIds(group).filter((id) => id !== undefined);
      if (!any.length) return NONE;
      checks.push((s) => any.some((id) => has(start[s], genreCount[s], id)));
    }
    if (tags.noneOf.length) {
      const none = this.nameIds(tags.noneOf).filter((id) => id !== undefined);
      if (none.length) checks.push((s) => !none.some((id) => has(start[s], genreCount[s], id)));
    }
    if (f.studios?.length) {
      const any = this.nameIds(f.studios).filter((id) => id !== undefined);
      if (!any.length) return NONE;
      checks.push((s) => any.some((id) => has(start[s] + genreCount[s], studioCount[s], id)));
    }
    if (checks.length === 0) return ALL;
    if (checks.length === 1) return checks[0];
    return (s) => {
      for (const check of checks) if (!check(s)) return false;
      return true;
    };
  }

  private nameIds(xs: readonly string[]): (number | undefined)[] {
    return xs.map((x) => this.names.find(x.toLowerCase()));
  }

  private write(slot: number, m: VectorMetadata): void {
    this.type[slot] = this.word(m.type);
    this.status[slot] = this.word(m.status);
    this.season[slot] = this.word(m.season);
    this.systemStatus[slot] = this.word(m.system_status);
    // Unary plus, like the relational operators metadataPredicate applies to these fields.
    this.year[slot] = m.year === null ? NaN : +m.year;
    this.score[slot] = m.score === null ? NaN : +m.score;
    this.episodes[slot] = +m.episodes;
    this.updatedAt[slot] = +m.updated_at;
    const n = m.genres.length + m.studios.length;
    // The slot's old ids (a replaced row, or a row removeSwap moved away from this index) are
    // no longer its own: a compaction must not copy them, or the pool sized for the live ids
    // overflows and ids are dropped.
    this.genreCount[slot] = 0;
    this.studioCount[slot] = 0;
    if (this.poolEnd + n > this.pool.length) this.makeRoom(n);
    this.start[slot] = this.poolEnd;
    for (const g of m.genres) this.pool[this.poolEnd++] = this.names.id(g);
    for (const s of m.studios) this.pool[this.poolEnd++] = this.names.id(s);
    this.genreCount[slot] = m.genres.length;
    this.studioCount[slot] = m.studios.length;
  }

  private word(w: string): number {
    const id = this.words.id(w);
    if (id > 0xffff) throw new Error("more than 65,536 distinct type/status/season values");
    return id;
  }

  /** Compacts the pool in place when that leaves it at most half full, else grows it to 1.5× what is needed. */
  private makeRoom(n: number): void {
    const needed = this.poolEnd - this.garbage + n;
    this.resizePool(needed <= this.pool.length / 2 ? this.pool.length : Math.max(1024, Math.ceil(needed * 1.5)));
  }

  /** A new pool of `size` holding only the live rows' ids, in slot order. */
  private resizePool(size: number): void {
    const pool = new Int32Array(size);
    let end = 0;
    for (let slot = 0; slot < this.rows; slot++) {
      const n = this.genreCount[slot] + this.studioCount[slot];
      pool.set(this.pool.subarray(this.start[slot], this.start[slot] + n), end);
      this.start[slot] = end;
      end += n;
    }
    [this.pool, this.poolEnd, this.garbage] = [pool, end, 0];
  }

  private resizeRows(capacity: number): void {
    const grow = <T extends Uint16Array | Float64Array | Int32Array>(old: T, make: (n: number) => T): T => {
      const next = make(capacity);
      next.set(old.subarray(0, Math.min(old.length, capacity)) as never);
      return next;
    };
    const u16 = (n: number) => new Uint16Array(n), f64 = (n: number) => new Float64Array(n), i32 = (n: number) => new Int32Array(n);
    this.type = grow(this.type, u16);
    this.status = grow(this.status, u16);
    this.season = grow(this.season, u16);
    this.systemStatus = grow(this.systemStatus, u16);
    this.year = grow(this.year, f64);
    this.score = grow(this.score, f64);
    this.episodes = grow(this.episodes, f64);
    this.updatedAt = grow(this.updatedAt, f64);
    this.start = grow(this.start, i32);
    this.genreCount = grow(this.genreCount, i32);
    this.studioCount = grow(this.studioCount, i32);
  }
}
