/** The incident report as a person reads it: what happened in words, who did what, values at that moment. */
import { describe, expect, it } from "vitest";
import { incidentHtml, type Incident } from "../../server/incidents/IncidentReport.ts";
import { incidentTimeline, valueAt } from "../../server/incidents/incidentTimeline.ts";
import { predictionMissText } from "../../shared/whatIfMiss.ts";
import type { JournalEntry } from "../../server/journal/JournalEntry.ts";

const T0 = Date.UTC(2026, 11, 6, 9, 0, 0);
let id = 0;
const entry = (
  ts: number,
  kind: string,
  actor: string,
  device: string,
  data: Record<string, unknown>,
): JournalEntry => ({ id: ++id, ts, plant: "demo", kind, actor, device, subject: "limit.suctionPressure:P401", data });

const alarmData = {
  rule: "limit.suctionPressure",
  twin: "P401",
  severity: 3,
  message: "Suction pressure 0.42 bar below its alarm limit 0.5",
};
const lifecycle = [
  entry(T0, "alarm.active", "system", "", { ...alarmData, state: "unack-active", values: { suctionPressure: 0.42 } }),
  entry(T0 + 60_000, "alarm.ack", "Ada", "desktop", {
    ...alarmData,
    state: "ack-active",
    seat: "s1",
    role: "operator",
  }),
  entry(T0 + 120_000, "alarm.shelve", "Bo", "headset", {
    ...alarmData,
    state: "ack-active",
    reason: "Strainer swap in progress, maintenance has the pump isolated until the new basket arrives",
    durationMs: 30 * 60_000,
  }),
];
const collaboration = [
  lifecycle[1]!,
  entry(T0 + 90_000, "annotation.create", "Ada", "desktop", { twin: "P401", text: "Suction strainer blocked?" }),
];
const signals = [
  {
    key: "P401/suctionPressure",
    name: "P401 Suction pressure",
    unit: "bar",
    decimals: 2,
    ts: [T0 - 10_000, T0 + 50_000, T0 + 100_000],
    v: [0.61, 0.42, 0.55],
  },
];
const inc: Incident = {
  plant: "demo",
  alarm: {
    id: "limit.suctionPressure:P401",
    rule: "limit.suctionPressure",
    twin: "P401",
    twinName: "Feed pump",
    message: alarmData.message,
    activeAt: T0,
    state: "ack-active",
  },
  from: T0 - 300_000,
  to: T0 + 180_000,
  signals,
  lifecycle,
  collaboration,
  whatIfs: [],
  generatedAt: T0 + 200_000,
};

describe("incident report", () => {
  it("lists what happened in time order, in words, once each, with who and the values at that moment", () => {
    const lines = incidentTimeline([...lifecycle, ...collaboration], signals, (t) => `${t} Feed pump`);
    expect(lines.map((l) => l.what)).toEqual([
      "Alarm raised: Suction pressure 0.42 bar below its alarm limit 0.5",
      "Ada acknowledged the alarm",
      "Ada pinned a note on P401 Feed pump: “Suction strainer blocked?”",
      "Bo shelved the alarm for 30 min, reason: “Strainer swap in progress, maintenance has the pump isolated until the new basket arrives”",
    ]);
    expect(lines.map((l) => l.who)).toEqual(["", "Ada · desktop", "Ada · desktop", "Bo · headset"]);
    expect(lines.map((l) => l.values)).toEqual([
      ["P401 Suction pressure 0.61 bar"],
      ["P401 Suction pressure 0.42 bar"],
      ["P401 Suction pressure 0.42 bar"],
      ["P401 Suction pressure 0.55 bar"],
    ]);
  });

  it("the HTML report keeps the whole shelve reason, names the values the alarm read, and shows no machine words", () => {
    const flow = { key: "P401/flow", name: "P401 Flow", unit: "L/s", decimals: 2, ts: [T0 - 10_000], v: [7.2] };
    const html = incidentHtml({ ...inc, signals: [...signals, flow] });
    expect(html).toContain("P401 Suction pressure 0.42 bar");
    // The flow is plotted, but the rows name only what the alarm's condition read.
    expect(html).toContain("P401 Flow");
    expect(html).not.toContain("P401 Flow 7.20 L/s");
    expect(html).toContain("Strainer swap in progress, maintenance has the pump isolated until the new basket arrives");
    expect(html).toContain("Incident: P401 Feed pump: Suction pressure 0.42 bar below its alarm limit 0.5");
    expect(html).toContain("Active, acknowledged");
    expect(html).not.toMatch(/limit\.suctionPressure|ack-active|alarm\.shelve|\{&quot;|"seat"/);
    expect(html).not.toMatch(/<script|https?:\/\//);
  });

  it("the HTML report says how far each what-if saved during the incident was from what happened", () => {
    const miss = { afterS: 45, predicted: 12, actual: 7.214 };
    const flow = { decimals: 2, symbol: "L/s" };
    const html = incidentHtml({
      ...inc,
      whatIfs: [
        {
          ts: T0 - 60_000,
          by: "Reliability",
          twin: "P401",
          point: "speed",
          fault: "stuck where it is",
          was: 2900,
          value: 2900,
          horizonS: 600,
          from: T0 - 60_000,
          change: "P401 Speed (stuck where it is), 10 min ahead",
          misses: [{ key: "L401/flow", name: "L401 Flow", ...miss, text: predictionMissText(flow, miss) }],
        },
      ],
    });
    expect(html).toContain("What-ifs during the incident");
    expect(html).toContain("P401 Speed (stuck where it is), 10 min ahead");
    expect(html).toContain("L401 Flow: At +45 s: predicted 12.00 L/s, was 7.21 L/s, off by 4.79 L/s");
    // None saved: no empty section.
    expect(incidentHtml(inc)).not.toContain("What-ifs during the incident");
  });

  it("a moment before the first sample has no value rather than a made-up one", () => {
    expect(valueAt(signals[0]!, T0 - 60_000)).toBeUndefined();
    expect(valueAt(signals[0]!, T0 + 50_000)).toBe(0.42);
  });
});
