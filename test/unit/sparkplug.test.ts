import fs from "node:fs";
import os from "node:os";
import path from "node:path";
import { beforeAll, beforeEach, describe, expect, it } from "vitest";
import sparkplug from "sparkplug-payload";
import proto from "sparkplug-payload/lib/sparkplugPayloadProto.js";
import { INGEST_OUTCOMES, PlantIngest } from "../../server/ingest/PlantIngest.ts";
import { SPARKPLUG_OUTCOMES, SparkplugIngest } from "../../server/ingest/sparkplug/SparkplugIngest.ts";
import { validateSparkplugBindings } from "../../server/ingest/sparkplug/validateBindings.ts";
import { PlantInstance, type Binding, type SparkplugBinding } from "../../server/plant/instance.ts";
import { loadPlantDir, type LoadedPlant } from "../../server/plant/loadPlant.ts";
import { PlantError } from "../../server/plant/PlantError.ts";
import { PlantTwin } from "../../server/twin/PlantTwin.ts";
import { Quality } from "../../shared/status.ts";
import { DEMO_DIR, demoPlant } from "./fixtures.ts";

const spb = sparkplug.get("spBv1.0")!;
type UPayload = Parameters<typeof spb.encodePayload>[0];
const encode = (p: UPayload): Uint8Array => spb.encodePayload(p);
const RawPayload = proto.org.eclipse.tahu.protobuf.Payload;
/** DATA as most edge nodes send it: by alias, no datatype (Tahu's encoder cannot omit it). */
const encodeRaw = (p: proto.org.eclipse.tahu.protobuf.IPayload): Uint8Array =>
  RawPayload.encode(RawPayload.create(p)).finish();

const NOW = Date.UTC(2026, 10, 25, 12);
const topic = (type: string, node: string, device?: string) =>
  `spBv1.0/Plant1/${type}/${node}${device ? `/${device}` : ""}`;

const BINDINGS: SparkplugBinding[] = [
  {
    format: "sparkplug",
    group: "Plant1",
    node: "Edge1",
    metrics: { "Tank/Level": "T101/level", "Pump/Flow": "P101/flow", "Pump/Running": "P101/running" },
  },
  { format: "sparkplug", group: "Plant1", node: "Edge1", device: "Filler1", metrics: { Level: "T102/level" } },
  { format: "sparkplug", group: "Plant1", node: "Edge1", device: "Filler2", metrics: { Level: "T103/level" } },
  { format: "sparkplug", group: "Plant1", node: "Edge2", metric: "{twin}/{point}" },
];

const nbirth = (seq: number, bdSeq: number, level = 50, ts = NOW - 1000): Uint8Array =>
  encode({
    timestamp: ts,
    seq,
    metrics: [
      { name: "bdSeq", type: "UInt64", value: bdSeq },
      { name: "Node Control/Rebirth", type: "Boolean", value: false },
      { name: "Tank/Level", alias: 1, type: "Double", value: level, timestamp: ts },
      { name: "Pump/Flow", alias: 2, type: "Float", value: 3.5 },
      { name: "Pump/Running", alias: 3, type: "Boolean", value: true },
      { name: "Pump/Label", alias: 4, type: "String", value: "P-101" },
    ],
  });
const dbirth = (seq: number, level: number, ts = NOW - 900): Uint8Array =>
  encode({ timestamp: ts, seq, metrics: [{ name: "Level", alias: 10, type: "Double", value: level }] });
const ndeath = (bdSeq: number): Uint8Array =>
  encode({ timestamp: NOW, metrics: [{ name: "bdSeq", type: "UInt64", value: bdSeq }] });

let plant: LoadedPlant;
beforeAll(async () => {
  plant = await demoPlant();
});

let twin: PlantTwin;
let ingest: SparkplugIngest;
const idx = (t: string, p: string) => twin.indexOf(t, p)!;
const point = (t: string, p: string) => twin.points[idx(t, p)]!;
beforeEach(() => {
  twin = new PlantTwin(plant.model);
  ingest = new SparkplugIngest(twin, BINDINGS);
});

describe("Sparkplug B: births and data", () => {
  it("an NBIRTH defines the node's metrics and applies their values with the metric (or payload) timestamp", () => {
    expect(ingest.handle(topic("NBIRTH", "Edge1"), nbirth(0, 7, 42.5), NOW)).toBe("birth");
    expect(point("T101", "level")).toMatchObject({ value: 42.5, ts: NOW - 1000, q: Quality.GOOD });
    expect(point("P101", "flow")).toMatchObject({ value: 3.5, ts: NOW - 1000 }); // payload timestamp
    expect(point("P101", "running").value).toBe(1); // Boolean -> 1
    expect(ingest.stats.metricsApplied).toBe(3);
    expect(ingest.stats.metricsUnbound).toBe(3); // bdSeq, Node Control/Rebirth, Pump/Label
  });

  it("NDATA updates by alias, with or without a datatype, and by name; no timestamp means receive time", () => {
    ingest.handle(topic("NBIRTH", "Edge1"), nbirth(0, 7), NOW);
    const withType = encode({ timestamp: NOW, seq: 1, metrics: [{ alias: 1, type: "Double", value: 61.25 }] });
    expect(ingest.handle(topic("NDATA", "Edge1"), withType, NOW + 10)).toBe("applied");
    expect(point("T101", "level")).toMatchObject({ value: 61.25, ts: NOW });
    // No datatype and no timestamp: the BIRTH says Float, the receive time stamps it.
    const bare = encodeRaw({ seq: 2, metrics: [{ alias: 2, floatValue: 4.25 }] });
    expect(ingest.handle(topic("NDATA", "Edge1"), bare, NOW + 20)).toBe("applied");
    expect(point("P101", "flow")).toMatchObject({ value: 4.25, ts: NOW + 20 });
    const byName = encode({ seq: 3, metrics: [{ name: "Pump/Running", type: "Boolean", value: false }] });
    expect(ingest.handle(topic("NDATA", "Edge1"), byName, NOW + 30)).toBe("applied");
    expect(point("P101", "running").value).toBe(0);
    expect(ingest.counters["seq-gap"]).toBe(0);
  });

  it("a template binding maps a metric named <twin>/<point> to that point; others stay unbound", () => {
    const birth = encode({
      timestamp: NOW,
      seq: 0,
      metrics: [
        { name: "T201/level", alias: 1, type: "Double", value: 12 },
        { name: "NOPE/level", alias: 2, type: "Double", value: 1 },
        { name: "Area/T201/level", alias: 3, type: "Double", value: 1 },
      ],
    });
    expect(ingest.handle(topic("NBIRTH", "Edge2"), birth, NOW)).toBe("birth");
    expect(point("T201", "level").value).toBe(12);
    expect(ingest.stats.metricsUnbound).toBe(2);
    const onlyUnbound = encode({ seq: 1, metrics: [{ alias: 2, type: "Double", value: 2 }] });
    expect(ingest.handle(topic("NDATA", "Edge2"), onlyUnbound, NOW)).toBe("unknown-point");
  });

  it("device metrics come from DBIRTH/DDATA of that device", () => {
    ingest.handle(topic("NBIRTH", "Edge1"), nbirth(0, 7), NOW);
    expect(ingest.handle(topic("DBIRTH", "Edge1", "Filler1"), dbirth(1, 20), NOW)).toBe("birth");
    expect(ingest.handle(topic("DBIRTH", "Edge1", "Filler2"), dbirth(2, 30), NOW)).toBe("birth");
    const d = encodeRaw({ seq: 3, metrics: [{ alias: 10, doubleValue: 21 }] });
    expect(ingest.handle(topic("DDATA", "Edge1", "Filler1"), d, NOW)).toBe("applied");
    expect(point("T102", "level").value).toBe(21);
    expect(point("T103", "level").value).toBe(30);
  });

  it("decodes signed and unsigned integer datatypes correctly", () => {
    const birth = encode({
      timestamp: NOW,
      seq: 0,
      metrics: [
        { name: "T201/level", type: "Int8", value: -3 },
        { name: "T201/volume", type: "Int16", value: -300 },
        { name: "T201/temperature", type: "Int64", value: -5 },
        { name: "T201/pressure", type: "UInt32", value: 4_000_000_000 },
        { name: "T201/inflow", type: "UInt64", value: 2 ** 40 },
      ],
    });
    ingest.handle(topic("NBIRTH", "Edge2"), birth, NOW);
    expect(point("T201", "level").value).toBe(-3);
    expect(point("T201", "volume").value).toBe(-300);
    expect(point("T201", "temperature").value).toBe(-5);
    expect(point("T201", "pressure").value).toBe(4_000_000_000);
    expect(point("T201", "inflow").value).toBe(2 ** 40);
  });
});

describe("Sparkplug B: deaths", () => {
  beforeEach(() => {
    ingest.handle(topic("NBIRTH", "Edge1"), nbirth(0, 7), NOW);
    ingest.handle(topic("DBIRTH", "Edge1", "Filler1"), dbirth(1, 20), NOW);
    ingest.handle(topic("DBIRTH", "Edge1", "Filler2"), dbirth(2, 30), NOW);
  });

  it("an NDEATH with the birth's bdSeq turns every point of the node and its devices bad", () => {
    expect(ingest.handle(topic("NDEATH", "Edge1"), ndeath(7), NOW + 1)).toBe("death");
    for (const [t, p] of [
      ["T101", "level"],
      ["P101", "flow"],
      ["P101", "running"],
      ["T102", "level"],
      ["T103", "level"],
    ] as const)
      expect(point(t, p).q, `${t}/${p}`).toBe(Quality.BAD);
    expect(point("T101", "level").value).toBe(50); // the last value is kept, marked bad
    expect(point("T201", "level").q).toBe(Quality.GOOD); // another node's point
  });

  it("a stale NDEATH (another bdSeq) is ignored and counted", () => {
    expect(ingest.handle(topic("NDEATH", "Edge1"), ndeath(6), NOW + 1)).toBe("stale-death");
    expect(point("T101", "level").q).toBe(Quality.GOOD);
    expect(ingest.counters["stale-death"]).toBe(1);
  });

  it("a new NBIRTH restores good quality with fresh values, even for a value it already had", () => {
    ingest.handle(topic("NDEATH", "Edge1"), ndeath(7), NOW + 1);
    expect(ingest.handle(topic("NBIRTH", "Edge1"), nbirth(0, 8, 55, NOW + 2), NOW + 2)).toBe("birth");
    expect(point("T101", "level")).toMatchObject({ value: 55, q: Quality.GOOD });
    expect(point("P101", "flow").q).toBe(Quality.GOOD); // same value, newer stamp
    // Devices must send DBIRTH again after an NBIRTH.
    expect(point("T102", "level").q).toBe(Quality.BAD);
    ingest.handle(topic("DBIRTH", "Edge1", "Filler1"), dbirth(1, 20, NOW - 5000), NOW + 3); // an older stamp
    expect(point("T102", "level")).toMatchObject({ value: 20, q: Quality.GOOD });
  });

  it("a DDEATH turns only that device's points bad", () => {
    const ddeath = encode({ timestamp: NOW + 1, seq: 3, metrics: [] });
    expect(ingest.handle(topic("DDEATH", "Edge1", "Filler1"), ddeath, NOW + 1)).toBe("death");
    expect(point("T102", "level").q).toBe(Quality.BAD);
    expect(point("T103", "level").q).toBe(Quality.GOOD);
    expect(point("T101", "level").q).toBe(Quality.GOOD);
    const after = encodeRaw({ seq: 4, metrics: [{ alias: 10, doubleValue: 1 }] });
    expect(ingest.handle(topic("DDATA", "Edge1", "Filler1"), after, NOW + 2)).toBe("no-birth");
    expect(point("T102", "level").value).toBe(20);
  });
});

describe("Sparkplug B: sequence and missing births", () => {
  it("counts seq gaps and out-of-order messages, and accepts the 255 -> 0 wrap", () => {
    ingest.handle(topic("NBIRTH", "Edge1"), nbirth(254, 1), NOW);
    const data = (seq: number, v: number) => encodeRaw({ seq, metrics: [{ alias: 1, doubleValue: v }] });
    expect(ingest.handle(topic("NDATA", "Edge1"), data(255, 1), NOW + 1)).toBe("applied");
    expect(ingest.handle(topic("NDATA", "Edge1"), data(0, 2), NOW + 2)).toBe("applied");
    expect(ingest.handle(topic("NDATA", "Edge1"), data(2, 3), NOW + 3)).toBe("seq-gap"); // 1 lost
    expect(point("T101", "level").value).toBe(3); // values of a message after a gap still apply
    expect(ingest.handle(topic("NDATA", "Edge1"), data(1, 4), NOW + 4)).toBe("seq-gap"); // reordered
    expect(ingest.handle(topic("NDATA", "Edge1"), data(2, 5), NOW + 5)).toBe("applied");
    expect(ingest.counters["seq-gap"]).toBe(2);
  });

  it("seq runs across the node and all its devices, bound or not", () => {
    ingest.handle(topic("NBIRTH", "Edge1"), nbirth(0, 1), NOW);
    ingest.handle(topic("DBIRTH", "Edge1", "Other"), dbirth(1, 1), NOW);
    expect(ingest.handle(topic("DDATA", "Edge1", "Other"), encodeRaw({ seq: 2 }), NOW)).toBe("unknown-topic");
    const d = encodeRaw({ seq: 3, metrics: [{ alias: 1, doubleValue: 9 }] });
    expect(ingest.handle(topic("NDATA", "Edge1"), d, NOW + 1)).toBe("applied");
    expect(ingest.counters["seq-gap"]).toBe(0);
  });

  it("DATA before any BIRTH is counted and not applied (its aliases are unknown)", () => {
    const d = encodeRaw({ seq: 5, metrics: [{ alias: 1, doubleValue: 9 }] });
    expect(ingest.handle(topic("NDATA", "Edge1"), d, NOW)).toBe("no-birth");
    expect(ingest.handle(topic("DDATA", "Edge1", "Filler1"), d, NOW)).toBe("no-birth");
    ingest.handle(topic("NBIRTH", "Edge1"), nbirth(0, 1), NOW);
    const dd = encodeRaw({ seq: 1, metrics: [{ alias: 10, doubleValue: 9 }] });
    expect(ingest.handle(topic("DDATA", "Edge1", "Filler1"), dd, NOW)).toBe("no-birth"); // no DBIRTH yet
    expect(Number.isNaN(point("T102", "level").value)).toBe(true);
    expect(ingest.counters["no-birth"]).toBe(3);
  });

  it("a DATA metric whose alias the BIRTH did not define is counted as unknown-metric", () => {
    ingest.handle(topic("NBIRTH", "Edge1"), nbirth(0, 1), NOW);
    const d = encodeRaw({ seq: 1, metrics: [{ alias: 99, doubleValue: 9 }] });
    expect(ingest.handle(topic("NDATA", "Edge1"), d, NOW)).toBe("unknown-metric");
    expect(ingest.stats.metricsUnknown).toBe(1);
  });
});

describe("Sparkplug B: one-way by default (rebirth requests)", () => {
  const gap = () => encodeRaw({ seq: 9, metrics: [{ alias: 1, doubleValue: 1 }] });

  it("never publishes without writesEnabled, even when given a publish function", () => {
    const sent: string[] = [];
    const ro = new SparkplugIngest(twin, BINDINGS, {
      publish: (t) => {
        sent.push(t);
      },
    });
    ro.handle(topic("NDATA", "Edge1"), gap(), NOW); // data before birth
    ro.handle(topic("NBIRTH", "Edge1"), nbirth(0, 1), NOW);
    ro.handle(topic("NDATA", "Edge1"), gap(), NOW + 20_000); // seq gap
    expect(sent).toEqual([]);
    expect(ro.stats.rebirthRequests).toBe(0);
    // writesEnabled without a publish function is also silent (and does not throw).
    const noPub = new SparkplugIngest(twin, BINDINGS, { writesEnabled: true });
    expect(noPub.handle(topic("NDATA", "Edge1"), gap(), NOW)).toBe("no-birth");
  });

  it("with writes enabled, asks for a rebirth (NCMD Node Control/Rebirth) at most once per node per 10 s", () => {
    const sent: { topic: string; payload: Uint8Array }[] = [];
    const rw = new SparkplugIngest(twin, BINDINGS, {
      writesEnabled: true,
      publish: (t, payload) => {
        sent.push({ topic: t, payload });
      },
    });
    const t = (type: string) => topic(type, "Edge1");
    rw.handle(t("NDATA"), gap(), NOW);
    rw.handle(t("NDATA"), gap(), NOW + 5_000);
    expect(sent.map((s) => s.topic)).toEqual(["spBv1.0/Plant1/NCMD/Edge1"]);
    const cmd = spb.decodePayload(sent[0]!.payload);
    expect(cmd.metrics).toEqual([expect.objectContaining({ name: "Node Control/Rebirth", value: true })]);
    rw.handle(t("NBIRTH"), nbirth(0, 1), NOW + 6_000);
    rw.handle(t("NDATA"), gap(), NOW + 9_999); // seq gap, still inside the 10 s window
    expect(sent).toHaveLength(1);
    rw.handle(t("NDATA"), encodeRaw({ seq: 3 }), NOW + 10_000); // another gap, window over
    expect(sent).toHaveLength(2);
    expect(rw.stats.rebirthRequests).toBe(2);
    // Our own NCMD comes back on the node's subscription: counted, not applied.
    expect(rw.handle(sent[0]!.topic, sent[0]!.payload, NOW)).toBe("command");
  });

  it("a publish that throws (e.g. writes refused by the connection) never escapes, and is logged once per window", () => {
    const logs: string[] = [];
    const rw = new SparkplugIngest(twin, BINDINGS, {
      writesEnabled: true,
      publish: () => {
        throw new Error("refused");
      },
      log: (m) => logs.push(m),
    });
    expect(rw.handle(topic("NDATA", "Edge1"), gap(), NOW)).toBe("no-birth");
    expect(rw.handle(topic("NDATA", "Edge1"), gap(), NOW + 1)).toBe("no-birth");
    expect(logs).toEqual(["Sparkplug: could not ask Plant1/Edge1 to rebirth: refused"]);
  });
});

describe("Sparkplug B: bad input is counted, never thrown", () => {
  it("corrupt protobuf, oversized payloads, odd topics and wrong datatypes each have an outcome", () => {
    const small = new SparkplugIngest(twin, BINDINGS, { maxPayloadBytes: 4096 });
    expect(small.handle(topic("NBIRTH", "Edge1"), new Uint8Array([1, 2, 3, 4, 5]), NOW)).toBe("malformed");
    expect(small.handle(topic("NBIRTH", "Edge1"), Buffer.from("hello world"), NOW)).toBe("malformed");
    expect(small.handle(topic("NBIRTH", "Edge1"), new Uint8Array(5000), NOW)).toBe("oversized");
    expect(small.handle(topic("NDATA", "Edge1"), encodeRaw({ seq: 300 }), NOW)).toBe("malformed");
    expect(small.handle(topic("NDATA", "Edge1", "Filler1"), encodeRaw({ seq: 0 }), NOW)).toBe("unknown-topic");
    expect(small.handle(topic("NDATA", "Unbound"), encodeRaw({ seq: 0 }), NOW)).toBe("unknown-topic");
    expect(small.handle("spBv1.0/Plant1/STATE/Edge1", encodeRaw({}), NOW)).toBe("unknown-topic");
    expect(small.handle("elsewhere/x", encodeRaw({}), NOW)).toBe("unknown-topic");

    small.handle(topic("NBIRTH", "Edge1"), nbirth(0, 1), NOW);
    const wrong = encode({
      seq: 1,
      metrics: [
        { name: "Tank/Level", type: "String", value: "full" },
        { name: "Pump/Flow", type: "Double", value: Number.NaN },
        { name: "Pump/Running", type: "DateTime", value: NOW },
      ],
    });
    expect(small.handle(topic("NDATA", "Edge1"), wrong, NOW)).toBe("bad-value");
    expect(small.stats.metricsNonNumeric).toBe(3); // Pump/Label is a String too, but unbound
    expect(point("T101", "level").value).toBe(50);
    const future = encode({ seq: 2, metrics: [{ alias: 1, type: "Double", value: 1, timestamp: NOW + 3_600_000 }] });
    expect(small.handle(topic("NDATA", "Edge1"), future, NOW)).toBe("future");
    const ancient = encode({ seq: 3, metrics: [{ alias: 1, type: "Double", value: 1, timestamp: 5 }] });
    expect(small.handle(topic("NDATA", "Edge1"), ancient, NOW)).toBe("bad-timestamp");

    const sum = SPARKPLUG_OUTCOMES.reduce((n, o) => n + small.counters[o], 0);
    expect(sum).toBe(small.counters.received);
  });

  it("through PlantIngest: JSON and Sparkplug share one set of counters that adds up to what was received", () => {
    const bindings: Binding[] = [...plant.bindings, ...BINDINGS];
    const pi = new PlantIngest(twin, bindings, { maxPayloadBytes: 1024 });
    expect(pi.filters).toEqual(["gemba/demo/+/+", "spBv1.0/Plant1/+/Edge1/#", "spBv1.0/Plant1/+/Edge2/#"]);
    const send = (t: string, p: Uint8Array | string) =>
      pi.handle(t, typeof p === "string" ? new TextEncoder().encode(p) : p, NOW);
    expect(send("gemba/demo/T301/level", '{"v":1}')).toBe("applied");
    expect(send(topic("NDATA", "Edge1"), encodeRaw({ seq: 0 }))).toBe("no-birth");
    expect(send(topic("NBIRTH", "Edge1"), nbirth(0, 3))).toBe("birth");
    expect(send(topic("NDATA", "Edge1"), encodeRaw({ seq: 1, metrics: [{ alias: 1, doubleValue: 2 }] }))).toBe(
      "applied",
    );
    expect(send(topic("NDATA", "Edge1"), encodeRaw({ seq: 5 }))).toBe("seq-gap");
    expect(send(topic("NDEATH", "Edge1"), ndeath(2))).toBe("stale-death");
    expect(send(topic("NDEATH", "Edge1"), ndeath(3))).toBe("death");
    expect(send(topic("NBIRTH", "Edge1"), new Uint8Array([0xff, 0xff]))).toBe("malformed");
    expect(send("gemba/demo/T301/level", "{oops")).toBe("malformed");
    const c = pi.counters;
    expect(INGEST_OUTCOMES.reduce((n, o) => n + c[o], 0)).toBe(c.received);
    expect(c.received).toBe(9);
    expect(c.applied).toBe(2);
    expect(c.malformed).toBe(2);
    expect(point("T101", "level").q).toBe(Quality.BAD);
  });
});

describe("Sparkplug bindings in plant.json", () => {
  const twins = [{ id: "T101", type: "Tank" }];
  const types = new Map([["Tank", { points: [{ name: "level" }] }]]);

  it("reports unknown twins and points in metrics, and names with / + #, at the binding's path", () => {
    const issues = validateSparkplugBindings(
      [
        { format: "sparkplug", group: "Plant/1", node: "Edge+", device: "F#", metric: "{twin}/{point}" },
        { format: "sparkplug", group: "P", node: "E", metrics: { a: "T101/level", b: "T999/level", c: "T101/nope" } },
      ],
      twins,
      types,
    );
    expect(issues.map((i) => `${i.path}: ${i.reason}`)).toEqual([
      'bindings[0].group: a Sparkplug group name cannot contain "/", "+" or "#" (got "Plant/1").',
      'bindings[0].node: a Sparkplug node name cannot contain "/", "+" or "#" (got "Edge+").',
      'bindings[0].device: a Sparkplug device name cannot contain "/", "+" or "#" (got "F#").',
      'bindings[1].metrics["b"]: unknown twin "T999".',
      'bindings[1].metrics["c"]: twin T101 has no telemetry "nope".',
    ]);
    expect(issues.every((i) => i.file === "plant.json")).toBe(true);
  });

  it("the schema needs exactly one of metrics and metric, and metrics targets shaped twin/point", () => {
    const parse = (b: unknown) =>
      PlantInstance.shape.bindings.safeParse([b]).error?.issues.map((i) => `${i.path.join(".")}: ${i.message}`);
    expect(parse({ format: "sparkplug", group: "G", node: "N", metric: "{twin}/{point}" })).toBeUndefined();
    expect(parse({ format: "sparkplug", group: "G", node: "N" })).toEqual([
      '0: a sparkplug binding needs either "metrics" or "metric", not both.',
    ]);
    expect(parse({ format: "sparkplug", group: "G", node: "N", metrics: { a: "T101" } })).toEqual([
      '0.metrics.a: is "twin/point"',
    ]);
    expect(parse({ format: "sparkplug", group: "G", node: "N", metric: "{point}" })?.[0]).toMatch(
      /\{twin\}\/\{point\}/,
    );
  });

  it("loadPlantDir rejects a plant whose Sparkplug binding names an unknown point", async () => {
    const dir = fs.mkdtempSync(path.join(os.tmpdir(), "gemba-sp-"));
    fs.symlinkSync(path.join(DEMO_DIR, "models"), path.join(dir, "models"));
    fs.symlinkSync(path.join(DEMO_DIR, "scene.glb"), path.join(dir, "scene.glb"));
    const doc = JSON.parse(fs.readFileSync(path.join(DEMO_DIR, "plant.json"), "utf8")) as { bindings: unknown[] };
    doc.bindings.push({ format: "sparkplug", group: "G", node: "N", metrics: { x: "T101/nope" } });
    fs.writeFileSync(path.join(dir, "plant.json"), JSON.stringify(doc));
    const err = await loadPlantDir(dir).catch((e: unknown) => e);
    expect(err).toBeInstanceOf(PlantError);
    expect((err as PlantError).issues).toEqual([
      {
        file: "plant.json",
        path: `bindings[${doc.bindings.length - 1}].metrics["x"]`,
        reason: 'twin T101 has no telemetry "nope".',
      },
    ]);
    fs.rmSync(dir, { recursive: true, force: true });
  });
});
