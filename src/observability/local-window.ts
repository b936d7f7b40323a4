import type { MetricPoint } from "./data-points";

/** Points one isolate keeps: ~100 bytes each, so ≈ 10 MB at most (local profile only). */
export const LOCAL_WINDOW_CAPACITY = 100_000;
/** The longest window the view offers. */
export const LOCAL_WINDOW_MAX_AGE_MS = 24 * 3600_000;

/**
 * A bounded, in-process window of the latest data points: a ring buffer, oldest overwritten
 * first. Where Analytics Engine's SQL API does not exist (wrangler dev, tests), the metrics
 * view answers from it and says so (`source: "local-window"`). It sees only what this
 * isolate served and lives as long as the isolate.
 */
export class LocalWindow {
  private readonly ring: (MetricPoint | undefined)[];
  private next = 0;
  private size = 0;
  /** Points overwritten since the isolate started: a window that lost points says so. */
  dropped = 0;

  constructor(readonly capacity = LOCAL_WINDOW_CAPACITY) {
    this.ring = new Array(capacity);
  }

  add(point: MetricPoint): void {
    if (this.size === this.capacity) this.dropped++;
    else this.size++;
    this.ring[this.next] = point;
    this.next = (this.next + 1) % this.capacity;
  }

  /** The points at or after `since`, oldest first. */
  since(since: number): MetricPoint[] {
    const out: MetricPoint[] = [];
    const start = (this.next - this.size + this.capacity) % this.capacity;
    for (let i = 0; i < this.size; i++) {
      const p = this.ring[(start + i) % this.capacity]!;
      if (p.at >= since) out.push(p);
    }
    return out;
  }

  /** When the oldest point kept was written (null: empty). */
  oldest(): number | null {
    return this.size === 0 ? null : this.ring[(this.next - this.size + this.capacity) % this.capacity]!.at;
  }

  clear(): void {
    this.ring.fill(undefined);
    this.next = this.size = this.dropped = 0;
  }
}

/** Deliberate per-isolate state: the local profile's window, shared by every request and cron of the isolate. */
export const LOCAL_WINDOW = new LocalWindow();
