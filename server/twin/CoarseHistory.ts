/**
 * The long, reduced-resolution tier of working memory: fixed-width time buckets
 * (default 1 minute) holding min, max, mean and last value, in a ring. Samples
 * arriving late into a bucket that still exists are folded in; older ones are dropped.
 * A bucket's seven numbers sit next to each other in one Float64Array, so a sample touches one or two
 * cache lines instead of seven (measured on the ingest path, where every sample lands here).
 * The buffer grows (doubling) up to `capacity` as buckets open, as PointHistory's does, so a large plant does not
 * allocate every point's full tier at start. Until it is full nothing wraps (head stays 0), so growing is a copy.
 */
export class CoarseHistory {
  /** STRIDE numbers per bucket: start, min, max, sum, count, last, lastTs. */
  private b: Float64Array;
  private head = 0;
  private n = 0;

  constructor(
    readonly capacity: number,
    readonly bucketMs: number,
  ) {
    this.b = new Float64Array(Math.min(capacity, FIRST_BUCKETS) * STRIDE);
  }

  /** Bytes allocated now (grows with the buckets kept, up to capacity × STRIDE × 8). */
  get bytes(): number {
    return this.b.length * 8;
  }

  get oldest(): number | undefined {
    return this.n ? this.b[this.idx(0) * STRIDE + START] : undefined;
  }

  private idx(i: number): number {
    const k = this.head + i;
    return k >= this.capacity ? k - this.capacity : k;
  }

  add(ts: number, v: number): void {
    if (this.n === this.b.length / STRIDE && this.n < this.capacity) {
      const grown = new Float64Array(Math.min(this.capacity, 2 * this.n) * STRIDE);
      grown.set(this.b);
      this.b = grown;
    }
    const b = this.b;
    const bucket = Math.floor(ts / this.bucketMs) * this.bucketMs;
    const newest = this.n === 0 ? -1 : this.idx(this.n - 1) * STRIDE;
    let o: number;
    if (newest < 0 || bucket > b[newest + START]!) {
      let k: number;
      if (this.n < this.capacity) {
        k = this.idx(this.n);
        this.n++;
      } else {
        k = this.head;
        this.head = this.head + 1 === this.capacity ? 0 : this.head + 1;
      }
      o = k * STRIDE;
      // min and max are kept at float32 precision (as the tier always has): an envelope, not a measurement.
      const f = Math.fround(v);
      b[o + START] = bucket;
      b[o + MIN] = f;
      b[o + MAX] = f;
      b[o + SUM] = 0;
      b[o + COUNT] = 0;
      b[o + LAST] = v;
      b[o + LAST_TS] = ts;
    } else if (bucket === b[newest + START]) {
      o = newest; // the usual case: a sample for the current bucket, no search
    } else {
      const i = this.find(bucket);
      if (i < 0) return; // older than the tier keeps, or a gap bucket that was never opened
      o = this.idx(i) * STRIDE;
    }
    if (v < b[o + MIN]!) b[o + MIN] = Math.fround(v);
    if (v > b[o + MAX]!) b[o + MAX] = Math.fround(v);
    b[o + SUM] = b[o + SUM]! + v;
    b[o + COUNT] = b[o + COUNT]! + 1;
    if (ts >= b[o + LAST_TS]!) {
      b[o + LAST] = v;
      b[o + LAST_TS] = ts;
    }
  }

  private startOf(i: number): number {
    return this.b[this.idx(i) * STRIDE + START]!;
  }

  private find(bucketStart: number): number {
    let lo = 0;
    let hi = this.n - 1;
    while (lo <= hi) {
      const mid = (lo + hi) >> 1;
      const s = this.startOf(mid);
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
      if (this.startOf(mid) <= t) lo = mid + 1;
      else hi = mid;
    }
    if (lo === 0) return undefined;
    const b = this.b;
    const o = this.idx(lo - 1) * STRIDE;
    if (b[o + LAST_TS]! <= t) return { ts: b[o + LAST_TS]!, v: b[o + LAST]! };
    return { ts: b[o + START]!, v: b[o + SUM]! / Math.max(1, b[o + COUNT]!) };
  }

  /** Buckets overlapping [t0, t1): per bucket its mean (ts = bucket middle), with min/max for envelopes. */
  range(t0: number, t1: number): { ts: number[]; v: number[]; min: number[]; max: number[] } {
    const out = { ts: [] as number[], v: [] as number[], min: [] as number[], max: [] as number[] };
    const b = this.b;
    for (let i = 0; i < this.n; i++) {
      const o = this.idx(i) * STRIDE;
      const s = b[o + START]!;
      if (s + this.bucketMs <= t0 || s >= t1) continue;
      out.ts.push(s + this.bucketMs / 2);
      out.v.push(b[o + SUM]! / Math.max(1, b[o + COUNT]!));
      out.min.push(b[o + MIN]!);
      out.max.push(b[o + MAX]!);
    }
    return out;
  }
}

const STRIDE = 7;
const START = 0;
const MIN = 1;
const MAX = 2;
const SUM = 3;
const COUNT = 4;
const LAST = 5;
const LAST_TS = 6;

/** Buckets allocated for a new point before the tier grows (an hour of 1-minute buckets). */
const FIRST_BUCKETS = 64;
