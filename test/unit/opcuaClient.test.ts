/**
 * The pure parts of the OPC UA client ingest: NodeIds with namespace URIs (OPC 10000-6 5.3.1.10/11),
 * the plant-file checks for `format: "opcua"`, and one DataValue read into a sample (value, quality
 * from the StatusCode's top two bits, source then server timestamp, refusals by reason).
 */
import { describe, expect, it } from "vitest";
import { DataType, DataValue, StatusCodes, Variant, VariantArrayType } from "node-opcua-client";
import { parseNodeIdText, resolveNodeIdText } from "../../server/ingest/opcua/nodeIdText.ts";
import { validateOpcUaClientBindings } from "../../server/ingest/opcua/validateBindings.ts";
import { DataValueReader } from "../../server/ingest/opcua/readDataValue.ts";
import { PlantInstance } from "../../server/plant/instance.ts";
import { INGEST_OUTCOMES, PlantIngest } from "../../server/ingest/PlantIngest.ts";
import { PlantTwin } from "../../server/twin/PlantTwin.ts";
import type { SampleSink } from "../../server/ingest/sink.ts";
import { Quality } from "../../shared/status.ts";
import { demoPlant } from "./fixtures.ts";

describe("NodeIds in the plant file", () => {
  it("nsu= with a string, numeric, GUID or opaque identifier is read with its namespace URI", () => {
    expect(parseNodeIdText("nsu=urn:plc1;s=Tank 1.Level;raw")).toEqual({
      ok: true,
      nodeId: { namespaceUri: "urn:plc1", identifier: "s=Tank 1.Level;raw" },
    });
    expect(parseNodeIdText("nsu=http://acme.com/UA/;i=1001")).toMatchObject({ ok: true });
    expect(parseNodeIdText("nsu=urn:a;g=09087e75-8e5e-499b-954f-f2a9603db28a")).toMatchObject({ ok: true });
    expect(parseNodeIdText("nsu=urn:a;b=M/RbKBsRVkePCePcx24oRA==")).toMatchObject({ ok: true });
  });

  it("a ; in the namespace URI is written %3B (OPC 10000-6 5.3.1.11)", () => {
    expect(parseNodeIdText("nsu=urn:a%3Bb;s=X")).toEqual({
      ok: true,
      nodeId: { namespaceUri: "urn:a;b", identifier: "s=X" },
    });
  });

  it("the OPC UA namespace (index 0) may be written ns=0, bare, or with its URI", () => {
    const zero = { ok: true, nodeId: { namespaceUri: null, identifier: "i=2258" } };
    expect(parseNodeIdText("i=2258")).toEqual(zero);
    expect(parseNodeIdText("ns=0;i=2258")).toEqual(zero);
    expect(parseNodeIdText("nsu=http://opcfoundation.org/UA/;i=2258")).toEqual(zero);
  });

  it("a raw namespace index is refused with the way out: write the namespace URI", () => {
    const r = parseNodeIdText("ns=3;s=Tank1.Level");
    expect(r.ok).toBe(false);
    expect(!r.ok && r.reason).toMatch(
      /ns=3 is a namespace index, which the server may renumber.*nsu=<URI of namespace 3>;s=Tank1\.Level/,
    );
  });

  it.each([
    ["nsu=urn:a", /needs the identifier after a ";"/],
    ["nsu=;s=X", /namespace URI after nsu= is empty/],
    ["nsu=urn:a;x=1", /is not an identifier/],
    ["nsu=urn:a;i=12ab", /not a numeric identifier/],
    ["nsu=urn:a;i=4294967296", /not a numeric identifier/],
    ["nsu=urn:a;g=not-a-guid", /is not a GUID/],
    ["nsu=urn:a;s=", /identifier is empty/],
    ["Tank1.Level", /is not an identifier/],
  ])("%s is refused", (text, reason) => {
    const r = parseNodeIdText(text);
    expect(r.ok).toBe(false);
    expect(!r.ok && r.reason).toMatch(reason);
  });

  it("the namespace URI is looked up in the server's NamespaceArray at connect", () => {
    const ns = ["http://opcfoundation.org/UA/", "urn:server", "urn:other", "urn:plc1"];
    const p = parseNodeIdText("nsu=urn:plc1;s=Tank1.Level");
    expect(p.ok && resolveNodeIdText(p.nodeId, ns)).toEqual({ ok: true, text: "ns=3;s=Tank1.Level" });
    expect(p.ok && resolveNodeIdText(p.nodeId, ns.slice(0, 3))).toEqual({
      ok: false,
      reason: 'the server has no namespace "urn:plc1" (its namespaces: urn:server, urn:other)',
    });
  });
});

describe("plant-file checks for OPC UA client bindings", () => {
  const check = async (binding: unknown) => {
    const plant = await demoPlant();
    const inst = PlantInstance.parse({ ...plant.instance, bindings: [binding] });
    const types = new Map(plant.model.types.map((t) => [t.id, t]));
    return validateOpcUaClientBindings(inst.bindings, inst.twins, types).map((i) => `${i.path}: ${i.reason}`);
  };
  const base = { format: "opcua", endpoint: "opc.tcp://plc1:4840" };

  it("a binding with namespace URIs, known twins and points passes", async () => {
    expect(
      await check({
        ...base,
        twin: "T101",
        items: [
          { nodeId: "nsu=urn:plc1;s=T101.Level", point: "level", samplingInterval: 250 },
          { nodeId: "nsu=urn:plc1;s=P101.Speed", twin: "P101", point: "speed", publishingInterval: 2000 },
        ],
      }),
    ).toEqual([]);
  });

  it("names the item, and why, for each mistake", async () => {
    expect(
      await check({
        ...base,
        security: { mode: "SignAndEncrypt", policy: "None" },
        items: [
          { nodeId: "ns=2;s=Level", twin: "T101", point: "level" },
          { nodeId: "nsu=urn:plc1;s=X", point: "level" },
          { nodeId: "nsu=urn:plc1;s=X", twin: "T999", point: "level" },
          { nodeId: "nsu=urn:plc1;s=X", twin: "T101", point: "colour" },
          { nodeId: "nsu=urn:plc1;s=L", twin: "T101", point: "volume" },
          { nodeId: "nsu=urn:plc1;s=L", twin: "T101", point: "pressure" },
        ],
      }),
    ).toEqual([
      'bindings[0].security: security mode SignAndEncrypt needs a policy: "Basic256Sha256" or "Aes256Sha256RsaPss".',
      expect.stringMatching(/^bindings\[0\]\.items\[0\]\.nodeId: ns=2 is a namespace index/) as string,
      'bindings[0].items[1].twin: which twin? Give "twin" here or on the binding.',
      'bindings[0].items[2].twin: unknown twin "T999".',
      'bindings[0].items[3].point: twin T101 has no telemetry "colour".',
      "bindings[0].items[5].nodeId: nsu=urn:plc1;s=L is already bound to twin T101 by items[4]; bind each node once.",
    ]);
  });

  it("the schema refuses an endpoint that is not opc.tcp:// and a password written into the plant file", () => {
    const r = PlantInstance.shape.bindings.safeParse([
      { ...base, endpoint: "http://plc1", items: [{ nodeId: "i=1", twin: "T101", point: "level" }] },
      {
        ...base,
        user: { type: "username", username: "u", password: "secret" },
        items: [{ nodeId: "i=1", twin: "T101", point: "level" }],
      },
    ]);
    expect(r.success).toBe(false);
    const paths = r.error!.issues.map((i) => i.path.join("."));
    expect(paths).toContain("0.endpoint");
    expect(paths.some((p) => p.startsWith("1.user"))).toBe(true);
  });
});

/** A sink that records what the reader reported. */
function recorder() {
  const got: unknown[][] = [];
  const sink: SampleSink = {
    value: (...a) => void got.push(["value", ...a]),
    status: (...a) => void got.push(["status", ...a]),
    nonNumeric: (...a) => void got.push(["nonNumeric", ...a]),
    reject: (...a) => void got.push(["reject", ...a]),
    note: (...a) => void got.push(["note", ...a]),
  };
  return { got, sink };
}

describe("one DataValue into one sample", () => {
  const SRC = new Date("2026-12-01T10:00:00.000Z");
  const SRV = new Date("2026-12-01T10:00:00.500Z");
  const read = (dv: DataValue, scale = 1, offset = 0) => {
    const { got, sink } = recorder();
    new DataValueReader().read(dv, 4, scale, offset, sink, "nsu=urn:a;s=X");
    return got;
  };
  const dv = (value: Variant, statusCode = StatusCodes.Good, sourceTimestamp: Date | null = SRC) =>
    new DataValue({ value, statusCode, sourceTimestamp, serverTimestamp: SRV });

  it("a Good Double keeps its source timestamp", () => {
    expect(read(dv(new Variant({ dataType: DataType.Double, value: 42.5 })))).toEqual([
      ["value", 4, 42.5, SRC.getTime(), Quality.GOOD, ""],
    ]);
  });

  it("without a source timestamp the server timestamp is used", () => {
    expect(read(dv(new Variant({ dataType: DataType.Float, value: 1.5 }), StatusCodes.Good, null))).toEqual([
      ["value", 4, 1.5, SRV.getTime(), Quality.GOOD, ""],
    ]);
  });

  it("scale and offset apply; Booleans read as 1 and 0; Int64 and UInt64 words are joined", () => {
    expect(read(dv(new Variant({ dataType: DataType.Int32, value: 100 })), 0.1, -5)[0]![2]).toBeCloseTo(5);
    expect(read(dv(new Variant({ dataType: DataType.Boolean, value: false })))[0]![2]).toBe(0);
    expect(
      read(
        dv(
          new Variant({
            dataType: DataType.Int64,
            arrayType: VariantArrayType.Scalar,
            value: [0xffffffff, 0xfffffffe],
          }),
        ),
      )[0]![2],
    ).toBe(-2);
    expect(
      read(dv(new Variant({ dataType: DataType.UInt64, arrayType: VariantArrayType.Scalar, value: [1, 5] })))[0]![2],
    ).toBe(4294967301);
  });

  it("Uncertain keeps the value with its code", () => {
    expect(
      read(dv(new Variant({ dataType: DataType.Double, value: 7 }), StatusCodes.UncertainLastUsableValue)),
    ).toEqual([["value", 4, 7, SRC.getTime(), Quality.UNCERTAIN, "0x40900000 UncertainLastUsableValue"]]);
  });

  it("Bad, with or without a value, marks the point bad and keeps its last value", () => {
    const none = new Variant({ dataType: DataType.Null });
    expect(read(dv(none, StatusCodes.BadNoCommunication))).toEqual([
      ["status", 4, Quality.BAD, SRC.getTime(), "0x80310000 BadNoCommunication"],
    ]);
    const stale = new Variant({ dataType: DataType.Double, value: 3 });
    expect(read(dv(stale, StatusCodes.BadSensorFailure))[0]!.slice(0, 3)).toEqual(["status", 4, Quality.BAD]);
  });

  it.each([
    ["text", new Variant({ dataType: DataType.String, value: "fast" }), /the text "fast", not a number/],
    [
      "an array",
      new Variant({ dataType: DataType.Double, arrayType: VariantArrayType.Array, value: [1, 2] }),
      /an array of 2 Double values/,
    ],
    ["NaN", new Variant({ dataType: DataType.Double, value: Number.NaN }), /NaN: not a process value/],
    [
      "Infinity",
      new Variant({ dataType: DataType.Float, value: Number.POSITIVE_INFINITY }),
      /Infinity: not a process value/,
    ],
    ["a date", new Variant({ dataType: DataType.DateTime, value: SRC }), /a DateTime, not a number/],
    ["nothing, with status Good", new Variant({ dataType: DataType.Null }), /empty although its status is Good/],
  ])("%s is refused as bad-value with the reason", (_what, value, reason) => {
    const got = read(dv(value));
    expect(got).toHaveLength(1);
    expect(got[0]![0]).toBe("reject");
    expect(got[0]![1]).toBe("bad-value");
    expect(got[0]![2]).toMatch(/^nsu=urn:a;s=X: the value is /);
    expect(got[0]![2]).toMatch(reason);
  });
});

describe("OPC UA notifications in the ingest counters", () => {
  it("each notification and each refused item counts once; the counters add up to what was received", async () => {
    const plant = await demoPlant();
    const twin = new PlantTwin(plant.model);
    const ingest = new PlantIngest(twin, []);
    const route = ingest.routeFor([{ twin: "T101", point: "level" }]);
    const reader = new DataValueReader();
    const good = new DataValue({
      value: new Variant({ dataType: DataType.Double, value: 5 }),
      sourceTimestamp: new Date(1000),
    });
    const text = new DataValue({ value: new Variant({ dataType: DataType.String, value: "x" }) });
    const now = 2000;
    expect(ingest.handleSource("src", route, (s) => reader.read(good as never, 0, 1, 0, s, "a"), now)).toBe("applied");
    expect(ingest.handleSource("src", route, (s) => reader.read(text as never, 0, 1, 0, s, "a"), now)).toBe(
      "bad-value",
    );
    ingest.refuse("src", "unknown-node", "nsu=urn:a;s=Gone: BadNodeIdUnknown");
    const c = ingest.counters;
    expect([c.applied, c["bad-value"], c["unknown-node"], c.received]).toEqual([1, 1, 1, 3]);
    expect(INGEST_OUTCOMES.reduce((n, o) => n + c[o], 0)).toBe(c.received);
    expect(twin.points[twin.indexOf("T101", "level")!]!.value).toBe(5);
  });
});
