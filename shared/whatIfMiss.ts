/**
 * How far a what-if's prediction was from what really happened, in plant words:
 * "At +3 min: predicted 2.10 bar, was 2.30 bar, off by 0.20 bar". The desktop says it under the inspector's chart
 * (where the dashed prediction lies over the solid line of the plant's values), the wrist's What if tab under the
 * drawn what-if, and the incident report beside each what-if saved during the incident: one function, so all three
 * give the same figures. It is the gap at the newest value inside the prediction's span (the live value while the
 * horizon runs, the value at its end once it has passed), so nobody has to read it off the pixels.
 */
import type { PointDef } from "./plant.ts";
import { num } from "./valueWords.ts";

export interface PredictionMiss {
  /** Seconds after the fork of the compared instant. */
  afterS: number;
  predicted: number;
  actual: number;
}

/**
 * The prediction (`values` every `stepMs` from the fork `from`) beside the newest sample (`ts`, `v`, in time order)
 * that lies after the fork and within the prediction; null when there is none yet. Between two predicted steps the
 * prediction is read on the straight line between them, as the chart draws it.
 */
export function predictionMiss(
  p: { from: number; stepMs: number; values: readonly number[] },
  ts: readonly number[],
  v: readonly number[],
): PredictionMiss | null {
  if (p.values.length === 0 || !(p.stepMs > 0)) return null;
  const end = p.from + (p.values.length - 1) * p.stepMs;
  for (let i = ts.length - 1; i >= 0; i--) {
    const t = ts[i]!;
    if (t > end) continue;
    if (t <= p.from) return null;
    const k = (t - p.from) / p.stepMs;
    const lo = Math.floor(k);
    const a = p.values[lo]!;
    const b = p.values[Math.min(p.values.length - 1, lo + 1)]!;
    const actual = v[i]!;
    if (!Number.isFinite(actual)) return null;
    return { afterS: (t - p.from) / 1000, predicted: a + (b - a) * (k - lo), actual };
  }
  return null;
}

/** "At +3 min: predicted 2.10 bar, was 2.30 bar, off by 0.20 bar" (seconds under a minute). */
export function predictionMissText(def: Pick<PointDef, "decimals" | "symbol"> | undefined, m: PredictionMiss): string {
  const after = m.afterS < 60 ? `${Math.round(m.afterS)} s` : `${Math.round(m.afterS / 60)} min`;
  // The gap from the two numbers as shown, so the three figures agree to the last digit a person reads.
  const digits = def?.decimals ?? 2;
  const off = Math.abs(Number(m.predicted.toFixed(digits)) - Number(m.actual.toFixed(digits)));
  return `At +${after}: predicted ${num(def, m.predicted)}, was ${num(def, m.actual)}, off by ${num(def, off)}`;
}
