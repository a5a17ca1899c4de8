/** The incident report says how good each saved what-if was, with the desktop's figures (server/incidents/whatIfOutcome.ts). */
import { describe, expect, it } from "vitest";
import type { JournalEntry } from "../../server/journal/JournalEntry.ts";
import { whatIfOutcome, type ReportPoint } from "../../server/incidents/whatIfOutcome.ts";

const FORK = Date.UTC(2026, 11, 6, 9, 0, 0);
/** "P401's speed stays where it is" for 10 minutes: the line's flow predicted to hold at 12 L/s. */
const saved = (data: Record<string, unknown>): JournalEntry => ({
  id: 1,
  ts: FORK + 200,
  plant: "demo",
  kind: "whatif",
  actor: "Reliability",
  device: "desktop",
  subject: "P401",
  data: {
    id: "w1",
    point: "speed",
    fault: "stuck where it is",
    was: 2900,
    value: 2900,
    horizonS: 600,
    from: FORK,
    past: false,
    stepS: 5,
    predicted: {
      "P401/speed": { end: 2900, values: Array.from({ length: 121 }, () => 2900) },
      "L401/flow": { end: 12, values: Array.from({ length: 121 }, () => 12) },
    },
    seat: "s1",
    role: "operator",
    ...data,
  },
});
/** The plant: the pump cavitated 30 s after the fork, and the flow fell. */
const points: Record<string, ReportPoint> = {
  "P401/speed": {
    name: "P401 Speed",
    def: { decimals: 0, symbol: "rpm" },
    samples: () => ({ ts: [FORK + 45_000], v: [2900] }),
  },
  "L401/flow": {
    name: "L401 Flow",
    def: { decimals: 2, symbol: "L/s" },
    samples: (from, to) => {
      const ts = [FORK - 5000, FORK + 20_000, FORK + 45_000, FORK + 700_000].filter((t) => t >= from && t <= to);
      return { ts, v: ts.map((t) => (t < FORK + 30_000 ? 12 : 7.214)) };
    },
  },
};
const point = (key: string) => points[key];

describe("a saved what-if in the incident report", () => {
  it("lays each predicted point over what happened, in the desktop's sentence, up to the report's now", () => {
    const w = whatIfOutcome(saved({}), point, FORK + 46_000)!;
    expect(w.change).toBe("P401 Speed (stuck where it is), 10 min ahead");
    expect(w.by).toBe("Reliability");
    // The pump's own speed is the person's hypothesis, not a prediction: only what it moves is compared.
    expect(w.misses).toEqual([
      {
        key: "L401/flow",
        name: "L401 Flow",
        afterS: 45,
        predicted: 12,
        actual: 7.214,
        text: "At +45 s: predicted 12.00 L/s, was 7.21 L/s, off by 4.79 L/s",
      },
    ]);
  });

  it("says nothing to compare before a value came in after the fork", () => {
    expect(whatIfOutcome(saved({}), point, FORK + 10_000)!.misses).toEqual([]);
  });

  it("names a set change with its numbers", () => {
    const w = whatIfOutcome(saved({ fault: undefined, value: 1450 }), point, FORK + 46_000)!;
    expect(w.change).toBe("P401 Speed 2900 → 1450 rpm, 10 min ahead");
  });

  it("a row written before the values were journalled, or not a what-if, says nothing rather than guess", () => {
    const old = saved({ predicted: { "L401/flow": { end: 12 } } });
    expect(whatIfOutcome(old, point, FORK + 46_000)!.misses).toEqual([]);
    expect(whatIfOutcome(saved({ from: "soon" }), point, FORK + 46_000)).toBeNull();
    expect(whatIfOutcome({ ...saved({}), kind: "whatif.remove" }, point, FORK + 46_000)).toBeNull();
  });
});
