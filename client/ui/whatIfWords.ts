/**
 * Words for a what-if, in the inspector's list and beside a point's live value:
 * "Ada: P101 Speed 2900 → 1450 rpm, 10 min ahead" and "T201 Level reaches LOW WARNING 12 % in ~6 min".
 */
import type { PointDef } from "../../shared/plant.ts";
import type { WhatIfSeriesState, WhatIfState } from "../../shared/whatIfState.ts";
import { timeLeftText } from "./forecastText.ts";
import { num } from "../../shared/valueWords.ts";

const LIMIT_WORDS: Record<string, string> = {
  highAlarm: "HIGH",
  highWarning: "HIGH WARNING",
  lowWarning: "LOW WARNING",
  lowAlarm: "LOW",
};

// The value in words moved to shared/ so the server's incident report says values exactly as the page does.
export { num };

export function whatIfTitle(w: WhatIfState, def: PointDef | undefined): string {
  const was = (def ? w.was.toFixed(def.decimals) : String(w.was)) + "";
  const fault = w.fault ? ` (${w.fault})` : "";
  return (
    `${w.by}: ${w.twin} ${def?.displayName ?? w.point}${fault} ${was} → ${num(def, w.value)}, ` +
    `${Math.round(w.horizonS / 60)} min ahead${w.past ? " (from the playback instant)" : ""}`
  );
}

/** The first limit a predicted point reaches, in words; "" when it reaches none within the horizon. */
export function whatIfLimitText(
  s: Pick<WhatIfSeriesState, "twin" | "point" | "limit" | "limitValue" | "limitAfterS">,
  def: PointDef | undefined,
): string {
  if (!s.limit) return "";
  const value = `${s.limitValue}${def?.symbol ? ` ${def.symbol}` : ""}`;
  return `${s.twin} ${def?.displayName ?? s.point} reaches ${LIMIT_WORDS[s.limit] ?? s.limit} ${value} ${timeLeftText(s.limitAfterS * 1000)}`;
}

/** The predicted value at `aheadS` after the fork (the last one past the horizon). */
export function valueAhead(s: { values: ArrayLike<number> }, stepS: number, aheadS: number): number {
  const i = Math.min(s.values.length - 1, Math.max(0, Math.round(aheadS / stepS)));
  return s.values[i]!;
}

/** "→ 6.00 L/s at +10 min": the dashed ghost beside a live value. */
export function ghostText(def: PointDef | undefined, v: number, aheadS: number): string {
  return `→ ${num(def, v)} at +${aheadS < 60 ? `${Math.round(aheadS)} s` : `${Math.round(aheadS / 60)} min`}`;
}
