/** A what-if's prediction beside what really happened, in words (shared/whatIfMiss.ts). */
import { describe, expect, it } from "vitest";
import type { PointDef } from "../../shared/plant.ts";
import { predictionMiss, predictionMissText } from "../../shared/whatIfMiss.ts";

const FORK = 1_000_000;
/** 12 L/s held for 10 minutes, a value every 5 s (121 values), as the room state carries it. */
const held = { from: FORK, stepMs: 5000, values: Array.from({ length: 121 }, () => 12) };
const flow = { decimals: 2, symbol: "L/s" } as PointDef;

describe("the prediction beside what happened", () => {
  it("compares at the newest sample after the fork, reading the prediction between its steps", () => {
    const rising = { from: FORK, stepMs: 5000, values: [10, 11, 12] };
    expect(predictionMiss(rising, [FORK - 1000, FORK + 2500, FORK + 7500], [9, 10.4, 11.9])).toEqual({
      afterS: 7.5,
      predicted: 11.5,
      actual: 11.9,
    });
  });

  it("after the horizon has passed, compares at its end, not with today's value", () => {
    const ts = [FORK + 300_000, FORK + 600_000, FORK + 900_000];
    expect(predictionMiss(held, ts, [11, 7.2, 3])).toEqual({ afterS: 600, predicted: 12, actual: 7.2 });
  });

  it("says nothing before time has passed since the fork, or without values", () => {
    expect(predictionMiss(held, [FORK - 5000, FORK], [12, 12])).toBeNull();
    expect(predictionMiss(held, [], [])).toBeNull();
    expect(predictionMiss({ from: FORK, stepMs: 5000, values: [] }, [FORK + 1000], [1])).toBeNull();
  });

  it("reads in plant words, the gap agreeing with the two figures shown", () => {
    expect(predictionMissText(flow, { afterS: 45, predicted: 12, actual: 7.214 })).toBe(
      "At +45 s: predicted 12.00 L/s, was 7.21 L/s, off by 4.79 L/s",
    );
    expect(predictionMissText({ decimals: 1, symbol: "bar" }, { afterS: 185, predicted: 2.1, actual: 2.3 })).toBe(
      "At +3 min: predicted 2.1 bar, was 2.3 bar, off by 0.2 bar",
    );
  });
});
