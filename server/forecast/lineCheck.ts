/**
 * A second opinion on a trend: a least-squares line through the last few minutes, with its prediction band.
 * Holt's method follows a step change (a pump starting, a valve opening) with a steep trend for a while; a straight
 * line through a step fits badly, so its band is wide and it does not confirm the crossing. A real ramp (a wearing
 * bearing) fits a line well and passes. Standard simple-regression prediction interval:
 *   sd(x) = s · sqrt(1 + 1/n + (x − x̄)² / Sxx)
 */

/**
 * Steps until the least-squares line through ys[n-k..n) reaches `limit` (upwards when `up`), provided even the
 * optimistic edge of its band (z standard deviations) reaches it within `horizon` steps past the last value;
 * undefined otherwise. The line follows a fresh ramp sooner than Holt's smoothed trend, so the forecaster announces
 * the earlier of the two times: an alarm that comes before the announced time is the mistake to avoid.
 */
export function lineCrossing(
  ys: ArrayLike<number>,
  n: number,
  k: number,
  limit: number,
  up: boolean,
  horizon: number,
  z: number,
): number | undefined {
  const m = Math.min(k, n);
  if (m < 4) return undefined;
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
  if (up ? slope <= 0 : slope >= 0) return undefined;
  let sse = 0;
  for (let i = 0; i < m; i++) {
    const e = ys[off + i]! - (ybar + slope * (i - xbar));
    sse += e * e;
  }
  const s = Math.sqrt(sse / (m - 2));
  let meanAt = 0;
  for (let h = 1; h <= horizon; h++) {
    const x = m - 1 + h;
    const mean = ybar + slope * (x - xbar);
    if (meanAt === 0 && (up ? mean >= limit : mean <= limit)) meanAt = h;
    const sd = s * Math.sqrt(1 + 1 / m + ((x - xbar) * (x - xbar)) / sxx);
    const edge = up ? mean - z * sd : mean + z * sd;
    if (up ? edge >= limit : edge <= limit) return meanAt || h;
  }
  return undefined;
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
