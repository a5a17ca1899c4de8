/**
 * The demo against the simulated plant's OPC UA server (`npm run sim -- --opcua`): a plant whose only binding
 * is the one `--binding` prints reads every simulated point over OPC UA, live, with the simulator's timestamps.
 */
import fs from "node:fs";
import os from "node:os";
import path from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { freePort } from "../../kit/freePort.ts";
import { OpcUaSimServer, SIM_NAMESPACE } from "../../server/sim/OpcUaSimServer.ts";
import { runCli } from "../../server/sim/cli.ts";
import type { Health } from "../../shared/protocol.ts";
import { demoPlant } from "../unit/fixtures.ts";
import { eventually, join, startServer, waitForState, type Harness } from "./harness.ts";
import { opcuaPlantDir } from "./opcuaPlant.ts";

let sim: OpcUaSimServer;
let h: Harness;
let binding: { endpoint: string; items: { nodeId: string; twin: string; point: string }[] };

beforeAll(async () => {
  const port = await freePort();
  const model = (await demoPlant()).model;
  const lines: string[] = [];
  // The binding exactly as the CLI prints it for the user to paste into plant.json.
  const code = await runCli(["--opcua", "--binding", "--port", String(port)], {
    out: (l) => lines.push(l),
    err: (l) => lines.push(l),
    env: {},
  });
  expect(code).toBe(0);
  binding = JSON.parse(lines.join("\n")) as typeof binding;
  sim = await OpcUaSimServer.start({
    model,
    port,
    pkiDir: fs.mkdtempSync(path.join(os.tmpdir(), "gemba-opcua-sim-pki-")),
  });
  expect(sim.endpoint).toBe(binding.endpoint);
  h = await startServer({ PLANTS_DIR: opcuaPlantDir("opcua-demo", [binding]), PLANT: "opcua-demo" });
}, 60_000);

afterAll(async () => {
  await h?.server.stop();
  await sim?.stop();
});

describe("the demo plant over OPC UA (npm run sim -- --opcua)", () => {
  it("the printed binding names every point of the demo plant by namespace URI", () => {
    const twin = h.server.hub.loaded().find((r) => r.plant.model.id === "opcua-demo")!.twin;
    expect(binding.items).toHaveLength(twin.points.filter((p) => p.def.kind === "telemetry").length);
    expect(binding.items.every((i) => i.nodeId === `nsu=${SIM_NAMESPACE};s=${i.twin}/${i.point}`)).toBe(true);
  });

  it("every simulated point reaches the twin, and values keep moving in the room", async () => {
    const rt = h.server.hub.loaded().find((r) => r.plant.model.id === "opcua-demo")!;
    // Every telemetry point the simulator produces (properties, like a tank's capacity, it does not simulate).
    const missing = () =>
      rt.twin.points.filter((p) => p.def.kind === "telemetry" && !Number.isFinite(p.value)).map((p) => p.key);
    await eventually(() => Promise.resolve(missing().length === 0), "every simulated point with a value", 30_000).catch(
      (e: Error) => {
        throw new Error(`${e.message}; missing ${missing().length}: ${missing().slice(0, 5).join(", ")}`);
      },
    );
    const body = (await (await fetch(`http://127.0.0.1:${h.server.port}/healthz`)).json()) as Health;
    expect(body.plants.find((p) => p.id === "opcua-demo")!.opcua).toEqual([
      expect.objectContaining({
        endpoint: sim.endpoint,
        state: "connected",
        monitored: binding.items.length,
        refused: [],
      }),
    ]);

    const room = await join(h, "Ada", { plant: "opcua-demo" });
    const flow = () => room.state.twins.get("P101")?.points.get("flow");
    const first = await waitForState(room, () => flow() !== undefined, "P101 flow in the room");
    const ts = first.twins.get("P101")!.points.get("flow")!.ts;
    await waitForState(room, () => flow()!.ts > ts, "a newer P101 flow sample", 20_000);
    await room.leave();
  });
});
