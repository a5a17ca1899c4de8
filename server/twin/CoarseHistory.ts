/**
 * The long, reduced-resolution tier of working memory: fixed-width time buckets
 * (default 1 minute) holding min, max, mean and last value, in a ring. Samples
 * arriving late into a bucket that still exists are folded in; older ones are dropped.
 */
export class CoarseHistory {
  private readonly start: Float64Array;
  private readonly min: Float32Array;
  private readonly max: Float32Array;
  private readonly sum: Float64Array;
  private readonly count: Uint32Array;
  private readonly last: Float64Array;
  private readonly lastTs: Float64Array;
  private head = 0;
  private n = 0;

  constructor(
    readonly capacity: number,
    readonly bucketMs: number,
  ) {
    this.start = new Float64Array(capacity);
    this.min = new Float32Array(capacity);
    this.max = new Float32Array(capacity);
    this.sum = new Float64Array(capacity);
    this.count = new Uint32Array(capacity);
    this.last = new Float64Array(capacity);
    this.lastTs = new Float64Array(capacity);
  }

  get bytes(): number {
    return this.capacity * (8 + 4 + 4 + 8 + 4 + 8 + 8);
  }

  get oldest(): number | undefined {
    return this.n ? this.start[this.idx(0)] : undefined;
  }

  private idx(i: number): number {
    const k = this.head + i;
    return k >= this.capacity ? k - this.capacity : k;
  }

  add(ts: number, v: number): void {
    const b = Math.floor(ts / this.bucketMs) * this.bucketMs;
    let k: number;
    const newest = this.n === 0 ? -1 : this.idx(this.n - 1);
    if (newest < 0 || b > this.start[newest]!) {
      if (this.n < this.capacity) {
        k = this.idx(this.n);
        this.n++;
      } else {
        k = this.head;
        this.head = this.head + 1 === this.capacity ? 0 : this.head + 1;
      }
      this.start[k] = b;
      this.min[k] = v;
      this.max[k] = v;
      this.sum[k] = 0;
      this.count[k] = 0;
      this.last[k] = v;
      this.lastTs[k] = ts;
    } else if (b === this.start[newest]) {
      k = newest; // the usual case: a sample for the current minute, no search
    } else {
      const i = this.find(b);
      if (i < 0) return; // older than the tier keeps, or a gap bucket that was never opened
      k = this.idx(i);
    }
    if (v < this.min[k]!) this.min[k] = v;
    if (v > this.max[k]!) this.max[k] = v;
    this.sum[k] = this.sum[k]! + v;
    this.count[k] = this.count[k]! + 1;
    if (ts >= this.lastTs[k]!) {
      this.last[k] = v;
      this.lastTs[k] = ts;
    }
  }

  private find(bucketStart: number): number {
    let lo = 0;
    let hi = this.n - 1;
    while (lo <= hi) {
      const mid = (lo + hi) >> 1;
      const s = this.start[this.idx(mid)]!;
      if (s === bucketStart) return mid;
      if (s < bucketStart) lo = mid + 1;
      else hi = mid - 1;
    }
    return -1;
  }

  /**
   * Value at t at this tier's resolution: the last sample of the bucket holding t
   * when that sample is at or before t, else that bucket's mean (ts = bucket start);
   * undefined before the first bucket.
   */
  at(t: number): { ts: number; v: number } | undefined {
    let lo = 0;
    let hi = this.n;
    while (lo < hi) {
      const mid = (lo + hi) >> 1;
      if (this.start[this.idx(mid)]! <= t) lo = mid + 1;
      else hi = mid;
    }
    if (lo === 0) return undefined;
    const k = this.idx(lo - 1);
    if (this.lastTs[k]! <= t) return { ts: this.lastTs[k]!, v: this.last[k]! };
    return { ts: this.start[k]!, v: this.sum[k]! / Math.max(1, this.count[k]!) };
  }

  /** Buckets overlapping [t0, t1): per bucket its mean (ts = bucket middle), with min/max for envelopes. */
  range(t0: number, t1: number): { ts: number[]; v: number[]; min: number[]; max: number[] } {
    const out = { ts: [] as number[], v: [] as number[], min: [] as number[], max: [] as number[] };
    for (let i = 0; i < this.n; i++) {
      const k = this.idx(i);
      const s = this.start[k]!;
      if (s + this.bucketMs <= t0 || s >= t1) continue;
      out.ts.push(s + this.bucketMs / 2);
      out.v.push(this.sum[k]! / Math.max(1, this.count[k]!));
      out.min.push(this.min[k]!);
      out.max.push(this.max[k]!);
    }
    return out;
  }
}
