/**
 * The what-if engine (server/whatif/runModel.ts) against first-order process theory: a step through a lag matches
 * the analytic response at every step, dead time delays it, limits stop it, an integrator ramps, chains compose,
 * and points the change does not reach get no prediction.
 */
import { describe, expect, it } from "vitest";
import type { ProcessLink } from "../../shared/processModel.ts";
import { runModel } from "../../server/whatif/runModel.ts";
import { crossings } from "../../server/whatif/crossings.ts";

function link(from: string, to: string, d: Partial<ProcessLink> = {}): ProcessLink {
  return {
    from,
    to,
    where: "test",
    input: from.split("/")[1]!,
    output: to.split("/")[1]!,
    kind: "lag",
    gain: 1,
    timeConstant: 0,
    deadTime: 0,
    inputRange: [0, 100],
    ...d,
  };
}

describe("what-if engine: first-order process model", () => {
  it("a step through a lag with dead time follows y0 + K·Δu·(1 − e^(−(t−θ)/τ)) at every step", () => {
    const K = 0.8;
    const tau = 30;
    const theta = 10;
    const r = runModel({
      links: [link("P1/speed", "L1/flow", { gain: K, timeConstant: tau, deadTime: theta })],
      start: new Map([
        ["P1/speed", 40],
        ["L1/flow", 12],
      ]),
      change: { key: "P1/speed", value: 55 },
      horizonS: 600,
      stepS: 1,
    });
    const flow = r.series.get("L1/flow")!;
    expect(flow.length).toBe(601);
    for (let t = 0; t <= 600; t++) {
      const analytic = t < theta ? 12 : 12 + K * 15 * (1 - Math.exp(-(t - theta) / tau));
      expect(flow[t]).toBeCloseTo(analytic, 9);
    }
    // Nothing moves before the dead time has passed; the changed point holds its new value from the fork.
    expect(flow[theta]).toBe(12);
    expect([...r.series.get("P1/speed")!].every((v) => v === 55)).toBe(true);
  });

  it("the output stops at its limit: a flow cannot exceed the pump's nominal", () => {
    const r = runModel({
      links: [link("V/position", "P/flow", { gain: 0.12, outputRange: [0, 12] })],
      start: new Map([
        ["V/position", 50],
        ["P/flow", 6],
      ]),
      change: { key: "V/position", value: 100 },
      horizonS: 10,
      stepS: 1,
    });
    // 6 + 0.12·50 = 12 exactly at the limit; push further through a larger gain.
    expect(r.series.get("P/flow")![10]).toBeCloseTo(12, 9);
    const over = runModel({
      links: [link("V/position", "P/flow", { gain: 0.5, outputRange: [0, 12] })],
      start: new Map([
        ["V/position", 50],
        ["P/flow", 6],
      ]),
      change: { key: "V/position", value: 100 },
      horizonS: 10,
      stepS: 1,
    });
    expect(Math.max(...over.series.get("P/flow")!)).toBe(12);
  });

  it("an integrator ramps at gain × Δinput on top of the current rate, and stops at full without wind-up", () => {
    const r = runModel({
      links: [link("L/flow", "T/level", { kind: "integrator", gain: 0.01, outputRange: [0, 100] })],
      start: new Map([
        ["L/flow", 2],
        ["T/level", 50],
      ]),
      rates: new Map([["T/level", 0.005]]),
      change: { key: "L/flow", value: 12 },
      horizonS: 600,
      stepS: 1,
    });
    const level = r.series.get("T/level")!;
    // 0.01·10 + 0.005 = 0.105 %/s: 50 + 0.105·t until 100 % at t ≈ 476 s.
    expect(level[100]).toBeCloseTo(50 + 0.105 * 100, 9);
    expect(level[476]).toBeCloseTo(99.98, 2);
    expect(level[600]).toBe(100);
    expect(crossings(level, 1, { highWarning: 90, highAlarm: 96 })).toEqual([
      { limit: "highWarning", value: 90, afterS: 381 },
      { limit: "highAlarm", value: 96, afterS: 439 },
    ]);
  });

  it("a chain composes (speed → flow → level) and points the change cannot reach get no series", () => {
    const links = [
      link("P/speed", "L/flow", { gain: 12 / 2900, timeConstant: 2, inputRange: [0, 2900] }),
      link("L/flow", "T/level", { kind: "integrator", gain: 100 / 6000 }),
      link("X/position", "Y/flow", { gain: 0.1 }),
    ];
    const r = runModel({
      links,
      start: new Map([
        ["P/speed", 2900],
        ["L/flow", 12],
        ["T/level", 40],
        ["X/position", 10],
        ["Y/flow", 1],
      ]),
      change: { key: "P/speed", value: 1450 },
      horizonS: 300,
      stepS: 1,
    });
    expect([...r.series.keys()].sort()).toEqual(["L/flow", "P/speed", "T/level"]);
    expect(r.series.get("L/flow")![300]).toBeCloseTo(6, 6);
    // Half the inflow for ~5 min: the level falls by about 6 L/s · 300 s / 60 L per % = 30 %, less the 2 s ramp.
    const level = r.series.get("T/level")![300]!;
    expect(level).toBeLessThan(40 - 29);
    expect(level).toBeGreaterThan(40 - 30);
  });
});
