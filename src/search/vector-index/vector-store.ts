import type { Filters } from "../../catalog/filters";
import type { VectorMatch, VectorMetadata, VectorRecord } from "./interface";
import { MetadataColumns, type SlotFilter } from "./metadata-columns";
import { TopK } from "./top-k";

/** A record ready to store: validated and quantised. */
export interface QuantisedRecord {
  id: number;
  q: Int8Array;
  scale: number;
  metadata: VectorMetadata;
}

/**
 * The in-memory part of the local vector index (the Durable Object persists it in SQLite and
 * loads it back; this class knows nothing of storage, so Node can load it for benchmarks).
 * Vectors are int8 with one scale each (4× smaller than f32; cosine error ~1e-3, far below the
 * gaps that decide a ranking), stored dimension-major: dimension j of every slot is one
 * contiguous run (`cols[j * capacity + slot]`). A query is one exact scan in which every
 * vector whose metadata passes the filter is scored, so filtering never starves a page; the
 * dimension-major layout lets the scan skip the query's zero dimensions (a title query of the
 * local embedder has ~20–50 of 256) and add eight dimensions per pass over the slots, in
 * integers: 8.5 → ~1–2 ms per query at 40k vectors (Node, measured on this layout change).
 */
export class VectorStore {
  private dims = 0;
  private size = 0;
  private ids = new Int32Array(0);
  private scales = new Float32Array(0);
  /** Capacity in slots: the length of each dimension's run in `cols`. */
  private capacity = 0;
  private cols = new Int8Array(0);
  private slots = new Map<number, number>();
  private metadata = new MetadataColumns();

  get count(): number {
    return this.size;
  }

  get dimensions(): number {
    return this.dims;
  }

  /** Bytes of the typed arrays held (capacity included; the id map and dictionaries are not counted). */
  get bytes(): number {
    return this.ids.byteLength + this.scales.byteLength + this.cols.byteLength + this.metadata.bytes;
  }

  /** Checks ids and sizes (all or nothing) and quantises; stores nothing. */
  prepare(records: VectorRecord[]): QuantisedRecord[] {
    const dims = this.dims || records[0]?.values.length || 0;
    for (const r of records) {
      if (!Number.isSafeInteger(r.id)) throw new Error(`vector id must be an integer, got ${r.id}`);
      if (r.values.length !== dims || dims === 0) throw new Error(`index holds ${dims}-dimension vectors, got ${r.values.length}; clear it to change models`);
    }
    return records.map((r) => ({ id: r.id, ...quantise(r.values), metadata: r.metadata }));
  }

  /** Room for `n` vectors of `dims` values without reallocating (a bulk load of a known count). */
  reserve(n: number, dims: number): void {
    if (!this.dims) this.dims = dims;
    this.grow(n, n);
    this.metadata.reserve(n);
  }

  /** Shrinks the metadata arrays to their content, after a bulk load. */
  fit(): void {
    this.metadata.fit();
  }

  /** Adds or replaces the vector of `id`. */
  put({ id, q, scale, metadata }: QuantisedRecord): void {
    if (!this.dims) this.dims = q.length;
    let slot = this.slots.get(id);
    if (slot === undefined) {
      slot = this.size++;
      this.grow(this.size, Math.max(1024, Math.ceil(this.size * 1.5)));
      this.slots.set(id, slot);
      this.metadata.push(metadata);
    } else {
      this.metadata.set(slot, metadata);
    }
    this.ids[slot] = id;
    this.scales[slot] = scale;
    for (let j = 0, cap = this.capacity; j < this.dims; j++) this.cols[j * cap + slot] = q[j];
  }

  /** Moves the last vector into the freed slot, keeping the arrays dense. */
  remove(id: number): void {
    const slot = this.slots.get(id);
    if (slot === undefined) return;
    const last = --this.size;
    this.slots.delete(id);
    this.metadata.removeSwap(slot);
    if (slot !== last) {
      const lastId = this.ids[last];
      this.ids[slot] = lastId;
      this.scales[slot] = this.scales[last];
      for (let j = 0, cap = this.capacity; j < this.dims; j++) this.cols[j * cap + slot] = this.cols[j * cap + last];
      this.slots.set(lastId, slot);
    }
  }

  /** The `topK` nearest to `vector` among the vectors passing `filter`, best first. */
  query(vector: number[], topK: number, filter?: Filters): VectorMatch[] {
    if (this.size === 0) return [];
    if (vector.length !== this.dims) throw new Error(`query has ${vector.length} dimensions, index ${this.dims}`);
    return this.scan(Float32Array.from(vector), topK, this.metadata.compile(filter));
  }

  /** The neighbours of the stored vector of `id`, never `id` itself; null when `id` is not held. */
  queryById(id: number, topK: number, filter?: Filters): VectorMatch[] | null {
    const slot = this.slots.get(id);
    if (slot === undefined) return null;
    const scale = this.scales[slot];
    const v = Float32Array.from({ length: this.dims }, (_, j) => this.cols[j * this.capacity + slot] * scale);
    return this.scan(v, topK, this.metadata.compile(filter), slot);
  }

  /** The metadata held for `id` (tests and diagnostics). */
  metadataOf(id: number): VectorMetadata | undefined {
    const slot = this.slots.get(id);
    return slot === undefined ? undefined : this.metadata.read(slot);
  }

  /** Empties the store (a model change needs vectors of another size). */
  clear(): void {
    this.dims = 0;
    this.size = 0;
    this.slots = new Map();
    this.metadata = new MetadataColumns();
    // New arrays: the next vectors may be larger, and grow() sizes by the old length.
    this.ids = new Int32Array(0);
    this.scales = new Float32Array(0);
    this.capacity = 0;
    this.cols = new Int8Array(0);
  }

  private scan(v: Float32Array, topK: number, pass: SlotFilter, except = -1): VectorMatch[] {
    const n = this.size, cap = this.capacity, cols = this.cols;
    // The query in integers: each dimension ×unit, |value| ≤ 32767, and never so large that a
    // slot's sum (≤ dims × 127 × the largest value) leaves int32. Relative error ≤ 1/65534 per
    // dimension, far under the stored vectors' own int8 error.
    let max = 0;
    for (const x of v) max = Math.max(max, Math.abs(x));
    if (max === 0) return this.ranked(new Int32Array(n), 0, topK, pass, except);
    const unit = Math.min(32767, Math.floor(0x7fffffff / (127 * this.dims))) / max;
    const offsets: number[] = [], w: number[] = [];
    for (let j = 0; j < v.length; j++) {
      const q = Math.round(v[j] * unit);
      if (q !== 0) (offsets.push(j * cap), w.push(q));
    }
    const acc = new Int32Array(n);
    // Eight dimensions per pass: one read and write of the sums per eight products.
    let k = 0;
    for (; k + 8 <= offsets.length; k += 8) {
      const [o0, o1, o2, o3, o4, o5, o6, o7] = offsets.slice(k, k + 8), [w0, w1, w2, w3, w4, w5, w6, w7] = w.slice(k, k + 8);
      for (let s = 0; s < n; s++) {
        acc[s] += w0 * cols[o0 + s] + w1 * cols[o1 + s] + w2 * cols[o2 + s] + w3 * cols[o3 + s] + w4 * cols[o4 + s] + w5 * cols[o5 + s] + w6 * cols[o6 + s] + w7 * cols[o7 + s];
      }
    }
    for (; k < offsets.length; k++) {
      const o = offsets[k], wk = w[k];
      for (let s = 0; s < n; s++) acc[s] += wk * cols[o + s];
    }
    return this.ranked(acc, 1 / unit, topK, pass, except);
  }

  /** The best `topK` slots by `acc[slot] × per × scale[slot]` among those passing the filter. */
  private ranked(acc: Int32Array, per: number, topK: number, pass: SlotFilter, except: number): VectorMatch[] {
    const top = new TopK(topK), ids = this.ids, scales = this.scales;
    for (let slot = 0; slot < this.size; slot++) {
      if (slot === except || !pass(slot)) continue;
      top.offer(ids[slot], acc[slot] * per * scales[slot]);
    }
    return top.sorted().map(({ id, score }) => ({ id, score }));
  }

  /** Ensures room for `needed` vectors, reallocating to `capacity` when there is none. */
  private grow(needed: number, capacity: number): void {
    if (needed <= this.capacity) return;
    const ids = new Int32Array(capacity), scales = new Float32Array(capacity), cols = new Int8Array(capacity * this.dims);
    ids.set(this.ids);
    scales.set(this.scales);
    for (let j = 0, old = this.capacity; j < this.dims && old > 0; j++) cols.set(this.cols.subarray(j * old, j * old + Math.min(this.size, old)), j * capacity);
    [this.ids, this.scales, this.cols, this.capacity] = [ids, scales, cols, capacity];
  }
}

/** Symmetric int8 quantisation with one scale per vector: value ≈ q * scale. */
export function quantise(values: number[]): { q: Int8Array; scale: number } {
  let max = 0;
  for (const x of values) max = Math.max(max, Math.abs(x));
  const scale = max / 127 || 1;
  return { q: Int8Array.from(values, (x) => Math.round(x / scale)), scale };
}
