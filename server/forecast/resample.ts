/**
 * A point's recent history as an evenly spaced series, which Holt's method needs: the mean of the samples in
 * each step-wide bucket ending at `to`; a bucket with no sample repeats the previous bucket (a point that reports
 * on change only is flat between reports). Bad-quality samples are left out: a transmitter fault is not a trend.
 */
import { Quality } from "../../shared/status.ts";

/** What the resampler reads: PointHistory fits (its forEachIn). */
export interface SampleSource {
  forEachIn(t0: number, t1: number, fn: (ts: number, v: number, q: number) => void): void;
}

export interface Resampled {
  /** Values, oldest first, in out[0..n). */
  n: number;
  /** End time of the last bucket (= `to`). */
  end: number;
}

/**
 * Fill `out` with up to `steps` bucket means over (to - steps·stepMs, to]. Leading buckets before the first good
 * sample are dropped, so n can be smaller than steps. `sums`/`counts` are scratch space of length ≥ steps.
 */
export function resample(
  src: SampleSource,
  to: number,
  stepMs: number,
  steps: number,
  out: Float64Array,
  counts: Uint32Array,
): Resampled {
  const from = to - steps * stepMs;
  out.fill(0, 0, steps);
  counts.fill(0, 0, steps);
  src.forEachIn(from, to, (ts, v, q) => {
    if (q === Quality.BAD || ts <= from) return;
    const b = Math.min(steps - 1, Math.floor((ts - from - 1e-9) / stepMs));
    out[b] = out[b]! + v;
    counts[b] = counts[b]! + 1;
  });
  let first = 0;
  while (first < steps && counts[first] === 0) first++;
  let n = 0;
  let prev = 0;
  for (let b = first; b < steps; b++) {
    const c = counts[b]!;
    const v = c > 0 ? out[b]! / c : prev;
    out[n++] = v;
    prev = v;
  }
  return { n, end: to };
}
