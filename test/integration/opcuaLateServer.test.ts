/**
 * Gemba starts while its OPC UA server is still down (a PLC booting after a power cut): the plant starts anyway,
 * the plant status and /healthz say the server is not answering, and values flow once it comes up.
 */
import fs from "node:fs";
import os from "node:os";
import path from "node:path";
import { afterAll, describe, expect, it } from "vitest";
import { DataType } from "node-opcua-client";
import { freePort } from "../../kit/freePort.ts";
import { OpcUaTestServer } from "../../kit/opcuaServer.ts";
import type { Health } from "../../shared/protocol.ts";
import { join, startServer, waitForState, type Harness } from "./harness.ts";
import { opcuaPlantDir } from "./opcuaPlant.ts";

const NS = "urn:gemba:late-plant";
let h: Harness | undefined;
let opc: OpcUaTestServer | undefined;

afterAll(async () => {
  await h?.server.stop();
  await opc?.stop();
});

describe("OPC UA server down when Gemba starts", () => {
  it("the plant opens, says the server is not answering, and shows values once the server is up", async () => {
    const port = await freePort();
    const endpoint = `opc.tcp://127.0.0.1:${port}`;
    const plants = opcuaPlantDir("opcua-late", [
      {
        format: "opcua",
        endpoint,
        publishingInterval: 100,
        items: [{ nodeId: `nsu=${NS};s=Tank.Level`, twin: "T101", point: "level" }],
      },
    ]);
    h = await startServer({ PLANTS_DIR: plants, PLANT: "opcua-late" });
    const room = await join(h, "Ada", { plant: "opcua-late" });
    const waiting = await waitForState(
      room,
      (s) => /no answer from the server/.test(s.offline),
      "not answering",
      20_000,
    );
    expect(waiting.offline).toMatch(new RegExp(`^OPC UA server ${endpoint}: connecting \\(no answer from the server`));
    const health = (await (await fetch(`http://127.0.0.1:${h.server.port}/healthz`)).json()) as Health;
    expect(health.plants.find((p) => p.id === "opcua-late")!.opcua[0]).toMatchObject({ endpoint, state: "connecting" });

    opc = await OpcUaTestServer.start({
      port,
      pkiDir: fs.mkdtempSync(path.join(os.tmpdir(), "gemba-opcua-late-pki-")),
      namespaceUri: NS,
      variables: [{ name: "Tank.Level", dataType: DataType.Double, value: 64.5 }],
    });
    await waitForState(room, (s) => s.twins.get("T101")?.points.get("level")?.v === 64.5, "the level", 30_000);
    await waitForState(room, (s) => s.offline === "", "the plant status clear", 10_000);
    await room.leave();
  }, 90_000);
});
