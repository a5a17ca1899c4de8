/** Mirrors a plant's alarm forecasts (server/forecast/PlantForecaster.ts) into one room's `state.forecasts`. */
import { AlarmForecastState, type PlantRoomState } from "../../shared/state.ts";
import type { AlarmForecast, PlantForecaster } from "../forecast/PlantForecaster.ts";

export class ForecastStateSync {
  private readonly unsubscribe: () => void;

  constructor(
    forecaster: PlantForecaster,
    private readonly state: PlantRoomState,
    twinId: (index: number) => string,
  ) {
    for (const w of forecaster.current.values()) this.write(w.twin, w);
    this.unsubscribe = forecaster.subscribe((ti, w) => this.write(twinId(ti), w));
  }

  private write(twin: string, w: AlarmForecast | undefined): void {
    if (!w) {
      this.state.forecasts.delete(twin);
      return;
    }
    let s = this.state.forecasts.get(twin);
    if (!s) {
      s = new AlarmForecastState();
      this.state.forecasts.set(twin, s);
    }
    s.point = w.point;
    s.limit = w.limit;
    s.value = w.value;
    s.at = w.at;
    s.from = w.from;
  }

  dispose(): void {
    this.unsubscribe();
  }
}
