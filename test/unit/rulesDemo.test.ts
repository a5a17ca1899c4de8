/**
 * The demo plant's rules against the simulator, end to end in simulated time:
 * simulator samples → working memory → rule engine, evaluated every 250 ms step.
 * Normal running stays quiet; every simulator fault raises its rule on the faulty
 * twin in time, nothing unrelated fires, and the rule returns to normal after the
 * fault is cleared.
 */
import { beforeAll, describe, expect, it } from "vitest";
import type { PlantModel } from "../../shared/plant.ts";
import { Quality } from "../../shared/status.ts";
import { PlantTwin } from "../../server/twin/PlantTwin.ts";
import { PlantSimulator, type FaultName } from "../../server/sim/PlantSimulator.ts";
import { compileRules, RuleEngine, type CompiledRule, type RuleTransition } from "../../server/rules/index.ts";
import { demoPlant } from "./fixtures.ts";

const START = Date.UTC(2025, 0, 6, 8, 0, 0);

let model: PlantModel;
let rules: CompiledRule[];
beforeAll(async () => {
  const plant = await demoPlant();
  model = plant.model;
  const compiled = compileRules(plant.instance.rules, model);
  expect(compiled.issues).toEqual([]);
  rules = compiled.rules;
});

/** Simulator (seed 1) → PlantTwin → RuleEngine, stepped together. */
function livePlant() {
  const sim = new PlantSimulator(model, { seed: 1, startTime: START });
  const twin = new PlantTwin(model);
  const engine = new RuleEngine(rules, twin, model);
  const log: RuleTransition[] = [];
  const step = (): void => {
    for (const s of sim.step()) twin.apply(twin.indexOf(s.twin, s.point)!, s.value, s.ts, Quality.GOOD, s.ts);
    for (const t of engine.evaluate(sim.now)) log.push(t);
  };
  const isActive = (rule: string, twinId: string): boolean =>
    engine.active().some((a) => a.rule === rule && a.twin === twinId);
  return {
    sim,
    engine,
    log,
    isActive,
    run(seconds: number): void {
      for (let i = 0; i < (seconds * 1000) / sim.stepMs; i++) step();
    },
    /** Step until pred holds; seconds it took, or Infinity. */
    until(maxSeconds: number, pred: () => boolean): number {
      const t0 = sim.now;
      while (sim.now - t0 < maxSeconds * 1000) {
        step();
        if (pred()) return (sim.now - t0) / 1000;
      }
      return Number.POSITIVE_INFINITY;
    },
  };
}

const tag = (t: { rule: string; twin: string }): string => `${t.rule}@${t.twin}`;

describe("demo rules on the simulated plant", () => {
  it("the demo's rules cover every pump, valve, tank, heat exchanger, conveyor and filler", () => {
    const live = livePlant();
    expect(rules.map((r) => r.id)).toEqual(
      expect.arrayContaining([
        "pump-cavitation",
        "pump-bearing-wear",
        "valve-stuck",
        "sensor-flatline-level",
        "sensor-flatline-flow",
        "sensor-flatline-temperature",
        "line-jam",
      ]),
    );
    expect(live.engine.instanceCount).toBeGreaterThan(50);
  });

  it("30 minutes of normal running raise no rule", () => {
    const live = livePlant();
    live.run(30 * 60);
    expect(live.log.map((t) => `${tag(t)} ${t.active} ${t.message}`)).toEqual([]);
    expect(live.engine.active()).toEqual([]);
  });

  const cases: {
    fault: FaultName;
    target: string;
    rule: string;
    twin: string;
    /** Seconds from injection within which the rule must be active. */
    within: number;
    /** Keep the fault this long after detection before clearing it. */
    hold: number;
    /** Rules that legitimately follow from this fault (connected behaviour), as rule@twin. */
    consequences?: string[];
  }[] = [
    { fault: "cavitation", target: "P401", rule: "pump-cavitation", twin: "P401", within: 20, hold: 20 },
    // Vibration passes 7.1 mm/s after ~70 s; the bearing then heats from ~90 s (> 85 °C at ~2 min 20 s).
    { fault: "bearing-wear", target: "P202", rule: "pump-bearing-wear", twin: "P202", within: 130, hold: 20 },
    { fault: "stuck-valve", target: "XV311", rule: "valve-stuck", twin: "XV311", within: 15, hold: 20 },
    { fault: "flatline", target: "T101/level", rule: "sensor-flatline-level", twin: "T101", within: 35, hold: 10 },
    { fault: "flatline", target: "P401/flow", rule: "sensor-flatline-flow", twin: "P401", within: 35, hold: 10 },
    {
      fault: "flatline",
      target: "HX201/productOutletTemperature",
      rule: "sensor-flatline-temperature",
      twin: "HX201",
      within: 35,
      hold: 10,
    },
    {
      fault: "line-jam",
      target: "CV12",
      rule: "line-jam",
      twin: "CV12",
      within: 10,
      // Held long enough for the filler to block behind the full discharge conveyor (~20 s, then 10 s).
      hold: 45,
      consequences: ["filler-blocked-by-discharge@FL1"],
    },
  ];

  for (const c of cases) {
    it(`${c.fault} on ${c.target} raises ${c.rule} on ${c.twin} within ${c.within} s, nothing unrelated, and clears within 2 min`, () => {
      const live = livePlant();
      live.run(60); // history covers every window
      expect(live.log).toEqual([]);
      live.sim.injectFault(c.fault, c.target);
      const detected = live.until(c.within, () => live.isActive(c.rule, c.twin));
      expect(detected, "seconds to detect").toBeLessThanOrEqual(c.within);
      const raised = live.log.find((t) => t.rule === c.rule && t.active)!;
      expect(raised.twin).toBe(c.twin);
      expect(raised.message).toContain(model.twins.find((t) => t.id === c.twin)!.name);
      expect(Object.keys(raised.values).length).toBeGreaterThan(0);

      live.run(c.hold);
      expect(live.isActive(c.rule, c.twin)).toBe(true);
      for (const k of c.consequences ?? []) expect(live.engine.active().map(tag)).toContain(k);

      live.sim.clearFault(c.fault, c.target);
      const cleared = live.until(120, () => !live.isActive(c.rule, c.twin));
      expect(cleared, "seconds to clear").toBeLessThanOrEqual(120);
      live.run(120);

      const allowed = new Set([`${c.rule}@${c.twin}`, ...(c.consequences ?? [])]);
      expect(live.log.map(tag).filter((t) => !allowed.has(t))).toEqual([]);
      expect(live.engine.active()).toEqual([]);
      // Exactly one raise and one clear of the expected rule.
      expect(live.log.filter((t) => tag(t) === `${c.rule}@${c.twin}`).map((t) => t.active)).toEqual([true, false]);
    });
  }
});
