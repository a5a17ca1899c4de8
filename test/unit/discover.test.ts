/**
 * plant:discover's pure part: messages in published formats (OPC Publisher's documentation, OPC UA
 * Part 14, MTConnect's JSON ingress, a UNS with {value, quality} objects) become a starter plant that
 * loads (the validator plant:check and start-up share), and whose bindings read those same messages.
 */
import fs from "node:fs";
import os from "node:os";
import path from "node:path";
import { describe, expect, it } from "vitest";
import { BrokerSurvey } from "../../scripts/discover/BrokerSurvey.ts";
import { buildStarterPlant, DiscoverError, writeStarterPlant } from "../../scripts/discover/starterPlant.ts";
import { parseDiscoverArgs, shownUrl, UsageError } from "../../scripts/discover/options.ts";
import { periodOf } from "../../scripts/discover/DraftPlant.ts";
import { loadPlantDir } from "../../server/plant/loadPlant.ts";
import { PlantIngest } from "../../server/ingest/PlantIngest.ts";
import { PlantTwin } from "../../server/twin/PlantTwin.ts";
import * as opcPub from "../fixtures/opcPublisher.ts";
import * as vendors from "../fixtures/jsonVendors.ts";

const NOW = Date.parse("2022-03-18T13:07:00Z");
/** A payload as sent: JSON of a value, or `{ raw }` bytes as they are. */
const enc = (v: unknown) =>
  new TextEncoder().encode(v !== null && typeof v === "object" && "raw" in v ? String(v.raw) : JSON.stringify(v));

/** What a broker carried, in order: [topic, payload]. */
const heard: [string, unknown][] = [
  ["opcpublisher/messages", opcPub.pubSubDeltaFrame],
  ["opcpublisher/messages", opcPub.pubSubKeepAlive],
  ["opcpublisher/samples", opcPub.samplesBatch],
  ["factory/machining/mtconnect/Mill1", vendors.mtconnectIngress],
  ["factory/pressing/Press 1/Force", 1234.5],
  ["factory/pressing/Press 1/Speed", { value: 3, quality: "GOOD" }],
  ["factory/filling/Filler1/level", { value: 61.5, quality: "Good", timestamp: "2022-03-18T13:06:00Z" }],
  ["factory/filling/Filler1/running", true],
  ["factory/filling/Filler2/level", { value: 40, quality: "Good" }],
  ["factory/filling/Filler2/running", false],
  ["factory/notes", "shift 2 started"],
  ["factory/deep", { raw: "[".repeat(5000) + "]".repeat(5000) }],
  ["factory/huge", { raw: `[${"1,".repeat(600_000)}1]` }],
  ["spBv1.0/Line1/NBIRTH/Filler9", { raw: "not protobuf at all" }],
];

function survey(): BrokerSurvey {
  const s = new BrokerSurvey();
  heard.forEach(([topic, payload], i) => s.observe(topic, enc(payload), NOW + i));
  return s;
}

function written(s: BrokerSurvey) {
  const starter = buildStarterPlant(s, { id: "found", name: "Found", source: "mqtt://broker:1883", at: NOW });
  const dir = path.join(fs.mkdtempSync(path.join(os.tmpdir(), "gemba-discover-unit-")), "found");
  writeStarterPlant(dir, starter);
  return { starter, dir };
}

describe("plant:discover: from what a broker carries to a starter plant", () => {
  it("writes a plant that loads, with an asset per OPC UA writer, per Samples topic, per UNS object and per UNS asset", async () => {
    const { starter, dir } = written(survey());
    const loaded = await loadPlantDir(dir);
    expect(loaded.model.scene).toBeNull();
    const twins = Object.fromEntries(loaded.model.twins.map((t) => [t.id, t]));
    // Writer "1000" by its DataSetWriterName; the Samples batch (no ApplicationUri) by its topic.
    expect(Object.keys(twins).sort()).toEqual(["1000", "Filler1", "Filler2", "Mill1", "Press_1", "samples"]);
    // Same points, same kind: one interface for both fillers; areas by topic path.
    expect(twins["Filler1"]!.type).toBe(twins["Filler2"]!.type);
    expect(loaded.model.areas.map((a) => a.name).sort()).toEqual(
      ["filling", "machining / mtconnect", "pressing", "opc.tcp://opcplc:50000_70FB9F43", "samples"].sort(),
    );
    expect(starter.plant["bindings"]).toEqual(
      expect.arrayContaining([
        // Valid names used as published: one template for the fillers.
        { topic: "factory/filling/{twin}/{point}", format: "json", value: "$" },
        // "Press 1" is no twin id: one binding per topic, the topic kept as published.
        { topic: "factory/pressing/Press 1/Force", format: "json", twin: "Press_1", point: "Force", value: "$" },
        {
          topic: "factory/machining/mtconnect/Mill1",
          format: "json",
          twin: "Mill1",
          timestamp: ["timestamp"],
          points: [
            { point: "tempId", value: ["tempId"] },
            { point: "positionId", value: ["positionId"] },
          ],
        },
        expect.objectContaining({ topic: "opcpublisher/messages", format: "opcua-json", writerId: 1, twin: "1000" }),
      ]),
    );
  });

  it("the written bindings read the very messages they were discovered from", async () => {
    const { dir } = written(survey());
    const plant = await loadPlantDir(dir);
    const twin = new PlantTwin(plant.model);
    const ingest = new PlantIngest(twin, plant.bindings, { maxPayloadBytes: 1024 * 1024 });
    // MTConnect's example is stamped 2023, the others 2022: each arrives just after its own time.
    const mtconnectAt = Date.parse(vendors.mtconnectIngress.timestamp);
    for (const [topic, payload] of heard)
      ingest.handle(topic, enc(payload), (topic.includes("mtconnect") ? mtconnectAt : NOW) + 1000);
    const value = (t: string, p: string) => twin.points[twin.indexOf(t, p)!]!.value;
    expect(value("Filler1", "level")).toBe(61.5);
    expect(value("Filler2", "running")).toBe(0);
    expect(value("Press_1", "Speed")).toBe(3);
    expect(value("Mill1", "positionId")).toBe(1002.345);
    expect(value("1000", "StepUp")).toBe(23305);
    expect(value("samples", "StepUp")).toBe(30003);
    // The text, the nesting, the huge array and the broken birth: none is bound, none is a plant value.
    expect(ingest.counters["unknown-topic"]).toBe(4);
  });

  it("counts what it could not use by reason, with an example", () => {
    const s = survey();
    expect(s.ignored.get("JSON text or null, not a process value")).toEqual({ count: 1, example: "factory/notes" });
    expect(s.ignored.get("a JSON array that is neither OPC UA messages nor OPC Publisher samples")).toEqual({
      count: 1,
      example: "factory/deep",
    });
    expect(s.ignored.get("a payload over 1 MiB")).toEqual({ count: 1, example: "factory/huge" });
    expect([...s.ignored.keys()].some((why) => why.startsWith("not a Sparkplug B payload"))).toBe(true);
  });

  it("nothing readable: no plant, and a sentence saying what was heard", () => {
    const s = new BrokerSurvey();
    s.observe("a/b", enc({ raw: "not json {" }), NOW);
    expect(() => buildStarterPlant(s, { id: "x", name: "X", source: "mqtt://b:1883", at: NOW })).toThrow(
      new DiscoverError(
        "Nothing Gemba can read was published on mqtt://b:1883: 1 messages on 1 topics (1 not JSON (and not Sparkplug B) (e.g. a/b)). Check the broker address and --topic, or discover for longer with --seconds.",
      ),
    );
  });

  it("never overwrites a plant", () => {
    const { starter, dir } = written(survey());
    expect(() => writeStarterPlant(dir, starter)).toThrow(/already exists/);
  });

  it("an update period from what was heard: twice the mean interval; one message says nothing", () => {
    expect(periodOf({ count: 11, first: 0, last: 10_000 })).toBe(2);
    expect(periodOf({ count: 3, first: 0, last: 20_000 })).toBe(20);
    expect(periodOf({ count: 1, first: 5, last: 5 })).toBe(60);
  });

  it("command line: a broker or an OPC UA server is required; the directory is named after the plant id", () => {
    expect(parseDiscoverArgs(["--mqtt", "mqtt://h:1883", "--out", "plants/line-3"])).toMatchObject({
      id: "line-3",
      out: "plants/line-3",
      seconds: 30,
      topics: ["#"],
    });
    expect(() => parseDiscoverArgs([])).toThrow(
      new UsageError(
        "--mqtt or --opcua is required (the plant broker, e.g. mqtt://127.0.0.1:1883, or an OPC UA server, e.g. opc.tcp://127.0.0.1:4840).",
      ),
    );
    expect(() => parseDiscoverArgs(["--mqtt", "mqtt://h", "--id", "a", "--out", "x/b"])).toThrow(/named after its id/);
    expect(() => parseDiscoverArgs(["--mqtt", "mqtt://h", "--seconds", "0"])).toThrow(/whole number from 1 to 3600/);
  });

  it("command line for --opcua: an opc.tcp endpoint, one source per run, bounded browsing", () => {
    expect(parseDiscoverArgs(["--opcua", "opc.tcp://plc1:4840", "--out", "plants/line-3"])).toMatchObject({
      opcua: "opc.tcp://plc1:4840",
      id: "line-3",
      depth: 10,
      maxNodes: 20_000,
    });
    expect(parseDiscoverArgs(["--opcua", "opc.tcp://plc1:4840", "--depth", "4", "--max-nodes", "500"])).toMatchObject({
      depth: 4,
      maxNodes: 500,
    });
    expect(() => parseDiscoverArgs(["--opcua", "http://plc1:4840"])).toThrow(
      new UsageError('--opcua must look like opc.tcp://host:4840, got "http://plc1:4840".'),
    );
    expect(() => parseDiscoverArgs(["--opcua", "opc.tcp://h:4840", "--mqtt", "mqtt://h"])).toThrow(/not both/);
    expect(() => parseDiscoverArgs(["--opcua", "opc.tcp://h:4840", "--seconds", "5"])).toThrow(/are for --mqtt/);
    expect(
      parseDiscoverArgs([
        "--opcua",
        "opc.tcp://h:4840",
        "--security",
        "SignAndEncrypt:Aes256Sha256RsaPss",
        "--user",
        "operator",
        "--password-env",
        "PLC1_PASSWORD",
      ]),
    ).toMatchObject({
      security: { mode: "SignAndEncrypt", policy: "Aes256Sha256RsaPss" },
      user: { username: "operator", passwordEnv: "PLC1_PASSWORD" },
    });
    expect(parseDiscoverArgs(["--opcua", "opc.tcp://h:4840"]).security).toEqual({ mode: "None", policy: "None" });
    expect(() => parseDiscoverArgs(["--opcua", "opc.tcp://h:4840", "--security", "Sign"])).toThrow(/with a policy/);
    expect(() => parseDiscoverArgs(["--opcua", "opc.tcp://h:4840", "--user", "operator"])).toThrow(/go together/);
    expect(() => parseDiscoverArgs(["--opcua", "opc.tcp://h:4840", "--user", "o", "--password-env", "pw"])).toThrow(
      /name of an environment variable/,
    );
    expect(() => parseDiscoverArgs(["--mqtt", "mqtt://h", "--security", "None"])).toThrow(/are for --opcua/);
    expect(() => parseDiscoverArgs(["--opcua", "opc.tcp://h:4840", "--depth", "0"])).toThrow(
      /--depth is a whole number from 1 to 50/,
    );
  });

  it("a broker password is never printed or written into plant.json", () => {
    expect(shownUrl("mqtts://gemba:s3cret@broker.plant.lan:8883")).toBe("mqtts://broker.plant.lan:8883");
    expect(shownUrl("mqtt://127.0.0.1:1883")).toBe("mqtt://127.0.0.1:1883");
  });
});
