/**
 * Gemba as a Sparkplug 3.0 host application: the fixed namespace, nodes whose birth was missed,
 * death timestamps, the rebirth request and the primary host's STATE messages.
 * Payloads follow the Sparkplug 3.0 specification (eclipse-sparkplug/sparkplug,
 * specification/src/main/asciidoc/chapters/Sparkplug_4_Topics.adoc: NBIRTH/NDATA/NDEATH/NCMD and
 * "Sparkplug Host Application" STATE; Sparkplug_5_Operational_Behavior.adoc: session establishment,
 * "Commands" for Node Control/Rebirth; Sparkplug_6_Payloads.adoc: names and aliases in DATA).
 */
import { beforeAll, beforeEach, describe, expect, it } from "vitest";
import sparkplug from "sparkplug-payload";
import proto from "sparkplug-payload/lib/sparkplugPayloadProto.js";
import { PlantIngest } from "../../server/ingest/PlantIngest.ts";
import { SparkplugIngest } from "../../server/ingest/sparkplug/SparkplugIngest.ts";
import { HostState, stateTopic } from "../../server/ingest/sparkplug/SparkplugHost.ts";
import { parseMqttEnv } from "../../server/ingest/mqttOptions.ts";
import type { SparkplugBinding } from "../../server/plant/instance.ts";
import type { LoadedPlant } from "../../server/plant/loadPlant.ts";
import { PlantTwin } from "../../server/twin/PlantTwin.ts";
import { Quality } from "../../shared/status.ts";
import { demoPlant } from "./fixtures.ts";

const spb = sparkplug.get("spBv1.0")!;
const encode = (p: Parameters<typeof spb.encodePayload>[0]): Uint8Array => spb.encodePayload(p);
const RawPayload = proto.org.eclipse.tahu.protobuf.Payload;
/** DATA as the spec wants it: no datatype (tck-id-payloads-metric-datatype-not-req). */
const encodeRaw = (p: proto.org.eclipse.tahu.protobuf.IPayload): Uint8Array =>
  RawPayload.encode(RawPayload.create(p)).finish();

const NOW = Date.UTC(2026, 11, 6, 3);
const BINDINGS: SparkplugBinding[] = [
  {
    format: "sparkplug",
    group: "Plant1",
    node: "Edge1",
    metrics: { "Tank/Level": "T101/level", "Pump/Flow": "P101/flow" },
  },
  { format: "sparkplug", group: "Plant1", node: "Edge1", device: "Filler1", metrics: { Level: "T102/level" } },
];
const t = (type: string, device?: string) => `spBv1.0/Plant1/${type}/Edge1${device ? `/${device}` : ""}`;
/** An NBIRTH as the spec lists it: seq 0, bdSeq, Node Control/Rebirth=false without alias, names with aliases. */
const nbirth = (bdSeq: number, level = 50) =>
  encode({
    timestamp: NOW - 1000,
    seq: 0,
    metrics: [
      { name: "bdSeq", type: "UInt64", value: bdSeq },
      { name: "Node Control/Rebirth", type: "Boolean", value: false },
      { name: "Tank/Level", alias: 1, type: "Double", value: level },
      { name: "Pump/Flow", alias: 2, type: "Float", value: 3.5 },
    ],
  });

let plant: LoadedPlant;
let twin: PlantTwin;
beforeAll(async () => {
  plant = await demoPlant();
});
beforeEach(() => {
  twin = new PlantTwin(plant.model);
});
const point = (tw: string, p: string) => twin.points[twin.indexOf(tw, p)!]!;

describe("the Sparkplug namespace is fixed", () => {
  it("MQTT_TOPIC_PREFIX applies to JSON bindings but never in front of spBv1.0", () => {
    const pi = new PlantIngest(twin, [...plant.bindings, ...BINDINGS], { topicPrefix: "site-a/" });
    expect(pi.filters).toEqual(["site-a/gemba/demo/+/+", "spBv1.0/Plant1/+/Edge1/#"]);
    expect(pi.handle(t("NBIRTH"), nbirth(0), NOW)).toBe("birth");
    expect(point("T101", "level").value).toBe(50);
    // A prefixed Sparkplug topic is not Sparkplug: it goes to the JSON router, which has no such binding.
    expect(pi.handle(`site-a/${t("NBIRTH")}`, nbirth(0), NOW)).toBe("unknown-topic");
  });
});

describe("an edge node whose birth Gemba missed (Gemba started after it)", () => {
  let ingest: SparkplugIngest;
  beforeEach(() => {
    ingest = new SparkplugIngest(twin, BINDINGS);
  });

  it("is 'waiting for birth' until its NBIRTH, then 'online', then 'offline' after its NDEATH", () => {
    expect(ingest.nodeStatus()).toEqual([
      { group: "Plant1", node: "Edge1", state: "not seen", since: null, bdSeq: null, rebirthRequests: 0 },
    ]);
    ingest.handle(t("NDATA"), encodeRaw({ seq: 7, metrics: [{ alias: 1, doubleValue: 9 }] }), NOW);
    expect(ingest.nodeStatus()[0]).toMatchObject({ state: "waiting for birth", since: NOW });
    ingest.handle(t("NBIRTH"), nbirth(4), NOW + 10);
    expect(ingest.nodeStatus()[0]).toMatchObject({ state: "online", since: NOW + 10, bdSeq: 4 });
    ingest.handle(t("NDEATH"), encode({ metrics: [{ name: "bdSeq", type: "UInt64", value: 4 }] }), NOW + 20);
    expect(ingest.nodeStatus()[0]).toMatchObject({ state: "offline", since: NOW + 20 });
  });

  it("applies DATA metrics that carry a bound name (typed or self-describing), not aliases or bare integers", () => {
    const data = encodeRaw({
      seq: 12,
      timestamp: NOW - 50,
      metrics: [
        { name: "Tank/Level", doubleValue: 61.5 }, // a double says its own type
        { alias: 2, floatValue: 4 }, // an alias means nothing without the BIRTH
      ],
    });
    expect(ingest.handle(t("NDATA"), data, NOW)).toBe("applied");
    expect(point("T101", "level")).toMatchObject({ value: 61.5, ts: NOW - 50, q: Quality.GOOD });
    expect(Number.isNaN(point("P101", "flow").value)).toBe(true);
    expect(ingest.stats.metricsUnknown).toBe(1);
    expect(ingest.nodeStatus()[0]!.state).toBe("waiting for birth"); // still: the BIRTH is what defines the node

    // An integer without a datatype could be signed or unsigned: refused until the BIRTH says which.
    const bareInt = encodeRaw({ seq: 13, metrics: [{ name: "Pump/Flow", intValue: 4_294_967_295 }] });
    expect(ingest.handle(t("NDATA"), bareInt, NOW + 1)).toBe("no-birth");
    expect(Number.isNaN(point("P101", "flow").value)).toBe(true);
    // With the datatype in the metric (as Tahu's example edge node sends it) the sign is known.
    const typed = encode({ seq: 14, metrics: [{ name: "Pump/Flow", type: "Int32", value: -2 }] });
    expect(ingest.handle(t("NDATA"), typed, NOW + 2)).toBe("applied");
    expect(point("P101", "flow").value).toBe(-2);
    // Device DATA before the node's birth works the same way.
    const dd = encode({ seq: 15, metrics: [{ name: "Level", type: "Double", value: 33 }] });
    expect(ingest.handle(t("DDATA", "Filler1"), dd, NOW + 3)).toBe("applied");
    expect(point("T102", "level").value).toBe(33);
  });

  it("points applied before the birth turn bad when the node dies", () => {
    ingest.handle(t("NDATA"), encodeRaw({ seq: 1, metrics: [{ name: "Tank/Level", doubleValue: 10 }] }), NOW);
    ingest.handle(t("NDEATH"), encode({ metrics: [{ name: "bdSeq", type: "UInt64", value: 3 }] }), NOW + 5);
    expect(point("T101", "level")).toMatchObject({ value: 10, q: Quality.BAD });
  });

  it("with writes on, asks for a rebirth with an NCMD the spec accepts: Node Control/Rebirth = true, timestamped", () => {
    const sent: { topic: string; payload: Uint8Array }[] = [];
    const rw = new SparkplugIngest(twin, BINDINGS, {
      writesEnabled: true,
      publish: (topic, payload) => {
        sent.push({ topic, payload });
      },
    });
    rw.handle(t("NDATA"), encodeRaw({ seq: 40, metrics: [{ alias: 1, doubleValue: 1 }] }), NOW);
    expect(sent.map((s) => s.topic)).toEqual(["spBv1.0/Plant1/NCMD/Edge1"]);
    const cmd = spb.decodePayload(sent[0]!.payload);
    expect(Number(cmd.timestamp)).toBe(NOW); // tck-id-topics-ncmd-timestamp
    expect(cmd.metrics).toEqual([
      expect.objectContaining({ name: "Node Control/Rebirth", type: "Boolean", value: true }),
    ]);
    expect(rw.nodeStatus()[0]).toMatchObject({ state: "waiting for birth", rebirthRequests: 1 });
  });
});

describe("rebirth requests that cannot go out", () => {
  it("are not counted, and the node's next message asks again (no 10 s wait)", () => {
    let accept = false;
    const sent: string[] = [];
    const rw = new SparkplugIngest(twin, BINDINGS, {
      writesEnabled: true,
      // false: disconnected, or held until the primary host's STATE birth is out
      publish: (topic) => {
        if (!accept) return false;
        sent.push(topic);
        return true;
      },
    });
    const d = (seq: number) => encodeRaw({ seq, metrics: [{ alias: 1, doubleValue: 1 }] });
    rw.handle(t("NDATA"), d(1), NOW);
    expect(rw.nodeStatus()[0]!.rebirthRequests).toBe(0);
    accept = true;
    rw.handle(t("NDATA"), d(2), NOW + 100);
    expect(sent).toEqual(["spBv1.0/Plant1/NCMD/Edge1"]);
    expect(rw.stats.rebirthRequests).toBe(1);
  });
});

describe("Gemba loses its own connection to the broker", () => {
  it("online nodes' points turn bad (their changes and deaths may be lost); with writes on, the next message asks for a rebirth", () => {
    const sent: string[] = [];
    const rw = new SparkplugIngest(twin, BINDINGS, {
      writesEnabled: true,
      publish: (topic) => {
        sent.push(topic);
      },
    });
    rw.handle(t("NBIRTH"), nbirth(1, 40), NOW);
    expect(rw.connectionLost(NOW + 100)).toBe(1);
    expect(point("T101", "level")).toMatchObject({ value: 40, q: Quality.BAD });
    expect(point("P101", "flow").q).toBe(Quality.BAD);
    expect(rw.nodeStatus()[0]!.state).toBe("online"); // as far as Gemba knows
    // After the reconnect: seq 5 follows 0, messages were lost; the value applies and a rebirth is asked for.
    const d = encodeRaw({ seq: 5, timestamp: NOW + 2000, metrics: [{ alias: 1, doubleValue: 41 }] });
    expect(rw.handle(t("NDATA"), d, NOW + 2000)).toBe("seq-gap");
    expect(point("T101", "level")).toMatchObject({ value: 41, q: Quality.GOOD });
    expect(point("P101", "flow").q).toBe(Quality.BAD); // unchanged since: unknown until the birth
    expect(sent).toEqual(["spBv1.0/Plant1/NCMD/Edge1"]);
    rw.handle(t("NBIRTH"), nbirth(1, 41), NOW + 2100);
    expect(point("P101", "flow").q).toBe(Quality.GOOD);
    // A node never seen is left alone; one waiting for its birth loses its named values' good quality too.
    const ro = new SparkplugIngest(twin, BINDINGS);
    expect(ro.connectionLost(NOW)).toBe(0);
    ro.handle(t("DDATA", "Filler1"), encode({ seq: 3, metrics: [{ name: "Level", type: "Double", value: 12 }] }), NOW);
    expect(point("T102", "level")).toMatchObject({ value: 12, q: Quality.GOOD });
    expect(ro.connectionLost(NOW + 1)).toBe(1);
    expect(point("T102", "level").q).toBe(Quality.BAD);
  });
});

describe("deaths", () => {
  it("an NDEATH marks the node's points bad at the host's receive time, not the will's old timestamp", () => {
    const ingest = new SparkplugIngest(twin, BINDINGS);
    ingest.handle(t("NBIRTH"), nbirth(2), NOW);
    // The will was built at CONNECT time, long before; the spec says use the time of receipt.
    const will = encode({ timestamp: NOW - 3_600_000, metrics: [{ name: "bdSeq", type: "UInt64", value: 2 }] });
    expect(ingest.handle(t("NDEATH"), will, NOW + 7)).toBe("death");
    const h = point("T101", "level").history.range(NOW - 10_000, NOW + 10_000, 10);
    expect(h.ts).toEqual([NOW - 1000, NOW + 7]); // the bad mark is stamped on arrival
    expect(point("T101", "level").q).toBe(Quality.BAD);
  });
});

describe("primary host STATE (spBv1.0/STATE/<host id>)", () => {
  it("the birth repeats the timestamp of the will in the CONNECT before it; each CONNECT stamps anew", () => {
    let clock = NOW;
    const host = new HostState("gemba-1", () => clock);
    expect(host.topic).toBe("spBv1.0/STATE/gemba-1");
    expect(stateTopic("scada")).toBe("spBv1.0/STATE/scada");
    expect(() => host.birth()).toThrow(/no CONNECT yet/);
    const will = host.will();
    expect(will).toEqual({
      topic: "spBv1.0/STATE/gemba-1",
      payload: JSON.stringify({ online: false, timestamp: NOW }),
      qos: 1,
      retain: true,
    });
    clock += 250; // the CONNACK and the subscriptions take a while
    expect(JSON.parse(host.birth())).toEqual({ online: true, timestamp: NOW });
    clock += 60_000; // a reconnect: a new will, and the birth follows it
    expect(JSON.parse(host.will().payload as string)).toEqual({ online: false, timestamp: NOW + 60_250 });
    expect(JSON.parse(host.birth())).toEqual({ online: true, timestamp: NOW + 60_250 });
    clock += 5;
    expect(JSON.parse(host.death())).toEqual({ online: false, timestamp: NOW + 60_255 });
  });

  it("recognises an 'online: false' on its own topic (answered with a new birth) and ignores anything else", () => {
    const host = new HostState("gemba-1", () => NOW);
    const b = (s: string) => Buffer.from(s);
    expect(host.saysOffline(b('{"online":false,"timestamp":1}'))).toBe(true);
    expect(host.saysOffline(b('{"online":true,"timestamp":1}'))).toBe(false);
    expect(host.saysOffline(b("OFFLINE"))).toBe(false); // Sparkplug 2.2's plain-text STATE is not 3.0
    expect(host.saysOffline(b(""))).toBe(false);
  });

  it("SPARKPLUG_HOST_ID needs MQTT_WRITES=on and one topic level; a bad one is refused with a sentence", () => {
    const url = { MQTT_URL: "mqtt://plant:1883" };
    expect(parseMqttEnv({ ...url, MQTT_WRITES: "on", SPARKPLUG_HOST_ID: "gemba-line1" }).sparkplugHostId).toBe(
      "gemba-line1",
    );
    expect(parseMqttEnv({ ...url, MQTT_WRITES: "on" }).sparkplugHostId).toBeNull();
    expect(() => parseMqttEnv({ ...url, SPARKPLUG_HOST_ID: "gemba" })).toThrow(
      /^SPARKPLUG_HOST_ID makes Gemba a Sparkplug primary host.*set MQTT_WRITES=on too/,
    );
    for (const bad of ["a/b", "a+", "#", "has space", "x".repeat(129)]) {
      expect(() => parseMqttEnv({ ...url, MQTT_WRITES: "on", SPARKPLUG_HOST_ID: bad }), bad).toThrow(
        /^SPARKPLUG_HOST_ID must be one topic level/,
      );
    }
    expect(() => new HostState("a/b", () => NOW)).toThrow(/not a Sparkplug host id/);
  });
});
