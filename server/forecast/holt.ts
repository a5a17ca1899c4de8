/**
 * Holt's linear method (double exponential smoothing) on an evenly spaced series: a level and a trend,
 * each smoothed, with the smoothing weights picked by a small grid search on one-step-ahead squared error.
 * The band comes from those one-step residuals and the method's own h-step variance (additive-error Holt,
 * Hyndman & Athanasopoulos, "Forecasting: principles and practice", table of ETS(A,A,N) variances):
 *   var_h = sigma² · (1 + Σ_{j=1}^{h-1} α²(1 + jβ)²)
 * Pure: numbers in, numbers out; allocates nothing per call beyond the result object.
 */

export interface HoltFit {
  /** Smoothed value at the last step. */
  level: number;
  /** Change per step at the last step. */
  trend: number;
  /** Root mean square of one-step-ahead residuals (same unit as the series). */
  sigma: number;
  alpha: number;
  beta: number;
  /** How many steps the fit saw. */
  n: number;
}

/** The weights tried: a handful is enough, every candidate costs one pass over the series. */
const ALPHAS = [0.1, 0.2, 0.35, 0.5, 0.7, 0.9] as const;
const BETAS = [0.02, 0.05, 0.1] as const;
/** Steps used to start level and trend before residuals count. */
const WARMUP = 3;

/** Fit Holt's method to ys[0..n). Needs at least WARMUP + 3 values; returns undefined otherwise. */
export function fitHolt(ys: ArrayLike<number>, n = ys.length): HoltFit | undefined {
  if (n < WARMUP + 3) return undefined;
  let best: HoltFit | undefined;
  let bestSse = Infinity;
  for (const alpha of ALPHAS) {
    for (const beta of BETAS) {
      const f = run(ys, n, alpha, beta);
      if (f.sse < bestSse) {
        bestSse = f.sse;
        best = {
          level: f.level,
          trend: f.trend,
          sigma: Math.sqrt(f.sse / (n - WARMUP)),
          alpha,
          beta,
          n,
        };
      }
    }
  }
  return best;
}

function run(ys: ArrayLike<number>, n: number, alpha: number, beta: number) {
  let level = ys[0]!;
  let trend = (ys[WARMUP - 1]! - ys[0]!) / (WARMUP - 1);
  for (let i = 1; i < WARMUP; i++) {
    const prev = level;
    level = alpha * ys[i]! + (1 - alpha) * (level + trend);
    trend = beta * (level - prev) + (1 - beta) * trend;
  }
  let sse = 0;
  for (let i = WARMUP; i < n; i++) {
    const y = ys[i]!;
    const e = y - (level + trend);
    sse += e * e;
    const prev = level;
    level = alpha * y + (1 - alpha) * (level + trend);
    trend = beta * (level - prev) + (1 - beta) * trend;
  }
  return { level, trend, sse };
}

/** Point forecast h steps ahead (h ≥ 1). */
export function holtMean(f: HoltFit, h: number): number {
  return f.level + h * f.trend;
}

/**
 * Standard deviation of the h-step forecast error, for h = 1..H, written into out[0..H).
 * Incremental, so a whole horizon costs H multiplications.
 *
 * Tried and left out: widening the band by the fit's measured errors a third of the window ahead. On an hour of the
 * simulated demo plant it stopped none of the false warnings (controlled levels and step changes are caught by the
 * checks in PlantForecaster instead), and it held a new slow ramp back until the ramp filled the window: exactly the fault to catch.
 */
export function holtSpread(f: HoltFit, horizon: number, out: Float64Array): void {
  const s2 = f.sigma * f.sigma;
  let acc = 1;
  for (let h = 1; h <= horizon; h++) {
    if (h > 1) {
      const c = f.alpha * (1 + (h - 1) * f.beta);
      acc += c * c;
    }
    out[h - 1] = Math.sqrt(s2 * acc);
  }
}
