/**
 * Window functions over one point's history, as the rule language defines them.
 * The series of a window [now − w, now] is the value in force at its start (taken
 * as a sample at now − w) followed by every sample after it, up to now. A window the
 * history does not reach back to yet is unknown (NaN): a just-started twin must not
 * look like a flatline.
 */
import type { PointHistory } from "../twin/PointHistory.ts";
import type { WindowFn } from "./check.ts";

export function windowValue(fn: WindowFn, h: PointHistory, now: number, ms: number): number {
  const t0 = now - ms;
  const oldest = h.oldest;
  if (oldest === undefined || oldest > t0) return Number.NaN;
  const base = h.at(t0);
  if (!base) return Number.NaN;
  const { ts, v } = h.range(t0, now);
  // Samples exactly at t0 are the base itself (at() returns the last one at t0).
  let first = 0;
  while (first < ts.length && ts[first]! <= t0) first++;
  const n = ts.length - first;
  switch (fn) {
    case "delta":
      return (n > 0 ? v[ts.length - 1]! : base.v) - base.v;
    case "changes": {
      let c = 0;
      let prev = base.v;
      for (let i = first; i < ts.length; i++) {
        if (v[i] !== prev) c++;
        prev = v[i]!;
      }
      return c;
    }
    case "avg": {
      let sum = base.v;
      for (let i = first; i < ts.length; i++) sum += v[i]!;
      return sum / (n + 1);
    }
    case "rate": {
      // Least-squares slope (per second) over the series; times relative to t0 keep the sums well-conditioned.
      if (n === 0) return 0; // nothing changed since the window began
      const m = n + 1;
      let st = 0;
      let sv = base.v;
      for (let i = first; i < ts.length; i++) {
        st += (ts[i]! - t0) / 1000;
        sv += v[i]!;
      }
      const mt = st / m;
      const mv = sv / m;
      let num = (0 - mt) * (base.v - mv);
      let den = (0 - mt) * (0 - mt);
      for (let i = first; i < ts.length; i++) {
        const dt = (ts[i]! - t0) / 1000 - mt;
        num += dt * (v[i]! - mv);
        den += dt * dt;
      }
      return den > 0 ? num / den : 0;
    }
  }
}
