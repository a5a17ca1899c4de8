/** Words for an alarm forecast, on an asset's label and in the inspector: "Bearing temperature reaches HIGH 85 °C in ~12 min". */
import { LIMIT_WORD } from "../../shared/forecast.ts";
import type { PointDef } from "../../shared/plant.ts";
import type { AlarmForecastState } from "../../shared/state.ts";

/** "in ~N min" from the time left; under a minute reads "in under a minute" (a rounded "~0 min" would read as now). */
export function timeLeftText(ms: number): string {
  if (ms < 60_000) return "in under a minute";
  return `in ~${Math.round(ms / 60_000)} min`;
}

/** The room state's forecast, or the server's own (server/forecast/PlantForecaster.ts: the same fields). */
export type AlarmForecastLike = Pick<AlarmForecastState, "point" | "limit" | "value" | "at" | "from">;

export function alarmForecastText(def: PointDef | undefined, f: AlarmForecastLike): string {
  const word = f.limit === "lowAlarm" ? LIMIT_WORD.lowAlarm : LIMIT_WORD.highAlarm;
  // The limit as the plant's author wrote it ("85 °C", "7.1 mm/s"), not padded to the value's decimals.
  const value = `${f.value}${def?.symbol ? ` ${def.symbol}` : ""}`;
  return `${def?.displayName ?? f.point} reaches ${word} ${value} ${timeLeftText(f.at - f.from)}`;
}
