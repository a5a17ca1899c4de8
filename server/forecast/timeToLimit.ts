/**
 * When a forecast reaches the next alarm limit, and whether that is worth telling anyone.
 * The next limit is the one the trend heads for: highAlarm when rising, lowAlarm when falling. Warnings colour the
 * asset but do not alarm (server/alarms/LimitAlarms.ts), so only alarm limits are forecast.
 *
 * "Confident" is deliberately strict, because a false warning teaches people to ignore the next one:
 * even the optimistic edge of the band (mean − z·spread for a high limit) must reach the limit within the horizon.
 * The time shown is when the mean forecast reaches it.
 */
import type { Limits } from "../../shared/plant.ts";
import { holtMean, type HoltFit } from "./holt.ts";

export type AlarmSide = "highAlarm" | "lowAlarm";

export interface LimitCrossing {
  limit: AlarmSide;
  /** The limit's value. */
  value: number;
  /** Steps until the mean forecast reaches the limit (1-based). */
  steps: number;
}

/**
 * The crossing of the next alarm limit within `spread.length` steps that even the optimistic band edge makes,
 * or undefined. `spread[h-1]` is the h-step forecast standard deviation (holtSpread), `z` the band half-width in
 * standard deviations. `current`: the latest value; a point already at or past a limit has nothing to forecast.
 */
export function confidentCrossing(
  f: HoltFit,
  current: number,
  limits: Limits | undefined,
  spread: Float64Array,
  horizon: number,
  z: number,
): LimitCrossing | undefined {
  if (!limits || f.trend === 0 || !Number.isFinite(f.trend)) return undefined;
  const side: AlarmSide = f.trend > 0 ? "highAlarm" : "lowAlarm";
  const value = limits[side];
  if (value === undefined) return undefined;
  const up = side === "highAlarm";
  if (up ? current >= value : current <= value) return undefined;
  let meanAt = 0;
  for (let h = 1; h <= horizon; h++) {
    const m = holtMean(f, h);
    if (meanAt === 0 && (up ? m >= value : m <= value)) meanAt = h;
    const edge = up ? m - z * spread[h - 1]! : m + z * spread[h - 1]!;
    if (up ? edge >= value : edge <= value) return { limit: side, value, steps: meanAt || h };
  }
  return undefined;
}
