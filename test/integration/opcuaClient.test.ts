/**
 * Gemba as an OPC UA client against a real node-opcua server (security None, anonymous): a small plant of
 * variables (one changing, one Uncertain, one going Bad without a value, wrong types, a NaN, a NodeId the
 * server does not have) read through subscriptions into the room, with source timestamps and qualities;
 * bad input counted by reason in /healthz and /api/metrics; a server restart that renumbers its
 * namespaces is survived and the values resume.
 */
import fs from "node:fs";
import os from "node:os";
import path from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { DataType, StatusCodes, VariantArrayType } from "node-opcua-client";
import { freePort } from "../../kit/freePort.ts";
import { OpcUaTestServer, type TestVariable } from "../../kit/opcuaServer.ts";
import { Quality } from "../../shared/status.ts";
import type { Health } from "../../shared/protocol.ts";
import { adminMetrics, eventually, join, startServer, waitForState, type Harness } from "./harness.ts";
import { opcuaPlantDir } from "./opcuaPlant.ts";

const NS = "urn:gemba:test-plant";
const LEVEL_TS = new Date(Date.now() - 30_000);
const TEMP_TS = new Date(Date.now() - 20_000);
const VARIABLES: TestVariable[] = [
  { name: "Tank1.Level", dataType: DataType.Double, value: 42.5, sourceTimestamp: LEVEL_TS },
  {
    name: "Tank1.Temperature",
    dataType: DataType.Double,
    value: 18.25,
    status: StatusCodes.UncertainLastUsableValue,
    sourceTimestamp: TEMP_TS,
  },
  { name: "Tank1.Pressure", dataType: DataType.Double, value: 1.5 },
  { name: "Pump1.Speed", dataType: DataType.String, value: "fast" },
  { name: "Pump1.Flow", dataType: DataType.Double, value: [1, 2, 3], arrayType: VariantArrayType.Array },
  { name: "Pump1.Current", dataType: DataType.Double, value: Number.NaN },
  { name: "Pump1.Running", dataType: DataType.Boolean, value: true },
];
const item = (name: string, twin: string, point: string) => ({ nodeId: `nsu=${NS};s=${name}`, twin, point });

let port: number;
let pki: string;
let opc: OpcUaTestServer;
let h: Harness;

const health = async (): Promise<Health["plants"][number]> => {
  const body = (await (await fetch(`http://127.0.0.1:${h.server.port}/healthz`)).json()) as Health;
  return body.plants.find((p) => p.id === "opcua-it")!;
};

beforeAll(async () => {
  port = await freePort();
  pki = fs.mkdtempSync(path.join(os.tmpdir(), "gemba-opcua-server-pki-"));
  opc = await OpcUaTestServer.start({ port, pkiDir: pki, namespaceUri: NS, variables: VARIABLES });
  const plants = opcuaPlantDir("opcua-it", [
    {
      format: "opcua",
      endpoint: opc.endpoint,
      publishingInterval: 100,
      items: [
        item("Tank1.Level", "T101", "level"),
        item("Tank1.Temperature", "T101", "temperature"),
        item("Tank1.Pressure", "T101", "pressure"),
        item("Pump1.Speed", "P101", "speed"),
        item("Pump1.Flow", "P101", "flow"),
        item("Pump1.Current", "P101", "current"),
        item("Pump1.Running", "P101", "running"),
        item("Pump1.NoSuchVariable", "P101", "vibration"),
        { nodeId: "nsu=urn:not-on-this-server;s=Pump1.Power", twin: "P101", point: "power" },
      ],
    },
  ]);
  h = await startServer({ PLANTS_DIR: plants, PLANT: "opcua-it" });
}, 60_000);

afterAll(async () => {
  await h?.server.stop();
  await opc?.stop();
});

describe("OPC UA client ingest (security None, anonymous)", () => {
  it("values reach the room with the source timestamp and the quality of their StatusCode", async () => {
    const room = await join(h, "Ada", { plant: "opcua-it" });
    const point = (twin: string, p: string) => room.state.twins.get(twin)?.points.get(p);
    await waitForState(room, () => point("T101", "level")?.v === 42.5, "T101 level from the OPC UA server", 20_000);
    expect(point("T101", "level")!.ts).toBe(LEVEL_TS.getTime());
    expect(point("T101", "level")!.q).toBe(Quality.GOOD);
    await waitForState(room, () => point("T101", "temperature")?.v === 18.25, "the uncertain temperature");
    expect(point("T101", "temperature")!.q).toBe(Quality.UNCERTAIN);
    expect(point("T101", "temperature")!.ts).toBe(TEMP_TS.getTime());
    await waitForState(room, () => point("P101", "running")?.v === 1, "a Boolean read as 1");

    // The value changes on the server: the subscription brings it.
    const next = new Date();
    opc.set("Tank1.Level", 43.75, StatusCodes.Good, next);
    await waitForState(room, () => point("T101", "level")?.v === 43.75, "the changed level");
    expect(point("T101", "level")!.ts).toBe(next.getTime());

    // The device loses its sensor: Bad without a value marks the point bad and keeps the last value.
    await waitForState(room, () => point("T101", "pressure")?.v === 1.5, "the pressure before the fault");
    opc.set("Tank1.Pressure", null, StatusCodes.BadNoCommunication);
    await waitForState(room, () => point("T101", "pressure")?.q === Quality.BAD, "the pressure marked bad");
    expect(point("T101", "pressure")!.v).toBe(1.5);
    const rt = h.server.hub.loaded().find((r) => r.plant.model.id === "opcua-it")!;
    const pressure = rt.twin.points[rt.twin.indexOf("T101", "pressure")!]!;
    expect(pressure.code).toBe("0x80310000 BadNoCommunication");
    await room.leave();
  });

  it("text, arrays and NaN are refused as bad values, counted in /api/metrics, never shown", async () => {
    const rt = h.server.hub.loaded().find((r) => r.plant.model.id === "opcua-it")!;
    await eventually(() => Promise.resolve(rt.ingest.counters["bad-value"] >= 3), "three refused values");
    const metrics = await adminMetrics<{ plants: { id: string; ingest: Record<string, number> }[] }>(h.server.port);
    const ingest = metrics.plants.find((p) => p.id === "opcua-it")!.ingest;
    // At least one per variable: node-opcua's server reports the NaN again at each sampling (NaN never equals
    // itself, so it counts as a change), and each notification is counted.
    expect(ingest["bad-value"]).toBeGreaterThanOrEqual(3);
    expect(ingest["samplesRejected"]).toBe(ingest["bad-value"]);
    for (const p of ["speed", "flow", "current"]) {
      expect(Number.isNaN(rt.twin.points[rt.twin.indexOf("P101", p)!]!.value)).toBe(true);
    }
    // The other points of the same server were applied.
    expect(ingest["applied"]).toBeGreaterThanOrEqual(4);
  });

  it("a NodeId the server does not have, and a namespace it does not have, are reported with the reason", async () => {
    const plant = await eventually(async () => {
      const p = await health();
      return p.opcua[0]?.state === "connected" && p;
    }, "the OPC UA source connected");
    const src = plant.opcua[0]!;
    expect(src.endpoint).toBe(opc.endpoint);
    expect(src.security).toBe("None");
    expect(src.monitored).toBe(7);
    expect(src.refused).toEqual([
      expect.objectContaining({
        nodeId: "nsu=urn:not-on-this-server;s=Pump1.Power",
        twin: "P101",
        point: "power",
        reason: expect.stringMatching(/no namespace "urn:not-on-this-server"/) as string,
      }),
      expect.objectContaining({
        nodeId: `nsu=${NS};s=Pump1.NoSuchVariable`,
        point: "vibration",
        reason: expect.stringMatching(/BadNodeIdUnknown/) as string,
      }),
    ]);
    expect(plant.ingest["unknown-node"]).toBe(2);
    // The log names the node and the reason (rejections are logged at most once a second: this one came first).
    expect(
      h.logs.some((l) =>
        /rejected unknown-node on "opc\.tcp:.* nsu=urn:not-on-this-server;s=Pump1\.Power": .*no namespace/.test(l),
      ),
    ).toBe(true);
    const metrics = await adminMetrics<{ plants: { id: string; ingest: Record<string, number> }[] }>(h.server.port);
    expect(metrics.plants.find((p) => p.id === "opcua-it")!.ingest["unknown-node"]).toBe(2);
  });

  it("the server restarts with its namespaces renumbered: the status says reconnecting, then values resume", async () => {
    const room = await join(h, "Grace", { plant: "opcua-it" });
    await opc.stop();
    const offline = await waitForState(room, (s) => /OPC UA server .* reconnecting/.test(s.offline), "offline", 20_000);
    expect(offline.offline).toContain(opc.endpoint);
    expect((await health()).opcua[0]!.state).toBe("reconnecting");

    // Another namespace registered first: ours moves from index 2 to 3. Only its URI identifies it.
    opc = await OpcUaTestServer.start({
      port,
      pkiDir: pki,
      namespaceUri: NS,
      namespacesBefore: ["urn:gemba:another-vendor"],
      variables: VARIABLES,
    });
    opc.set("Tank1.Level", 50.5);
    const level = () => room.state.twins.get("T101")?.points.get("level");
    await waitForState(room, () => level()?.v === 50.5, "the level after the restart", 40_000);
    await waitForState(room, (s) => s.offline === "", "the plant status clear again", 20_000);
    expect(h.logs.some((l) => /renumbered its namespaces; monitoring the items again/.test(l))).toBe(true);
    expect((await health()).opcua[0]!.state).toBe("connected");
    // The same wrong-typed values come again after the restart (its items were monitored again); nothing else broke.
    opc.set("Tank1.Level", 51.25);
    await waitForState(room, () => level()?.v === 51.25, "the level keeps flowing");
    await room.leave();
  }, 90_000);
});
