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

  it("a drawing on a frozen still is kept with its frame: the still with the strokes over it, and a line in the timeline", () => {
    const jpeg = "/9j/4AAQSkZJRgABAQAAAQABAAD/2wBD";
    const still = { camera: "s2", cameraName: "Tech", still: "s2-1", width: 640, height: 360 };
    const strokes = [
      entry(T0 + 100_000, "video.stroke", "Ada", "desktop", {
        ...still,
        jpeg,
        stillAt: T0 + 95_000,
        points: [0.1, 0.2, 0.5, 0.5],
        color: "#ff8800",
      }),
      entry(T0 + 101_000, "video.stroke", "Bo", "headset", {
        ...still,
        points: [0.5, 0.5, 0.9, 0.1],
        color: "#3366ff",
      }),
      entry(T0 + 102_000, "video.stroke", "Ada", "desktop", {
        camera: "s2",
        cameraName: "Tech",
        still: "",
        stroke: "s1-s3",
        points: [0, 0, 1, 1],
        color: "#ff8800",
      }),
      // The camera's device answers the live stroke with the frame it was drawn on.
      entry(T0 + 102_400, "video.strokeFrame", "Tech", "phone", {
        stroke: "s1-s3",
        camera: "s2",
        cameraName: "Tech",
        jpeg,
        width: 320,
        height: 240,
      }),
    ];
    const lines = incidentTimeline(strokes, [], (t) => t).map((l) => l.what);
    expect(lines).toEqual([
      "Ada drew on Tech's camera, on a frozen still (see Drawn on the camera)",
      "Bo drew on Tech's camera, on a frozen still (see Drawn on the camera)",
      "Ada drew on Tech's camera, on the live picture",
    ]);
    const html = incidentHtml({ ...inc, collaboration: [...collaboration, ...strokes] });
    expect(html).toContain("<h2>Drawn on the camera</h2>");
    expect(html.match(/<figure><svg viewBox="0 0 480 270"/g)).toHaveLength(1);
    expect(html).toContain(`href="data:image/jpeg;base64,${jpeg}"`);
    // The live stroke on its own frame (4:3 here), corner to corner; the frame entry is no line of the timeline.
    expect(html).toContain('<figure><svg viewBox="0 0 480 360"');
    expect(html).toContain('<polyline points="0.0,0.0 480.0,360.0" fill="none" stroke="#ff8800"');
    expect(html).toContain("Tech&#39;s camera, live picture of 09:01:42 UTC; drawn by Ada (1 stroke)");
    // Both strokes on the still, in 480x270 picture coordinates, in their colours.
    expect(html).toContain('<polyline points="48.0,54.0 240.0,135.0" fill="none" stroke="#ff8800"');
    expect(html).toContain('<polyline points="240.0,135.0 432.0,27.0" fill="none" stroke="#3366ff"');
    expect(html).toContain("Tech&#39;s camera, still of 09:01:35 UTC; drawn by Ada, Bo (2 strokes)");
    expect(html).not.toMatch(/<script|https?:\/\//);
  });

  it("a hostile stroke record cannot inject markup: a bad colour falls back, a picture that is not base64 is left out", () => {
    const bad = [
      entry(T0, "video.stroke", "Eve", "desktop", {
        still: "x",
        jpeg: '"/><script>alert(1)</script>',
        points: [0, 0, 1, 1],
        color: "#fff",
      }),
      entry(T0, "video.stroke", "Eve", "desktop", {
        still: "y",
        jpeg: "QUJD",
        cameraName: "<b>Tech</b>",
        points: [0, 0, 1, "1"],
        color: 'red" onload="alert(1)',
      }),
    ];
    const html = incidentHtml({ ...inc, collaboration: bad });
    expect(html).not.toContain("<script>");
    expect(html).not.toContain("onload");
    expect(html).not.toContain("<b>Tech</b>");
    expect(html.match(/<figure><svg viewBox="0 0 480 270"/g)).toHaveLength(1);
    expect(html).toContain('stroke="#ff8800"');
  });
});
