import { describe, expect, it } from "vitest";
import { alarmForecastText, timeLeftText } from "../../client/ui/forecastText.ts";
import type { PointDef } from "../../shared/plant.ts";
import type { AlarmForecastState } from "../../shared/state.ts";

const def: PointDef = {
  name: "bearingTemperature",
  displayName: "Bearing temperature",
  kind: "telemetry",
  schema: "double",
  unit: "degreeCelsius",
  symbol: "°C",
  period: 1,
  decimals: 1,
};
const f = (at: number, limit = "highAlarm", value = 85) =>
  ({ point: "bearingTemperature", limit, value, at, from: 1000 }) as AlarmForecastState;

describe("the words of an alarm forecast", () => {
  it("names the point, the limit as written and the time left in minutes", () => {
    expect(alarmForecastText(def, f(1000 + 12 * 60_000))).toBe("Bearing temperature reaches HIGH 85 °C in ~12 min");
    expect(alarmForecastText(def, f(1000 + 90_000, "lowAlarm", 5.5))).toBe(
      "Bearing temperature reaches LOW 5.5 °C in ~2 min",
    );
  });

  it("says 'under a minute' rather than '~0 min'", () => {
    expect(timeLeftText(59_000)).toBe("in under a minute");
    expect(timeLeftText(60_000)).toBe("in ~1 min");
  });

  it("still reads when the point is not in the model the page has (the name the server sent)", () => {
    expect(alarmForecastText(undefined, f(1000 + 5 * 60_000))).toBe("bearingTemperature reaches HIGH 85 in ~5 min");
  });
});
