/**
 * The forecast core (server/forecast/): Holt's method and its band, resampling working memory, the alarm-limit
 * crossing and when it is trusted, and the per-plant forecaster on plant time (passed in: a fake clock by construction).
 */
import { describe, expect, it } from "vitest";
import type { PlantModel, PointDef } from "../../shared/plant.ts";
import { Quality } from "../../shared/status.ts";
import { fitHolt, holtMean, holtSpread } from "../../server/forecast/holt.ts";
import { resample } from "../../server/forecast/resample.ts";
import { confidentCrossing } from "../../server/forecast/timeToLimit.ts";
import { lineCrossing, oneJump } from "../../server/forecast/lineCheck.ts";
import { PlantForecaster, forecastable, type AlarmForecast } from "../../server/forecast/PlantForecaster.ts";
import { PointHistory } from "../../server/twin/PointHistory.ts";
import { PlantTwin } from "../../server/twin/PlantTwin.ts";
import { mulberry32 } from "../../server/sim/seededRandom.ts";

const noise = (seed: number, amp: number) => {
  const r = mulberry32(seed);
  return () => (r() * 2 - 1) * amp;
};

describe("Holt's method (level + trend) and its band", () => {
  it("follows a clean ramp: trend equals the slope, the forecast continues the line", () => {
    const ys = Array.from({ length: 60 }, (_, i) => 10 + 0.5 * i);
    const f = fitHolt(ys)!;
    expect(f.trend).toBeCloseTo(0.5, 6);
    expect(holtMean(f, 10)).toBeCloseTo(10 + 0.5 * 69, 4);
    expect(f.sigma).toBeLessThan(1e-6);
  });

  it("reads the noise into sigma, and the band widens with the horizon", () => {
    const n = noise(1, 1);
    const ys = Array.from({ length: 120 }, () => 50 + n());
    const f = fitHolt(ys)!;
    expect(Math.abs(f.trend)).toBeLessThan(0.05);
    expect(f.sigma).toBeGreaterThan(0.4);
    expect(f.sigma).toBeLessThan(1);
    const s = new Float64Array(30);
    holtSpread(f, 30, s);
    expect(s[0]).toBeCloseTo(f.sigma, 9);
    for (let h = 1; h < 30; h++) expect(s[h]!).toBeGreaterThanOrEqual(s[h - 1]!);
    expect(s[29]!).toBeGreaterThan(s[0]!);
  });

  it("needs a few values before it fits at all", () => {
    expect(fitHolt([1, 2, 3, 4, 5])).toBeUndefined();
    expect(fitHolt([1, 2, 3, 4, 5, 6])).toBeDefined();
  });
});

describe("resampling working memory into even steps", () => {
  it("averages each step, repeats the last value over gaps, drops bad samples and empty leading steps", () => {
    const h = new PointHistory(100);
    h.add(9_000, 1, Quality.GOOD); // before the window: not read
    h.add(21_000, 2, Quality.GOOD);
    h.add(24_000, 4, Quality.GOOD); // step 3 (20–25 s): mean 3
    h.add(26_000, 99, Quality.BAD); // a transmitter fault is not a trend
    h.add(36_000, 7, Quality.UNCERTAIN); // step 5 (35–40 s)
    const out = new Float64Array(6);
    const counts = new Uint32Array(6);
    // Window (10 s, 40 s] in 5 s steps: 10–15, 15–20 empty (dropped), 20–25 = 3, 25–30 gap = 3, 30–35 gap = 3, 35–40 = 7.
    const r = resample(h, 40_000, 5000, 6, out, counts);
    expect([...out.subarray(0, r.n)]).toEqual([3, 3, 3, 7]);
    expect(r.end).toBe(40_000);
  });
});

describe("time to the next alarm limit", () => {
  const limits = { lowAlarm: 5, lowWarning: 10, highWarning: 70, highAlarm: 85 };
  const spreadOf = (f: NonNullable<ReturnType<typeof fitHolt>>, n: number) => {
    const s = new Float64Array(n);
    holtSpread(f, n, s);
    return s;
  };

  it("a steady climb reaches HIGH when the line says, and is trusted", () => {
    const n = noise(2, 0.05);
    const ys = Array.from({ length: 60 }, (_, i) => 40 + 0.5 * i + n());
    const f = fitHolt(ys)!;
    const c = confidentCrossing(f, ys[59]!, limits, spreadOf(f, 180), 180, 1.645)!;
    expect(c.limit).toBe("highAlarm");
    expect(c.value).toBe(85);
    // 69.5 now, +0.5 per step: 31 steps to 85.
    expect(c.steps).toBeGreaterThanOrEqual(30);
    expect(c.steps).toBeLessThanOrEqual(32);
  });

  it("a fall heads for LOW", () => {
    const ys = Array.from({ length: 60 }, (_, i) => 40 - 0.5 * i);
    const f = fitHolt(ys)!;
    const c = confidentCrossing(f, ys[59]!, limits, spreadOf(f, 180), 180, 1.645)!;
    expect(c.limit).toBe("lowAlarm");
    // 10.5 now, −0.5 per step: 11 steps to 5.
    expect(c.steps).toBe(11);
  });

  it("noise around a level is not a warning", () => {
    const n = noise(3, 3);
    const ys = Array.from({ length: 120 }, () => 60 + n());
    const f = fitHolt(ys)!;
    expect(confidentCrossing(f, ys[119]!, limits, spreadOf(f, 180), 180, 1.645)).toBeUndefined();
  });

  it("a point already at its limit, or without one in the trend's direction, has nothing to forecast", () => {
    const ys = Array.from({ length: 60 }, (_, i) => 80 + 0.5 * i);
    const f = fitHolt(ys)!;
    expect(confidentCrossing(f, 110, limits, spreadOf(f, 180), 180, 1.645)).toBeUndefined();
    expect(confidentCrossing(f, 50, { lowAlarm: 5 }, spreadOf(f, 180), 180, 1.645)).toBeUndefined();
    expect(confidentCrossing(f, 50, undefined, spreadOf(f, 180), 180, 1.645)).toBeUndefined();
  });

  it("a crossing beyond the horizon is not reported", () => {
    const ys = Array.from({ length: 60 }, (_, i) => 10 + 0.01 * i);
    const f = fitHolt(ys)!;
    expect(confidentCrossing(f, ys[59]!, limits, spreadOf(f, 180), 180, 1.645)).toBeUndefined();
  });

  it("the straight-line second opinion passes a steady ramp, only in its direction", () => {
    const ramp = Array.from({ length: 24 }, (_, i) => 2 + 0.36 * i);
    // 2 + 0.36·23 = 10.28 now: 11.2 is 2.6 steps on.
    expect(lineCrossing(ramp, 24, 8, 11.2, true, 12, 1.645)).toBe(3);
    expect(lineCrossing(ramp, 24, 8, 11, false, 12, 1.645)).toBeUndefined();
    expect(lineCrossing(ramp, 24, 8, 20, true, 12, 1.645)).toBeUndefined(); // beyond the horizon asked
  });

  it("tells a jump (something switched) from a trend: most of the change in one step", () => {
    expect(oneJump([20, 20, 20, 20, 20, 20, 80, 80], 8, 8)).toBe(true);
    expect(oneJump([1, 2, 3, 4, 5, 6, 7, 8], 8, 8)).toBe(false);
    expect(oneJump([5, 5, 5, 5], 4, 4)).toBe(true); // no change at all is no trend either
  });
});

// A one-asset plant: a pump with a bearing temperature (alarm limits), a state point and a point without limits.
const point = (name: string, extra: Partial<PointDef> = {}): PointDef => ({
  name,
  displayName: name,
  kind: "telemetry",
  schema: "double",
  unit: null,
  symbol: "",
  period: 1,
  decimals: 1,
  ...extra,
});
const MODEL: PlantModel = {
  id: "fc",
  name: "fc",
  description: "",
  areas: [{ id: "a", name: "A" }],
  types: [
    {
      id: "dtmi:t:Pump;1",
      displayName: "Pump",
      label: ["bearingTemperature"],
      points: [
        point("bearingTemperature", { limits: { highWarning: 70, highAlarm: 85 }, symbol: "°C" }),
        point("running", { schema: "integer", states: { "0": "stopped", "1": "running" }, limits: { highAlarm: 5 } }),
        point("speed"),
      ],
    },
  ],
  twins: [{ id: "P1", type: "dtmi:t:Pump;1", name: "P1", area: "a", parent: null, node: "P1", properties: {} }],
  relationships: [],
  scene: null,
};
const T0 = Date.UTC(2026, 0, 1);
const MIN = 60_000;

/** Feed 1 Hz samples of f(t) from `from` to `to` (plant time), ticking the forecaster every 5 s like the server. */
function drive(
  twin: PlantTwin,
  fc: PlantForecaster,
  from: number,
  to: number,
  f: (t: number) => number,
  q: Quality = Quality.GOOD,
): void {
  const i = twin.indexOf("P1", "bearingTemperature")!;
  const s = twin.indexOf("P1", "speed")!;
  for (let t = from; t <= to; t += 1000) {
    twin.apply(i, f(t), t, q, t);
    twin.apply(s, 1450, t, Quality.GOOD, t);
    if (t % 5000 === 0) fc.tick(t);
  }
}

describe("the plant forecaster", () => {
  it("forecasts only numbers with an alarm limit (not states, not points without limits)", () => {
    const tw = new PlantTwin(MODEL);
    expect(tw.points.map((p) => forecastable(p.def))).toEqual([true, false, false]);
    expect(new PlantForecaster(tw).pointCount).toBe(1);
  });

  it("warns that a bearing heating up steadily will reach HIGH 85, with the time the line says", () => {
    const twin = new PlantTwin(MODEL);
    const fc = new PlantForecaster(twin);
    const seen: (AlarmForecast | undefined)[] = [];
    fc.subscribe((_, w) => seen.push(w));
    const n = noise(4, 0.2);
    drive(twin, fc, T0, T0 + 40 * MIN, () => 47 + n()); // its usual range: 47 ± 0.2
    expect(fc.current.size).toBe(0);
    // The bearing starts heating at 0.05 °C/s: from 47 to 85 takes 760 s.
    const start = T0 + 40 * MIN;
    drive(twin, fc, start + 1000, start + 5 * MIN, (t) => 47 + ((t - start) / 1000) * 0.05 + n());
    const w = fc.current.get(0)!;
    expect(w).toMatchObject({ twin: "P1", point: "bearingTemperature", limit: "highAlarm", value: 85 });
    const expectedAt = start + 760_000;
    expect(Math.abs(w.at - expectedAt)).toBeLessThan(MIN);
    expect(seen.at(-1)).toEqual(w);
  });

  it("says nothing about a value that follows the same straight line on every cycle (a controlled level)", () => {
    const twin = new PlantTwin(MODEL);
    const fc = new PlantForecaster(twin);
    // A 12-minute cycle: down from 80 to 50 at a steady rate (headed for no limit here), then back up toward 84 (near HIGH 85).
    const saw = (t: number) => {
      const c = ((t - T0) / 1000) % 720;
      return c < 360 ? 50 + (c / 360) * 34 : 84 - ((c - 360) / 360) * 34;
    };
    const warnedAt: number[] = [];
    fc.subscribe((_, w) => {
      if (w) warnedAt.push(w.from);
    });
    drive(twin, fc, T0, T0 + 120 * MIN, saw);
    // Once 30 minutes of history say what is usual, the climb toward 85 on each cycle is no news.
    expect(warnedAt.filter((t) => t > T0 + 40 * MIN)).toEqual([]);
  });

  it("does not warn when a pump starts (a step up that then holds)", () => {
    const twin = new PlantTwin(MODEL);
    const fc = new PlantForecaster(twin);
    let warned = 0;
    fc.subscribe((_, w) => (warned += w ? 1 : 0));
    const n = noise(7, 0.05);
    const start = T0 + 40 * MIN;
    // Discharge-pressure-like: 20 °C idle, 80 within 10 s of the start (HIGH 85 is near), then steady.
    drive(twin, fc, T0, start + 5 * MIN, (t) => (t < start ? 20 : 20 + Math.min(1, (t - start) / 10_000) * 60) + n());
    expect(warned).toBe(0);
  });

  it("does not warn before it knows what is usual (a server that just started)", () => {
    const twin = new PlantTwin(MODEL);
    const fc = new PlantForecaster(twin);
    drive(twin, fc, T0, T0 + 10 * MIN, (t) => 47 + ((t - T0) / 1000) * 0.05);
    expect(fc.current.size).toBe(0);
  });

  it("needs two confident evaluations in a row, and drops the warning when the climb stops", () => {
    const twin = new PlantTwin(MODEL);
    const fc = new PlantForecaster(twin);
    const n = noise(5, 0.2);
    drive(twin, fc, T0, T0 + 40 * MIN, () => 47 + n());
    const start = T0 + 40 * MIN;
    const ramp = (t: number) => 47 + ((t - start) / 1000) * 0.05 + n();
    let first = 0;
    fc.subscribe((_, w) => {
      if (w && !first) first = w.from;
    });
    drive(twin, fc, start + 1000, start + 6 * MIN, ramp);
    expect(first).toBeGreaterThan(0);
    expect(fc.current.size).toBe(1);
    const top = ramp(start + 6 * MIN);
    drive(twin, fc, start + 6 * MIN + 1000, start + 14 * MIN, () => top + n());
    expect(fc.current.size).toBe(0);
  });

  it("stays quiet on a point whose quality is bad or that went stale", () => {
    const twin = new PlantTwin(MODEL);
    const fc = new PlantForecaster(twin);
    const n = noise(6, 0.2);
    drive(twin, fc, T0, T0 + 40 * MIN, () => 47 + n());
    const start = T0 + 40 * MIN;
    drive(twin, fc, start + 1000, start + 6 * MIN, (t) => 47 + ((t - start) / 1000) * 0.05, Quality.BAD);
    expect(fc.current.size).toBe(0);
    const twin2 = new PlantTwin(MODEL);
    const fc2 = new PlantForecaster(twin2);
    drive(twin2, fc2, T0, T0 + 40 * MIN, () => 47 + n());
    drive(twin2, fc2, start + 1000, start + 6 * MIN, (t) => 47 + ((t - start) / 1000) * 0.05);
    expect(fc2.current.size).toBe(1);
    twin2.checkStale(start + 10 * MIN);
    fc2.tick(start + 10 * MIN);
    expect(fc2.current.size).toBe(0);
  });

  it("gives the inspector a mean and a band for any numeric point, nothing for a state", () => {
    const twin = new PlantTwin(MODEL);
    const fc = new PlantForecaster(twin);
    drive(twin, fc, T0, T0 + 5 * MIN, (t) => 40 + ((t - T0) / 1000) * 0.01);
    const now = T0 + 5 * MIN;
    const c = fc.curve(twin.indexOf("P1", "bearingTemperature")!, now, 60)!;
    expect(c.start).toBe(now + 5000);
    expect(c.mean).toHaveLength(60);
    expect(c.mean[59]).toBeCloseTo(40 + 300 * 0.01 + 300 * 0.01, 0);
    for (let i = 0; i < 60; i++) expect(c.lo[i]!).toBeLessThanOrEqual(c.mean[i]!);
    expect(fc.curve(twin.indexOf("P1", "speed")!, now, 60)?.mean[0]).toBeCloseTo(1450, 6);
    expect(fc.curve(twin.indexOf("P1", "running")!, now, 60)).toBeUndefined();
  });
});
