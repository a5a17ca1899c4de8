/**
 * The inspector chart's ghost continuation: the forecast's band as a faint area and its mean as a dashed line,
 * to the right of "now", so the chart reads as "where this was, and where it is heading".
 */
import type { PointForecast } from "../../shared/forecast.ts";

/** The value range the ghost needs on the chart's scale (band included). */
export function ghostRange(f: PointForecast, lo: number, hi: number): [number, number] {
  for (let i = 0; i < f.mean.length; i++) {
    lo = Math.min(lo, f.lo[i]!);
    hi = Math.max(hi, f.hi[i]!);
  }
  return [lo, hi];
}

export function drawGhost(
  g: CanvasRenderingContext2D,
  f: PointForecast,
  x: (t: number) => number,
  y: (v: number) => number,
  from: { t: number; v: number },
): void {
  const n = f.mean.length;
  if (n === 0) return;
  const t = (i: number) => f.start + i * f.stepMs;
  g.fillStyle = "rgba(127, 184, 255, 0.18)";
  g.beginPath();
  g.moveTo(x(from.t), y(from.v));
  for (let i = 0; i < n; i++) g.lineTo(x(t(i)), y(f.hi[i]!));
  for (let i = n - 1; i >= 0; i--) g.lineTo(x(t(i)), y(f.lo[i]!));
  g.closePath();
  g.fill();
  g.strokeStyle = "rgba(127, 184, 255, 0.7)";
  g.setLineDash([3, 2]);
  g.beginPath();
  g.moveTo(x(from.t), y(from.v));
  for (let i = 0; i < n; i++) g.lineTo(x(t(i)), y(f.mean[i]!));
  g.stroke();
  g.setLineDash([]);
}
