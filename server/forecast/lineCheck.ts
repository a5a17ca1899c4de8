/**
 * A second opinion on a trend: a least-squares line through the last few minutes, with its prediction band.
 * Holt's method follows a step change (a pump starting, a valve opening) with a steep trend for a while; a straight
 * line through a step fits badly, so its band is wide and it does not confirm the crossing. A real ramp (a wearing
 * bearing) fits a line well and passes. Standard simple-regression prediction interval:
 *   sd(x) = s · sqrt(1 + 1/n + (x − x̄)² / Sxx)
 */

/**
 * Whether the least-squares line through ys[n-k..n) reaches `limit` (upwards when `up`) within `horizon` steps past
 * the last value, even at the optimistic edge of its band (z standard deviations).
 */
export function lineReaches(
  ys: ArrayLike<number>,
  n: number,
  k: number,
  limit: number,
  up: boolean,
  horizon: number,
  z: number,
): boolean {
  const m = Math.min(k, n);
  if (m < 4) return false;
  const off = n - m;
  const xbar = (m - 1) / 2;
  let ybar = 0;
  for (let i = 0; i < m; i++) ybar += ys[off + i]!;
  ybar /= m;
  let sxy = 0;
  let sxx = 0;
  for (let i = 0; i < m; i++) {
    const dx = i - xbar;
    sxy += dx * (ys[off + i]! - ybar);
    sxx += dx * dx;
  }
  const slope = sxy / sxx;
  if (up ? slope <= 0 : slope >= 0) return false;
  let sse = 0;
  for (let i = 0; i < m; i++) {
    const e = ys[off + i]! - (ybar + slope * (i - xbar));
    sse += e * e;
  }
  const s = Math.sqrt(sse / (m - 2));
  // The optimistic edge moves monotonically once the slope outweighs the widening band; checking each step is cheap.
  for (let h = 1; h <= horizon; h++) {
    const x = m - 1 + h;
    const mean = ybar + slope * (x - xbar);
    const sd = s * Math.sqrt(1 + 1 / m + ((x - xbar) * (x - xbar)) / sxx);
    const edge = up ? mean - z * sd : mean + z * sd;
    if (up ? edge >= limit : edge <= limit) return true;
  }
  return false;
}

/**
 * Whether most of the change over ys[n-k..n) happened in a single step: a pump starting or a valve opening moves a
 * value in one jump and then holds it; a trend moves it a little every step. Holt's trend after a jump keeps pointing
 * the same way for a while (that is what smoothing does), so a jump is told apart here.
 */
export function oneJump(ys: ArrayLike<number>, n: number, k: number, share = 0.4): boolean {
  const m = Math.min(k, n);
  if (m < 3) return false;
  const off = n - m;
  const net = Math.abs(ys[n - 1]! - ys[off]!);
  let largest = 0;
  for (let i = off + 1; i < n; i++) largest = Math.max(largest, Math.abs(ys[i]! - ys[i - 1]!));
  return net === 0 || largest > share * net;
}
