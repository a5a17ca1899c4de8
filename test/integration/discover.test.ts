/**
 * `npm run plant:discover` against the real Mosquitto: the demo plant's simulator publishing JSON under
 * a topic prefix of its own, and Eclipse Tahu's reference edge node (`sparkplug-client`) in a Sparkplug
 * group of its own. The plant it writes must pass `npm run plant:check` (the same validator start-up uses).
 */
import { execFile } from "node:child_process";
import fs from "node:fs";
import path from "node:path";
import { randomUUID } from "node:crypto";
import { promisify } from "node:util";
import { afterEach, describe, expect, it } from "vitest";
import { runDiscover, startDemoSimulator, startFillerEdgeNode, tempDir } from "../../kit/discover.ts";
import { MOSQUITTO } from "./harness.ts";

const run = promisify(execFile);
const ROOT = path.resolve(import.meta.dirname, "../..");

const cleanups: (() => unknown)[] = [];
afterEach(async () => {
  for (const c of cleanups.splice(0).reverse()) await c();
});

const tmpDir = (): string => tempDir("gemba-discover-", cleanups);

describe("plant:discover on the real Mosquitto", () => {
  it("the simulator's JSON tree and a Tahu edge node become a starter plant that passes plant:check", async () => {
    const prefix = `gemba-discover-${randomUUID().slice(0, 8)}/`;
    const group = `Discover-${randomUUID().slice(0, 8)}`;
    cleanups.push(await startDemoSimulator(MOSQUITTO, prefix));
    const out = path.join(tmpDir(), "found");
    const discover = runDiscover([
      "--mqtt",
      MOSQUITTO,
      "--seconds",
      "12",
      "--out",
      out,
      "--topic",
      `${prefix}#`,
      "--topic",
      `spBv1.0/${group}/#`,
    ]);
    const edge = await startFillerEdgeNode(MOSQUITTO, group);
    cleanups.push(() => edge.stop());
    await discover.listening;
    edge.birth();
    const { code, out: printed } = await discover.done;
    expect(code, printed).toBe(0);
    expect(printed).toMatch(/\d+ s of 12: \d+ messages, \d+ topics, 1 Sparkplug edge node, 1 device/);
    expect(printed).toContain(
      "found: 2 assets from Sparkplug B edge nodes and devices, 51 from JSON topics (UNS), 0 from OPC UA PubSub JSON writers",
    );

    const plant = JSON.parse(fs.readFileSync(path.join(out, "plant.json"), "utf8")) as {
      id: string;
      scene?: string;
      twins: { id: string; type: string; parent: string | null; area: string }[];
      bindings: Record<string, unknown>[];
    };
    expect(plant.id).toBe("found");
    expect(plant.scene).toBeUndefined();
    // The simulator's tree: every demo asset under one template binding, names as published.
    const demo = JSON.parse(fs.readFileSync(path.join(ROOT, "assets/plants/demo/plant.json"), "utf8")) as {
      twins: { id: string }[];
    };
    for (const t of demo.twins) expect(plant.twins.map((x) => x.id)).toContain(t.id);
    expect(plant.bindings).toContainEqual({ topic: `${prefix}gemba/demo/{twin}/{point}`, format: "json", value: "$" });
    // Same points, same kind of asset: the demo's pumps share one interface.
    const typeOf = (id: string) => plant.twins.find((t) => t.id === id)!.type;
    expect(typeOf("P101")).toBe(typeOf("P201"));
    expect(typeOf("P101")).not.toBe(typeOf("T101"));
    // The edge node and its device, with its numeric metrics only (not the serial text, not control metrics).
    expect(plant.twins.find((t) => t.id === "Capper1")).toMatchObject({ parent: "Filler1" });
    expect(plant.bindings).toContainEqual({
      format: "sparkplug",
      group,
      node: "Filler1",
      metrics: { "Bottles/Count": "Filler1/Bottles_Count", "Bowl Level": "Filler1/Bowl_Level" },
    });
    expect(plant.bindings).toContainEqual({
      format: "sparkplug",
      group,
      node: "Filler1",
      device: "Capper1",
      metrics: { Torque: "Capper1/Torque" },
    });

    // The edge node's interface is DTDL v2 with the types its birth declared.
    const filler = fs
      .readdirSync(path.join(out, "models"))
      .map((f) => JSON.parse(fs.readFileSync(path.join(out, "models", f), "utf8")) as Record<string, unknown>)
      .find((d) => d["@id"] === typeOf("Filler1"))!;
    expect(filler["@context"]).toBe("dtmi:dtdl:context;2");
    expect(filler["contents"]).toEqual([
      { "@type": "Telemetry", name: "Bottles_Count", displayName: "Bottles/Count", schema: "long" },
      { "@type": "Telemetry", name: "Bowl_Level", displayName: "Bowl Level", schema: "double" },
    ]);

    const check = await run(process.execPath, ["--import", "tsx", "scripts/plant-check.ts", out], { cwd: ROOT });
    expect(check.stdout).toMatch(/OK: plant "found" with \d+ types, 53 assets/);
  }, 90_000);

  it("a broker with nothing readable: no plant is written, and it says what it heard", async () => {
    const prefix = `gemba-discover-${randomUUID().slice(0, 8)}/`;
    const out = path.join(tmpDir(), "empty");
    const discover = runDiscover(["--mqtt", MOSQUITTO, "--seconds", "1", "--out", out, "--topic", `${prefix}#`]);
    const { code, out: printed } = await discover.done;
    expect(code).toBe(1);
    expect(printed).toContain(`Nothing Gemba can read was published on ${MOSQUITTO}: 0 messages on 0 topics`);
    expect(fs.existsSync(out)).toBe(false);
  });

  it("an unreachable broker is a clear error, not a hang", async () => {
    const { code, out } = await runDiscover(["--mqtt", "mqtt://127.0.0.1:1", "--seconds", "1"]).done;
    expect(code).toBe(1);
    expect(out).toMatch(/Cannot listen to mqtt:\/\/127\.0\.0\.1:1: .*ECONNREFUSED/);
  });
});
