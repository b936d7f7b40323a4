/** The k best (highest-scoring) items seen, in a bounded min-heap: O(n log k) for a scan. */
export class TopK {
  private readonly heap: { id: number; score: number }[] = [];

  constructor(private readonly k: number) {}

  offer(id: number, score: number): void {
    const h = this.heap;
    if (h.length < this.k) {
      h.push({ id, score });
      this.up(h.length - 1);
    } else if (this.k > 0 && score > h[0].score) {
      h[0] = { id, score };
      this.down(0);
    }
  }

  /** Best first; equal scores by ascending id, so results are deterministic. */
  sorted(): { id: number; score: number }[] {
    return [...this.heap].sort((a, b) => b.score - a.score || a.id - b.id);
  }

  private up(i: number): void {
    const h = this.heap;
    while (i > 0) {
      const p = (i - 1) >> 1;
      if (h[p].score <= h[i].score) break;
      [h[p], h[i]] = [h[i], h[p]];
      i = p;
    }
  }

  private down(i: number): void {
    const h = this.heap;
    for (;;) {
      const l = 2 * i + 1, r = l + 1;
      let m = i;
      if (l < h.length && h[l].score < h[m].score) m = l;
      if (r < h.length && h[r].score < h[m].score) m = r;
      if (m === i) return;
      [h[m], h[i]] = [h[i], h[m]];
      i = m;
    }
  }
}
