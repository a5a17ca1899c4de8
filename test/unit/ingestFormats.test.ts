/**
 * JSON sources real plants publish, through PlantIngest into the twin: OPC UA PubSub JSON and
 * OPC Publisher (PubSub, batches, Samples), UNS objects, vendor records, several bindings on one
 * topic, quality as sent, and hostile payloads in every format. Payloads come from test/fixtures/.
 */
import { beforeAll, describe, expect, it } from "vitest";
import { INGEST_OUTCOMES, PlantIngest, type IngestOutcome } from "../../server/ingest/PlantIngest.ts";
import { PlantTwin } from "../../server/twin/PlantTwin.ts";
import type { Binding } from "../../server/plant/instance.ts";
import type { LoadedPlant } from "../../server/plant/loadPlant.ts";
import { Quality } from "../../shared/status.ts";
import { demoPlant } from "./fixtures.ts";
import * as opcPub from "../fixtures/opcPublisher.ts";
import * as part14 from "../fixtures/opcuaPart14.ts";
import * as vendors from "../fixtures/jsonVendors.ts";

const NOW = Date.UTC(2026, 10, 25, 12);
const enc = (v: unknown) => new TextEncoder().encode(typeof v === "string" ? v : JSON.stringify(v));

let plant: LoadedPlant;
beforeAll(async () => {
  plant = await demoPlant();
});

function setup(bindings: Binding[], opts: { maxPayloadBytes?: number } = {}) {
  const twin = new PlantTwin(plant.model);
  const rejects: { outcome: IngestOutcome; detail: string }[] = [];
  const ingest = new PlantIngest(twin, bindings, {
    maxPayloadBytes: opts.maxPayloadBytes ?? 1024 * 1024,
    onReject: (outcome, _t, detail) => rejects.push({ outcome, detail }),
  });
  const point = (twinId: string, p: string) => twin.points[twin.indexOf(twinId, p)!]!;
  const send = (topic: string, payload: unknown) => ingest.handle(topic, enc(payload), NOW);
  const sum = () => INGEST_OUTCOMES.reduce((n, o) => n + ingest.counters[o], 0);
  return { twin, ingest, point, send, rejects, sum };
}

const t = (iso: string) => Date.parse(iso);

describe("OPC Publisher PubSub JSON (Azure/Industrial-IoT messageformats.md)", () => {
  const binding: Binding = {
    topic: "opcpublisher/messages",
    format: "opcua-json",
    publisher: "opc.tcp://opcplc:50000_70FB9F43",
    writerName: "1000",
    points: [
      { twin: "T101", point: "level", field: "StepUp", scale: 0.001 },
      { twin: "P101", point: "running", field: "AlternatingBoolean" },
      { twin: "P101", point: "flow", field: "BadFastUInt1" },
    ],
  };

  it("a delta frame writes every bound field with its SourceTimestamp; a Bad status without a value turns the point bad and keeps its last value", () => {
    const { send, point, ingest } = setup([binding]);
    const flow = point("P101", "flow");
    flow.value = 2.5; // a last-known value from before
    flow.ts = t("2022-03-18T12:50:00Z");
    flow.receivedAt = NOW - 60_000;
    expect(send("opcpublisher/messages", opcPub.pubSubDeltaFrame)).toBe("applied");
    expect(point("T101", "level")).toMatchObject({
      value: 23.305,
      ts: t("2022-03-18T12:55:21.3313539Z"),
      q: Quality.GOOD,
    });
    expect(point("P101", "running")).toMatchObject({ value: 1, q: Quality.GOOD });
    expect(flow).toMatchObject({
      value: 2.5,
      ts: t("2022-03-18T12:50:00Z"),
      q: Quality.BAD,
      code: "0x80310000 BadNoCommunication",
    });
    expect(ingest.counters.samplesApplied).toBe(3);
  });

  it("a keep-alive, a ua-metadata message and an event are counted as such, not as bad values", () => {
    const { send, ingest, sum, rejects } = setup([binding]);
    expect(send("opcpublisher/messages", opcPub.pubSubKeepAlive)).toBe("keep-alive");
    expect(send("opcpublisher/messages", opcPub.pubSubMetadata)).toBe("metadata");
    expect(send("opcpublisher/messages", opcPub.pubSubEvent)).toBe("event");
    expect(ingest.counters["bad-value"]).toBe(0);
    expect(sum()).toBe(ingest.counters.received);
    // Normal traffic: not logged as rejections.
    expect(rejects).toEqual([]);
  });

  it("a batch (array) of NetworkMessages applies every message in it", () => {
    const { send, point } = setup([binding]);
    const second = structuredClone(opcPub.pubSubDeltaFrame);
    second.Messages[0]!.Payload.StepUp = {
      Value: 23306,
      SourceTimestamp: "2022-03-18T12:55:22Z",
      ServerTimestamp: "2022-03-18T12:55:22Z",
    };
    expect(send("opcpublisher/messages", [opcPub.pubSubDeltaFrame, opcPub.pubSubKeepAlive, second])).toBe("applied");
    expect(point("T101", "level")).toMatchObject({ value: 23.306, ts: t("2022-03-18T12:55:22Z") });
  });

  it("messages from a writer the binding does not select are counted unbound and change nothing", () => {
    const { send, point, rejects } = setup([{ ...binding, writerName: "2000" }]);
    expect(send("opcpublisher/messages", opcPub.pubSubDeltaFrame)).toBe("unbound");
    expect(point("T101", "level").receivedAt).toBe(0);
    expect(rejects[0]!.detail).toMatch(/writer name "2000"/);
  });
});

describe("OPC Publisher legacy Samples format", () => {
  const binding: Binding = {
    topic: "opcpublisher/samples",
    format: "opcua-json",
    points: [
      { twin: "T101", point: "level", field: "nsu=http://microsoft.com/Opc/OpcPlc/;s=StepUp", scale: 0.001 },
      { twin: "P101", point: "flow", field: "nsu=http://microsoft.com/Opc/OpcPlc/;s=BadFastUInt1" },
      { twin: "P101", point: "speed", field: "StepUp" },
    ],
  };

  it("selects samples by NodeId (with ';' and '=') or DisplayName, single or batched", () => {
    const { send, point } = setup([binding]);
    expect(send("opcpublisher/samples", opcPub.samplesOne)).toBe("applied");
    expect(point("T101", "level")).toMatchObject({ value: 21.713, ts: t("2022-03-18T12:52:42.1327544Z") });
    expect(send("opcpublisher/samples", opcPub.samplesBatch)).toBe("applied");
    expect(point("T101", "level").value).toBe(30.003);
    // The BadNoCommunication sample has no value: the point is bad with no value yet.
    expect(point("P101", "flow")).toMatchObject({ q: Quality.BAD, code: "0x80310000 BadNoCommunication" });
    expect(point("P101", "flow").value).toBeNaN();
  });

  it("an uncertain value is applied with quality uncertain, not rejected", () => {
    const { send, point } = setup([binding]);
    expect(send("opcpublisher/samples", opcPub.samplesUncertain)).toBe("applied");
    expect(point("P101", "flow")).toMatchObject({
      value: 4,
      q: Quality.UNCERTAIN,
      code: "0x40900000 UncertainLastUsableValue",
    });
  });
});

describe("OPC UA PubSub JSON (Part 14), several writers on one topic", () => {
  const ts = "2026-11-25T11:59:58.5Z";
  const writer1: Binding = {
    topic: "plant/line1/pubsub",
    format: "opcua-json",
    writerId: 1,
    points: [
      { twin: "T101", point: "level", field: "Tank 1.Level" },
      { twin: "T101", point: "temperature", field: "nsu=http://example.com/plant;s=Tank 1.Temperature" },
      { twin: "T101", point: "pressure", field: "ns=2;i=1001" },
    ],
  };
  const writer2: Binding = {
    topic: "plant/line1/pubsub",
    format: "opcua-json",
    writerName: "Pumps",
    points: [
      { twin: "T102", point: "level", field: "Tank 1.Level" },
      { twin: "P101", point: "flow", field: "P101.Flow" },
    ],
  };

  it("both bindings on the topic apply, each to its own writer's fields (same field name, different points)", () => {
    const { send, point } = setup([writer1, writer2]);
    expect(send("plant/line1/pubsub", part14.writerGroup(ts))).toBe("applied");
    expect(point("T101", "level")).toMatchObject({ value: 62.5, ts: t(ts), q: Quality.GOOD });
    expect(point("T102", "level")).toMatchObject({ value: 999 });
    expect(point("T101", "temperature").value).toBe(21); // Int64 as text
    expect(point("T101", "pressure")).toMatchObject({
      value: 3.25,
      q: Quality.UNCERTAIN,
      code: "0x40940000 UncertainEngineeringUnitsExceeded",
    });
    expect(point("P101", "flow")).toMatchObject({ q: Quality.BAD, code: "0x808B0000 BadDeviceFailure" });
  });

  it("a keep-alive is counted as keep-alive and leaves every point untouched", () => {
    const { send, point, ingest } = setup([writer1, writer2]);
    expect(send("plant/line1/pubsub", part14.keepAlive)).toBe("keep-alive");
    expect(point("T101", "level").receivedAt).toBe(0);
    expect(ingest.counters["keep-alive"]).toBe(1);
  });

  it("a Bad status without a value after a good value keeps the value as last-known; an older value cannot undo it", () => {
    const { send, point } = setup([writer2]);
    const msg = (body: unknown, at: string) => ({
      MessageType: "ua-data",
      Messages: [{ DataSetWriterName: "Pumps", Timestamp: at, Payload: { "P101.Flow": body } }],
    });
    expect(send("plant/line1/pubsub", msg({ Value: 3.5, SourceTimestamp: "2026-11-25T11:00:00Z" }, ts))).toBe(
      "applied",
    );
    expect(send("plant/line1/pubsub", msg({ Status: 0x80310000, SourceTimestamp: "2026-11-25T11:00:05Z" }, ts))).toBe(
      "applied",
    );
    expect(point("P101", "flow")).toMatchObject({ value: 3.5, ts: t("2026-11-25T11:00:00Z"), q: Quality.BAD });
    // A value stamped before the Bad report goes to history only.
    expect(send("plant/line1/pubsub", msg({ Value: 3.6, SourceTimestamp: "2026-11-25T11:00:02Z" }, ts))).toBe("late");
    expect(point("P101", "flow")).toMatchObject({ value: 3.5, q: Quality.BAD });
    // A newer good value clears it.
    expect(send("plant/line1/pubsub", msg({ Value: 3.7, SourceTimestamp: "2026-11-25T11:00:06Z" }, ts))).toBe(
      "applied",
    );
    expect(point("P101", "flow")).toMatchObject({ value: 3.7, q: Quality.GOOD, code: "" });
  });

  it("without a SourceTimestamp, the DataSetMessage Timestamp is the sample's time; its Status applies to every field", () => {
    const { send, point } = setup([writer2]);
    const m = {
      Messages: [{ DataSetWriterName: "Pumps", Timestamp: ts, Status: 0x40000000, Payload: { "P101.Flow": 4.25 } }],
    };
    expect(send("plant/line1/pubsub", m)).toBe("applied");
    expect(point("P101", "flow")).toMatchObject({ value: 4.25, ts: t(ts), q: Quality.UNCERTAIN });
  });
});

describe("UNS objects and vendor JSON (format json)", () => {
  it('a UNS object maps many points: {"Temperature": {"value", "quality"}, "Pressure": 1.2} with the twin from the topic', () => {
    const { send, point } = setup([
      {
        topic: "acme/{site}/{area}/{line}/{twin}",
        format: "json",
        timestamp: "timestamp",
        points: [
          { point: "temperature", value: "Temperature" },
          { point: "pressure", value: "Pressure" },
          { point: "level", value: '["Level %"]' },
        ],
      },
    ]);
    const payload = {
      timestamp: "2026-11-25T11:59:00Z",
      Temperature: { value: 21.5, quality: "GOOD", timestamp: "2026-11-25T11:58:59Z" },
      Pressure: 1.2,
      "Level %": { value: "64", quality: "Uncertain" },
    };
    expect(send("acme/berlin/brewing/line-1/T101", payload)).toBe("applied");
    expect(point("T101", "temperature")).toMatchObject({ value: 21.5, q: Quality.GOOD, ts: t("2026-11-25T11:58:59Z") });
    expect(point("T101", "pressure")).toMatchObject({ value: 1.2, ts: t("2026-11-25T11:59:00Z") });
    expect(point("T101", "level")).toMatchObject({ value: 64, q: Quality.UNCERTAIN });
    // A UNS node reporting only {"quality": "BAD"} marks the point bad and keeps its value.
    expect(send("acme/berlin/brewing/line-1/T101", { Pressure: { quality: "BAD" } })).toBe("applied");
    expect(point("T101", "pressure")).toMatchObject({ value: 1.2, q: Quality.BAD });
  });

  it("AVEVA JSON-VTQ1 with OPC DA qualities: 192 good, 24 bad (communication failure)", () => {
    const { send, point } = setup([
      {
        topic: "aveva/{twin}/{point}",
        format: "json",
        value: "d",
        timestamp: "ts",
        quality: "q",
        qualityCodes: "opcda",
      },
    ]);
    expect(send("aveva/T101/level", vendors.avevaVtq1(192))).toBe("applied");
    expect(point("T101", "level")).toMatchObject({ value: 42.5, q: Quality.GOOD, ts: t("2026-11-25T11:59:59Z") });
    expect(send("aveva/T102/level", vendors.avevaVtq1(24))).toBe("applied");
    expect(point("T102", "level")).toMatchObject({ q: Quality.BAD, code: "OPC DA 24 (bad: communication failure)" });
  });

  it("a message-wide time and quality (Prediktor APIS VQT1) apply to every point of the message", () => {
    const { send, point } = setup([
      {
        topic: "apis/vqt",
        format: "json",
        twin: "P101",
        timestamp: "t",
        quality: "q",
        points: [
          { point: "flow", value: "Tag1" },
          { point: "speed", value: "Tag2" },
        ],
      },
    ]);
    expect(send("apis/vqt", vendors.apisVqt1)).toBe("applied");
    expect(point("P101", "flow")).toMatchObject({ value: 43, ts: t("2022-09-22T06:06:28.891+00:00"), q: Quality.GOOD });
    expect(point("P101", "speed").value).toBe(58);
  });

  it("a batched array keyed by name (Kepware via Clarify's template) selects records by key, not by position", () => {
    const { send, point } = setup([
      {
        topic: "kepserver",
        format: "json",
        items: "$",
        key: "tagname",
        points: [
          { twin: "T101", point: "level", match: "Group B.Device A - F.Tag 7", value: "value", timestamp: "timestamp" },
          {
            twin: "T102",
            point: "level",
            match: "Group A.Device C - D.Tag 42",
            value: "value",
            timestamp: "timestamp",
            scale: 0.01,
          },
        ],
      },
    ]);
    expect(send("kepserver", vendors.kepserverArray)).toBe("applied");
    expect(point("T101", "level")).toMatchObject({ value: 185.2, ts: 1651604185020 });
    expect(point("T102", "level").value).toBeCloseTo(12.91, 10);
    // Reordered records still land on the right points.
    expect(
      send(
        "kepserver",
        [...vendors.kepserverArray].reverse().map((r) => ({ ...r, timestamp: r.timestamp + 1000 })),
      ),
    ).toBe("applied");
    expect(point("T101", "level").value).toBe(185.2);
  });

  it("a text field next to numbers (MTConnect executionId) is refused by name while the numbers apply", () => {
    const { send, point, ingest, rejects } = setup([
      {
        topic: "mtconnect/ingress",
        format: "json",
        twin: "CV11",
        timestamp: "timestamp",
        points: [
          { point: "speed", value: "tempId" },
          { point: "load", value: "executionId" },
        ],
      },
    ]);
    expect(send("mtconnect/ingress", vendors.mtconnectIngress)).toBe("applied");
    expect(point("CV11", "speed").value).toBe(22.6);
    expect(ingest.counters.samplesRejected).toBe(1);
    expect(rejects[0]).toMatchObject({ outcome: "bad-value" });
    expect(rejects[0]!.detail).toMatch(
      /field "executionId" is the text "ACTIVE".*other points of this message were applied/,
    );
  });
});

describe("numbers as plants send them", () => {
  const b: Binding = { topic: "n/{twin}/{point}", format: "json", value: "v" };
  it.each([
    ['"123"', 123],
    ['"9007199254740993"', 9007199254740992], // beyond 2^53: nearest double, as documented
    ['"-42"', -42],
    ["true", 1],
  ])("accepts %s as %d", (raw, v) => {
    const { send, point } = setup([b]);
    expect(send("n/T101/level", `{"v":${raw}}`)).toBe("applied");
    expect(point("T101", "level").value).toBe(v);
  });

  it.each([
    ['"NaN"', /not a process value/],
    ['"Infinity"', /not a process value/],
    ['"-Infinity"', /not a process value/],
    ["1e999", /not a finite number/],
    ['"12.5"', /not a number/],
    ['"123456789012345678901"', /not a number/],
    ["[1]", /an array/],
  ])("refuses %s with a reason", (raw, why) => {
    const { send, rejects } = setup([b]);
    expect(send("n/T101/level", `{"v":${raw}}`)).toBe("bad-value");
    expect(rejects[0]!.detail).toMatch(why);
  });
});

describe("several bindings, one topic", () => {
  it("all apply, none overwrites another's route; counters add up", () => {
    const { send, point, sum, ingest } = setup([
      { topic: "line/1", format: "json", twin: "T101", point: "level", value: "a" },
      { topic: "line/1", format: "json", twin: "T102", point: "level", value: "b" },
      { topic: "line/{twin}", format: "json", points: [{ twin: undefined, point: "temperature", value: "c" }] },
    ]);
    expect(send("line/1", { a: 10, b: 20, c: 30 })).toBe("applied");
    expect(point("T101", "level").value).toBe(10);
    expect(point("T102", "level").value).toBe(20);
    // The template's {twin} is "1": no such twin, so that binding's sample counts unknown-point; the others applied.
    expect(ingest.counters.samplesRejected).toBe(1);
    expect(sum()).toBe(ingest.counters.received);
  });
});

describe("hostile payloads in every format leave other points untouched", () => {
  const bindings: Binding[] = [
    { topic: "h/opc", format: "opcua-json", writerId: 1, points: [{ twin: "T101", point: "level", field: "L" }] },
    { topic: "h/uns/{twin}", format: "json", points: [{ point: "level", value: "Level" }] },
    {
      topic: "h/items",
      format: "json",
      items: "values",
      key: "id",
      points: [{ twin: "T101", point: "level", match: "L", value: "v" }],
    },
    { topic: "h/{twin}/{point}", format: "json", value: "v", quality: "q" },
  ];
  const deep = (n: number) => "[".repeat(n) + "]".repeat(n);
  const deepObj = (n: number) => '{"a":'.repeat(n) + "1" + "}".repeat(n);
  const topics = ["h/opc", "h/uns/T101", "h/items", "h/T101/level"];
  const hostile: [string, string][] = [
    ["10,000 nested arrays", deep(10_000)],
    ["10,000 nested objects", deepObj(10_000)],
    ["an array of 1e6 numbers", "[" + new Array(1_000_000).fill(0).join(",") + "]"],
    ["an array of 1e6 empty objects", "[" + new Array(1_000_000).fill("{}").join(",") + "]"],
    [
      "Messages of 1e6 writers",
      `{"Messages":[${new Array(1_000_000).fill('{"DataSetWriterId":9,"Payload":{}}').join(",")}]}`,
    ],
    ["wrong types everywhere", '{"Messages":"x","Level":[],"values":{},"v":{},"q":[]}'],
    [
      "NaN as text",
      '{"Messages":[{"DataSetWriterId":1,"Payload":{"L":"NaN"}}],"Level":"NaN","values":[{"id":"L","v":"NaN"}],"v":"NaN"}',
    ],
    ["unknown writers", '{"Messages":[{"DataSetWriterId":77,"Payload":{"L":1}}]}'],
    [
      "a __proto__ key",
      '{"__proto__":{"L":1,"Level":1,"v":1},"Messages":[{"DataSetWriterId":1,"Payload":{"__proto__":{"L":5}}}]}',
    ],
    ["a ua-data NetworkMessage without Messages", '{"MessageType":"ua-data","Payload":{"L":1},"Level":{},"values":[]}'],
    ["a bare string", '"hello"'],
    ["null", "null"],
  ];

  it.each(hostile)(
    "%s: a typed outcome for every format, and T102 (not addressed) keeps its value",
    (_name, payload) => {
      const { ingest, point, sum } = setup(bindings, { maxPayloadBytes: 64 * 1024 * 1024 });
      ingest.handle("h/T102/level", enc({ v: 7 }), NOW);
      for (const topic of topics) {
        const o = ingest.handle(topic, enc(payload), NOW);
        expect(INGEST_OUTCOMES).toContain(o);
        expect(o).not.toBe("applied");
      }
      expect(point("T102", "level")).toMatchObject({ value: 7, q: Quality.GOOD });
      expect(point("T101", "level").receivedAt).toBe(0);
      expect(sum()).toBe(ingest.counters.received);
    },
  );
});
