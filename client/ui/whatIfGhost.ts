/**
 * A what-if's predicted values on the inspector chart: a dashed orange line from the fork instant on, beside the
 * live line (and the forecast's blue ghost), up to the look-ahead the room's slider sets.
 */
export interface PredictedLine {
  /** Plant time of the fork (ms). */
  from: number;
  stepMs: number;
  values: readonly number[];
  /** The chart's right edge: the fork plus the look-ahead. */
  until: number;
}

export const WHATIF_COLOUR = "rgba(255, 167, 38, 0.95)";

/** The values the line draws (those up to its right edge). */
export function predictedInView(p: PredictedLine): number[] {
  const n = Math.min(p.values.length, Math.floor((p.until - p.from) / p.stepMs) + 1);
  return p.values.slice(0, Math.max(0, n));
}

export function drawPredicted(
  g: CanvasRenderingContext2D,
  p: PredictedLine,
  x: (t: number) => number,
  y: (v: number) => number,
): void {
  const v = predictedInView(p);
  if (v.length === 0) return;
  g.strokeStyle = WHATIF_COLOUR;
  g.lineWidth = 1.4;
  g.setLineDash([4, 3]);
  g.beginPath();
  v.forEach((val, i) => (i === 0 ? g.moveTo(x(p.from), y(val)) : g.lineTo(x(p.from + i * p.stepMs), y(val))));
  g.stroke();
  g.setLineDash([]);
}
