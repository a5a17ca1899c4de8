/**
 * A bounded, time-ordered history of one point: a ring buffer of (ts, value, quality).
 * Late samples are inserted in order; the oldest sample falls off when full.
 * Time and value of a sample sit side by side in one Float64Array (one cache line on the ingest path, not two).
 * The arrays grow (doubling) up to `capacity` as samples come, instead of being allocated full: a plant of 30,600
 * points allocated 2.2 GB of history before its first sample, and the server spent its first minute in the
 * allocator and the garbage collector. Until the buffer is full nothing wraps (start stays 0), so growing is a copy.
 * Pure data structure, no clock.
 */
export class PointHistory {
  /** [ts0, v0, ts1, v1, ...] by ring slot. */
  private tv: Float64Array;
  private qs: Uint8Array;
  private start = 0;
  private count = 0;

  constructor(readonly capacity: number) {
    const first = Math.min(capacity, FIRST_SLOTS);
    this.tv = new Float64Array(first * 2);
    this.qs = new Uint8Array(first);
  }

  get size(): number {
    return this.count;
  }

  /** Bytes allocated now (grows with the samples kept, up to capacity × 17). */
  get bytes(): number {
    return this.qs.length * 17;
  }

  // A compare instead of `%`: this runs several times per sample on the ingest path (measured in the profile).
  private idx(i: number): number {
    const k = this.start + i;
    return k >= this.capacity ? k - this.capacity : k;
  }

  get oldest(): number | undefined {
    return this.count ? this.tv[2 * this.start] : undefined;
  }

  get newest(): number | undefined {
    return this.count ? this.tv[2 * this.idx(this.count - 1)] : undefined;
  }

  /** Append or insert in time order. Returns false when ts is older than everything kept and the buffer is full. */
  add(ts: number, value: number, q: number): boolean {
    const n = this.count;
    if (n === 0 || ts >= this.tv[2 * this.idx(n - 1)]!) {
      this.push(ts, value, q);
      return true;
    }
    if (n === this.capacity && ts < this.tv[2 * this.start]!) return false;
    // binary search insertion point (first index with ts > new ts)
    let lo = 0;
    let hi = n;
    while (lo < hi) {
      const mid = (lo + hi) >> 1;
      if (this.tv[2 * this.idx(mid)]! <= ts) lo = mid + 1;
      else hi = mid;
    }
    // make room: push the last element, then shift [lo, n-1) right by one
    const last = this.idx(n - 1);
    this.push(this.tv[2 * last]!, this.tv[2 * last + 1]!, this.qs[last]!);
    const m = this.count; // after push (may have dropped the oldest)
    const shift = m === n ? 1 : 0; // an element fell off the front
    const at = lo - shift;
    if (at < 0) return false;
    for (let i = m - 2; i > at; i--) {
      const a = this.idx(i);
      const b = this.idx(i - 1);
      this.tv[2 * a] = this.tv[2 * b]!;
      this.tv[2 * a + 1] = this.tv[2 * b + 1]!;
      this.qs[a] = this.qs[b]!;
    }
    const k = this.idx(at);
    this.tv[2 * k] = ts;
    this.tv[2 * k + 1] = value;
    this.qs[k] = q;
    return true;
  }

  private push(ts: number, value: number, q: number): void {
    if (this.count < this.capacity) {
      if (this.count === this.qs.length) this.grow();
      const k = this.idx(this.count);
      this.tv[2 * k] = ts;
      this.tv[2 * k + 1] = value;
      this.qs[k] = q;
      this.count++;
    } else {
      this.tv[2 * this.start] = ts;
      this.tv[2 * this.start + 1] = value;
      this.qs[this.start] = q;
      this.start = this.start + 1 === this.capacity ? 0 : this.start + 1;
    }
  }

  private grow(): void {
    const slots = Math.min(this.capacity, this.qs.length * 2);
    const tv = new Float64Array(slots * 2);
    tv.set(this.tv);
    const qs = new Uint8Array(slots);
    qs.set(this.qs);
    this.tv = tv;
    this.qs = qs;
  }

  /** Index of the last sample with ts <= t, or -1. */
  private floor(t: number): number {
    let lo = 0;
    let hi = this.count;
    while (lo < hi) {
      const mid = (lo + hi) >> 1;
      if (this.tv[2 * this.idx(mid)]! <= t) lo = mid + 1;
      else hi = mid;
    }
    return lo - 1;
  }

  /** The sample in force at time t (last at or before t), or undefined before the first sample. */
  at(t: number): { ts: number; v: number; q: number } | undefined {
    const i = this.floor(t);
    if (i < 0) return undefined;
    const k = this.idx(i);
    return { ts: this.tv[2 * k]!, v: this.tv[2 * k + 1]!, q: this.qs[k]! };
  }

  /** Visit the samples in (t0, t1] oldest first, without copying them (the forecaster reads every point often). */
  forEachIn(t0: number, t1: number, fn: (ts: number, v: number, q: number) => void): void {
    const last = this.floor(t1);
    for (let i = Math.max(0, this.floor(t0) + 1); i <= last; i++) {
      const k = this.idx(i);
      fn(this.tv[2 * k]!, this.tv[2 * k + 1]!, this.qs[k]!);
    }
  }

  /** Samples in [t0, t1], reduced to at most `max` points by min/max bucketing (keeps spikes visible). */
  range(t0: number, t1: number, max = Infinity): { ts: number[]; v: number[] } {
    const first = Math.max(0, this.floor(t0 - 1e-9) + 1);
    const last = this.floor(t1);
    const outT: number[] = [];
    const outV: number[] = [];
    const n = last - first + 1;
    if (n <= 0) return { ts: outT, v: outV };
    if (n <= max) {
      for (let i = first; i <= last; i++) {
        outT.push(this.tv[2 * this.idx(i)]!);
        outV.push(this.tv[2 * this.idx(i) + 1]!);
      }
      return { ts: outT, v: outV };
    }
    const buckets = Math.max(1, Math.floor(max / 2));
    const per = n / buckets;
    for (let b = 0; b < buckets; b++) {
      const s = first + Math.floor(b * per);
      const e = Math.min(last, first + Math.floor((b + 1) * per) - 1);
      let mi = s;
      let ma = s;
      for (let i = s; i <= e; i++) {
        if (this.tv[2 * this.idx(i) + 1]! < this.tv[2 * this.idx(mi) + 1]!) mi = i;
        if (this.tv[2 * this.idx(i) + 1]! > this.tv[2 * this.idx(ma) + 1]!) ma = i;
      }
      for (const i of mi <= ma ? [mi, ma] : [ma, mi]) {
        if (outT.length && outT[outT.length - 1] === this.tv[2 * this.idx(i)]) continue;
        outT.push(this.tv[2 * this.idx(i)]!);
        outV.push(this.tv[2 * this.idx(i) + 1]!);
      }
    }
    return { ts: outT, v: outV };
  }
}

/** Slots allocated for a new point's history before it grows (a few minutes of a 1 Hz point). */
const FIRST_SLOTS = 256;
