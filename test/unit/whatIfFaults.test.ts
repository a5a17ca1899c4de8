/**
 * Faults in a what-if (server/whatif/faultChange.ts) on the demo plant's process model: each of the simulator's
 * catalogue faults is either said in the model's terms (cavitation: a pump's speed acting at 60 %; a stuck valve:
 * its position held) or refused with the reason the model cannot say; the generic "stuck" and "drift" move a point
 * the model can change, and a drift ramps the engine's input and stops at the range's end.
 */
import { beforeAll, describe, expect, it } from "vitest";
import { processLinks, type ProcessLink } from "../../shared/processModel.ts";
import { WHATIF_FAULTS } from "../../shared/protocol/whatIf.ts";
import { whatIfRequests } from "../../shared/protocol/whatIf.ts";
import { FAULTS } from "../../server/sim/faultCatalogue.ts";
import { faultPlan, faultWords, movedValue } from "../../server/whatif/faultChange.ts";
import { runModel } from "../../server/whatif/runModel.ts";
import { demoPlant } from "./fixtures.ts";

let links: ProcessLink[];
beforeAll(async () => {
  links = processLinks((await demoPlant()).model.relationships);
});

describe("faults in a what-if", () => {
  it("every fault the simulator can inject is one a what-if can name", () => {
    for (const f of FAULTS) expect(WHATIF_FAULTS).toContain(f);
  });

  it("cavitation takes 40 % off a running pump's speed-driven flow; a stuck valve holds its position", () => {
    const cav = faultPlan({ twin: "P101", fault: "cavitation" }, links);
    expect(cav).toEqual({ point: "speed", move: { kind: "scale", factor: 0.6 } });
    expect(movedValue({ kind: "scale", factor: 0.6 }, 2900, 0, [0, 2900])).toBeCloseTo(1740, 6);
    expect(faultPlan({ twin: "XV101", fault: "stuck-valve" }, links)).toEqual({
      point: "position",
      move: { kind: "hold" },
    });
  });

  it("refuses, with the reason, the faults the process model cannot say anything about", () => {
    const refusal = (twin: string, fault: (typeof WHATIF_FAULTS)[number]) =>
      (faultPlan({ twin, fault }, links) as { message: string }).message;
    expect(refusal("P101", "bearing-wear")).toBe(
      "Bearing wear shows in P101's vibration and bearing temperature; the plant's process model has no link from either, so it cannot say what follows. The alarm forecast watches them.",
    );
    expect(refusal("P101", "flatline")).toMatch(/^A flatline is a frozen reading, not a change of the process/);
    expect(refusal("CV11", "line-jam")).toBe(
      "The plant's process model has no links for conveyors and fillers, so it cannot say what a line jam on CV11 does.",
    );
    expect(refusal("T201", "cavitation")).toBe(
      "Cavitation is a pump fault that takes flow away; the plant's process model has no link from T201 speed, so it cannot say what follows.",
    );
    expect(refusal("P101", "stuck-valve")).toMatch(/no link from P101 position/);
  });

  it("stuck holds a point where it is (or at a value); drift ramps it and stops at the end of its range", () => {
    expect(faultPlan({ twin: "XV101", point: "position", fault: "stuck" }, links)).toEqual({
      point: "position",
      move: { kind: "hold" },
    });
    expect(faultPlan({ twin: "XV101", point: "position", fault: "stuck", value: 40 }, links)).toEqual({
      point: "position",
      move: { kind: "set", value: 40 },
    });
    const drift = { kind: "drift", perS: -10 / 60 } as const;
    expect(faultPlan({ twin: "XV101", point: "position", fault: "drift", perMinute: -10 }, links)).toEqual({
      point: "position",
      move: drift,
    });
    expect(movedValue(drift, 100, 300, [0, 100])).toBeCloseTo(50, 6);
    expect(movedValue(drift, 100, 1200, [0, 100])).toBe(0);
    expect(faultWords({ twin: "XV101", fault: "drift", perMinute: -10 }, "%")).toBe("drifting -10 %/min");
    expect(faultWords({ twin: "XV101", fault: "stuck" }, "%")).toBe("stuck where it is");
  });

  it("the engine runs a drifting input: the valve closes 10 %/min and the pump's flow follows it down", () => {
    const r = runModel({
      links,
      start: new Map([
        ["XV101/position", 100],
        ["P101/flow", 12],
      ]),
      change: { key: "XV101/position", value: 100, perS: -10 / 60, range: [0, 100] },
      horizonS: 900,
      stepS: 1,
    });
    const pos = r.series.get("XV101/position")!;
    const flow = r.series.get("P101/flow")!;
    expect(pos[300]).toBeCloseTo(50, 6);
    expect(pos[900]).toBe(0);
    // 0.12 L/s per % (plant.json): 50 % less opening, 6 L/s less flow; closed, no flow.
    expect(flow[300]).toBeCloseTo(6, 1);
    expect(flow[900]).toBeCloseTo(0, 6);
  });

  it("a request names a point unless a catalogue fault names its own, a value unless it is a fault, a rate for a drift", () => {
    const parse = (p: object) => whatIfRequests.whatIf.payload.safeParse({ twin: "P101", horizonS: 600, ...p });
    expect(parse({ fault: "cavitation" }).success).toBe(true);
    expect(parse({ value: 1000 }).error?.issues.map((i) => i.message)).toEqual([
      "Say which point the what-if changes.",
    ]);
    expect(parse({ point: "speed" }).error?.issues.map((i) => i.message)).toEqual([
      "Say the value to set the point to.",
    ]);
    expect(parse({ point: "speed", fault: "drift" }).error?.issues.map((i) => i.message)).toEqual([
      "Say how far the point drifts per minute.",
    ]);
    expect(parse({ point: "speed", fault: "drift", perMinute: 0 }).error?.issues.map((i) => i.message)).toEqual([
      "A drift of 0 per minute changes nothing.",
    ]);
    expect(parse({ point: "speed", fault: "melt" }).success).toBe(false);
  });
});
