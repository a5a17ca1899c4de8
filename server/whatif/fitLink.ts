/**
 * Estimates one link of the process model (gain, time constant, dead time) from recorded input and output, and
 * says honestly how well the estimate explains the record. Used by `npm run plant:fit`.
 *
 * Method: for each candidate dead time m (whole steps), least squares on the discrete first-order model
 *   lag:        y[k] = a·y[k−1] + b·u[k−1−m] + c      (a = e^(−dt/τ), K = b/(1−a))
 *   integrator: y[k] − y[k−1] = b·u[k−1−m] + c          (K = b/dt; c/dt is the rate nothing modelled explains)
 * (m = −1 is "follows at once": y[k] depends on u[k].) The model is then *simulated* from the first sample over the
 * whole record, and the candidate whose simulation fits best wins. Fit quality is that simulation's R² and NRMSE: a
 * one-step-ahead fit always looks good (tomorrow's level is today's), a free-running simulation does not.
 */

export type LinkKind = "lag" | "integrator";

export interface LinkFit {
  kind: LinkKind;
  gain: number;
  /** Seconds (0 for an integrator or an output that follows at once). */
  timeConstant: number;
  deadTime: number;
  /** Simulation fit: 1 is perfect, 0 no better than the mean, below 0 worse. */
  r2: number;
  /** Root-mean-square error of the simulation over the output's range. */
  nrmse: number;
  samples: number;
  /** "good" (R² ≥ 0.9), "fair" (≥ 0.6), "poor", or "no-excitation" when the input never moved. */
  verdict: "good" | "fair" | "poor" | "no-excitation";
}

/** Samples of (ts, value) held to a uniform grid of `stepMs` from `from` to `to` (last value before each instant). */
export function holdOnGrid(ts: readonly number[], v: readonly number[], from: number, to: number, stepMs: number) {
  const n = Math.max(0, Math.floor((to - from) / stepMs) + 1);
  const out = new Float64Array(n);
  let j = 0;
  let last = NaN;
  for (let k = 0; k < n; k++) {
    const t = from + k * stepMs;
    while (j < ts.length && ts[j]! <= t) last = v[j++]!;
    out[k] = last;
  }
  return out;
}

function solve3(m: number[][], r: number[]): number[] | null {
  // Gaussian elimination with partial pivoting on a 3×3 normal-equation system.
  const a = m.map((row, i) => [...row, r[i]!]);
  for (let c = 0; c < 3; c++) {
    let p = c;
    for (let i = c + 1; i < 3; i++) if (Math.abs(a[i]![c]!) > Math.abs(a[p]![c]!)) p = i;
    if (Math.abs(a[p]![c]!) < 1e-12) return null;
    [a[c], a[p]] = [a[p]!, a[c]!];
    for (let i = c + 1; i < 3; i++) {
      const f = a[i]![c]! / a[c]![c]!;
      for (let k = c; k < 4; k++) a[i]![k]! -= f * a[c]![k]!;
    }
  }
  const x = [0, 0, 0];
  for (let i = 2; i >= 0; i--) {
    let s = a[i]![3]!;
    for (let k = i + 1; k < 3; k++) s -= a[i]![k]! * x[k]!;
    x[i] = s / a[i]![i]!;
  }
  return x;
}

/** Least squares of target[k] = p0·x0[k] + p1·x1[k] + p2 over k in [k0, n). */
function lsq(
  target: (k: number) => number,
  x0: (k: number) => number,
  x1: (k: number) => number,
  k0: number,
  n: number,
) {
  const m = [
    [0, 0, 0],
    [0, 0, 0],
    [0, 0, 0],
  ];
  const r = [0, 0, 0];
  for (let k = k0; k < n; k++) {
    const row = [x0(k), x1(k), 1];
    const t = target(k);
    for (let i = 0; i < 3; i++) {
      r[i]! += row[i]! * t;
      for (let j = 0; j < 3; j++) m[i]![j]! += row[i]! * row[j]!;
    }
  }
  return solve3(m, r);
}

/** Least squares of target[k] = p1·x1[k] + p2 (returned as [0, p1, p2], the shape lsq returns). */
function lsq2(target: (k: number) => number, x1: (k: number) => number, k0: number, n: number) {
  let sx = 0;
  let sy = 0;
  let sxx = 0;
  let sxy = 0;
  const m = n - k0;
  for (let k = k0; k < n; k++) {
    const x = x1(k);
    const t = target(k);
    sx += x;
    sy += t;
    sxx += x * x;
    sxy += x * t;
  }
  const d = m * sxx - sx * sx;
  if (m < 2 || Math.abs(d) < 1e-12) return null;
  const b = (m * sxy - sx * sy) / d;
  return [0, b, (sy - b * sx) / m];
}

function quality(y: Float64Array, sim: Float64Array, k0: number) {
  let mean = 0;
  for (let k = k0; k < y.length; k++) mean += y[k]!;
  mean /= y.length - k0;
  let sse = 0;
  let sst = 0;
  let lo = Infinity;
  let hi = -Infinity;
  for (let k = k0; k < y.length; k++) {
    sse += (y[k]! - sim[k]!) ** 2;
    sst += (y[k]! - mean) ** 2;
    lo = Math.min(lo, y[k]!);
    hi = Math.max(hi, y[k]!);
  }
  const rmse = Math.sqrt(sse / (y.length - k0));
  return { r2: sst > 0 ? 1 - sse / sst : 0, nrmse: hi > lo ? rmse / (hi - lo) : Infinity };
}

const verdictOf = (r2: number): LinkFit["verdict"] => (r2 >= 0.9 ? "good" : r2 >= 0.6 ? "fair" : "poor");

/** Fit one link from input `u` and output `y` sampled every `dtS` seconds (same length, no NaN). */
export function fitLink(
  u: Float64Array,
  y: Float64Array,
  dtS: number,
  kind: LinkKind,
  opts: { maxDeadTimeS?: number; minInputSpan?: number } = {},
): LinkFit {
  const maxDeadTimeS = opts.maxDeadTimeS ?? 60;
  const n = Math.min(u.length, y.length);
  let uLo = Infinity;
  let uHi = -Infinity;
  for (let k = 0; k < n; k++) {
    uLo = Math.min(uLo, u[k]!);
    uHi = Math.max(uHi, u[k]!);
  }
  const none: LinkFit = {
    kind,
    gain: 0,
    timeConstant: 0,
    deadTime: 0,
    r2: 0,
    nrmse: Infinity,
    samples: n,
    verdict: "no-excitation",
  };
  // An input that only jittered (a pump that ran all along) explains nothing: its noise is not a step test.
  const minSpan = Math.max(opts.minInputSpan ?? 0, 1e-9 * Math.max(1, Math.abs(uHi)));
  if (n < 10 || !(uHi - uLo > minSpan)) return none;
  const maxM = Math.min(Math.round(maxDeadTimeS / dtS), Math.floor(n / 4));
  let best: LinkFit | null = null;
  const sim = new Float64Array(n);
  for (let m = -1; m <= maxM; m++) {
    const k0 = Math.max(1, m + 2);
    const uAt = (k: number) => u[k - 1 - m]!;
    const p =
      kind === "lag"
        ? lsq(
            (k) => y[k]!,
            (k) => y[k - 1]!,
            uAt,
            k0,
            n,
          )
        : lsq2((k) => y[k]! - y[k - 1]!, uAt, k0, n);
    if (!p) continue;
    const a = kind === "lag" ? Math.min(Math.max(p[0]!, 0), 0.99999) : 1;
    const b = p[1]!;
    const c = p[2]!;
    for (let k = 0; k < k0; k++) sim[k] = y[k]!;
    for (let k = k0; k < n; k++) sim[k] = a * sim[k - 1]! + b * uAt(k) + c;
    const q = quality(y, sim, k0);
    if (!Number.isFinite(q.r2)) continue;
    if (best && q.r2 <= best.r2) continue;
    const gain = kind === "lag" ? b / (1 - a) : b / dtS;
    const timeConstant = kind === "lag" && a > 1e-6 ? -dtS / Math.log(a) : 0;
    best = {
      kind,
      gain,
      timeConstant,
      deadTime: Math.max(0, m) * dtS,
      r2: q.r2,
      nrmse: q.nrmse,
      samples: n,
      verdict: verdictOf(q.r2),
    };
  }
  return best ?? none;
}
