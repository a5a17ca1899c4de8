/**
 * A what-if's predicted values on the inspector chart: a dashed orange line from the fork instant on, beside the
 * live line (and the forecast's blue ghost), up to the look-ahead the room's slider sets. The chart reaches back to
 * the fork, so once time has passed the prediction lies over what really happened.
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

/** How far back a chart reaches for an old what-if's fork (the working memory holds about this much anyway). */
export const MAX_COMPARE_MS = 2 * 60 * 60_000;

/**
 * The chart's left edge: the last `recentMs`, or back to the drawn what-if's fork when that is older, so the
 * prediction stays beside the line of what really happened after it, during and after its horizon.
 */
export function chartStart(to: number, recentMs: number, predicted?: Pick<PredictedLine, "from">): number {
  if (!predicted) return to - recentMs;
  return Math.max(to - MAX_COMPARE_MS, Math.min(to - recentMs, predicted.from));
}

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
