/**
 * `npm run plant:discover -- --opcua` against real node-opcua servers: the simulated demo plant
 * (`npm run sim -- --opcua`), whose starter plant must pass `npm run plant:check`, bind every simulated
 * variable once and start showing live values; a small server with an AnalogItem (EngineeringUnits), a
 * text and an array variable; and an endpoint where nothing answers.
 */
import { execFile } from "node:child_process";
import fs from "node:fs";
import path from "node:path";
import { promisify } from "node:util";
import { DataType, SecurityPolicy, VariantArrayType } from "node-opcua-client";
import { afterEach, describe, expect, it } from "vitest";
import { runDiscover, tempDir } from "../../kit/discover.ts";
import { freePort } from "../../kit/freePort.ts";
import { OpcUaTestServer } from "../../kit/opcuaServer.ts";
import { OpcUaSimServer, simBinding } from "../../server/sim/OpcUaSimServer.ts";
import { demoPlant } from "../unit/fixtures.ts";
import { eventually, startServer } from "./harness.ts";

const run = promisify(execFile);
const ROOT = path.resolve(import.meta.dirname, "../..");

const cleanups: (() => unknown)[] = [];
afterEach(async () => {
  for (const c of cleanups.splice(0).reverse()) await c();
});

const tmpDir = (prefix: string): string => tempDir(prefix, cleanups);

interface WrittenPlant {
  id: string;
  twins: { id: string; type: string; area: string }[];
  types: Record<string, { points: Record<string, { period: number; symbol?: string }> }>;
  bindings: { format: string; endpoint: string; items: { nodeId: string; twin: string; point: string }[] }[];
}

const readPlant = (dir: string) => JSON.parse(fs.readFileSync(path.join(dir, "plant.json"), "utf8")) as WrittenPlant;

async function plantCheck(dir: string): Promise<string> {
  const { stdout } = await run(process.execPath, ["--import", "tsx", "scripts/plant-check.ts", dir], { cwd: ROOT });
  return stdout;
}

describe("plant:discover --opcua on real OPC UA servers", () => {
  it("the simulated demo plant: every simulated variable bound once, plant:check passes, Gemba shows live values", async () => {
    const model = (await demoPlant()).model;
    const sim = await OpcUaSimServer.start({
      model,
      port: await freePort(),
      pkiDir: tmpDir("gemba-discover-sim-pki-"),
    });
    cleanups.push(() => sim.stop());
    const plants = tmpDir("gemba-discover-opcua-");
    const out = path.join(plants, "found");

    const { code, out: printed } = await runDiscover(["--opcua", sim.endpoint, "--out", out]).done;
    expect(code, printed).toBe(0);
    expect(printed).toMatch(/\d+ nodes browsed, 300 variables found, \d+\.\d s/);
    expect(printed).toContain("one OPC UA binding with 300 variables.");

    const plant = readPlant(out);
    expect(plant.bindings).toHaveLength(1);
    const [binding] = plant.bindings;
    expect(binding).toMatchObject({ format: "opcua", endpoint: sim.endpoint });
    // The simulator names each variable after its twin and point, and so does the starter plant.
    const expected = (simBinding(model, sim.endpoint).items as { nodeId: string; twin: string; point: string }[])
      .map((i) => `${i.nodeId} -> ${i.twin}.${i.point}`)
      .sort();
    const written = binding!.items.map((i) => `${i.nodeId} -> ${i.twin}.${i.point}`).sort();
    expect(written).toEqual(expected);
    expect(new Set(binding!.items.map((i) => i.nodeId)).size).toBe(binding!.items.length);
    expect(binding!.items.every((i) => i.nodeId.startsWith("nsu=urn:gemba:demo-sim;s="))).toBe(true);
    // The Server object (namespace 0) is not an asset; the plant object the twins hang under is their area.
    expect(plant.twins.map((t) => t.id)).not.toContain("Server");
    expect(new Set(plant.twins.map((t) => t.area))).toEqual(new Set(["demo-beverage-plant"]));

    expect(await plantCheck(out)).toMatch(/OK: plant "found" with \d+ types, 51 assets, 300 points/);

    // Started as written: every bound point gets a value from the server.
    const h = await startServer({ PLANTS_DIR: plants, PLANT: "found" });
    cleanups.push(() => h.server.stop());
    const rt = h.server.hub.loaded().find((r) => r.plant.model.id === "found")!;
    const missing = () => rt.twin.points.filter((p) => !Number.isFinite(p.value)).map((p) => p.key);
    await eventually(
      () => Promise.resolve(missing().length === 0),
      "every discovered point with a value",
      30_000,
    ).catch((e: Error) => {
      throw new Error(`${e.message}; missing ${missing().length}: ${missing().slice(0, 5).join(", ")}`);
    });
  }, 90_000);

  it("units from EngineeringUnits; text and arrays left out; a namespace URI with ';' is escaped", async () => {
    const namespaceUri = "urn:plant;line1";
    const server = await OpcUaTestServer.start({
      port: await freePort(),
      pkiDir: tmpDir("gemba-discover-pki-"),
      namespaceUri,
      namespacesBefore: ["urn:vendor:other"],
      variables: [
        // UNECE Rec 20 "CEL" (degree Celsius) as OPC 10000-8 5.6.3 encodes it: 0x43454C.
        {
          name: "Tank1.Temperature",
          dataType: DataType.Double,
          value: 21.5,
          engineeringUnits: { unitId: 4408652, displayName: "°C" },
        },
        { name: "Tank1.Running", dataType: DataType.Boolean, value: true },
        { name: "Tank1.Batches", dataType: DataType.UInt32, value: 7 },
        { name: "Tank1.Recipe", dataType: DataType.String, value: "Cola" },
        { name: "Tank1.Profile", dataType: DataType.Double, value: [1, 2], arrayType: VariantArrayType.Array },
      ],
    });
    cleanups.push(() => server.stop());
    const out = path.join(tmpDir("gemba-discover-opcua-"), "tanks");

    const { code, out: printed } = await runDiscover(["--opcua", server.endpoint, "--out", out]).done;
    expect(code, printed).toBe(0);
    expect(printed).toContain("2 variables were left out: text, arrays, structures or types Gemba does not show.");

    const plant = readPlant(out);
    expect(plant.twins).toEqual([expect.objectContaining({ id: "Plant", area: "objects" })]);
    const nsu = "nsu=urn:plant%3Bline1;s=";
    expect(plant.bindings[0]!.items).toEqual([
      { nodeId: `${nsu}Tank1.Temperature`, twin: "Plant", point: "Tank1_Temperature" },
      { nodeId: `${nsu}Tank1.Running`, twin: "Plant", point: "Tank1_Running" },
      { nodeId: `${nsu}Tank1.Batches`, twin: "Plant", point: "Tank1_Batches" },
    ]);
    const type = plant.types[plant.twins[0]!.type]!;
    expect(type.points["Tank1_Temperature"]).toEqual({ period: 60, symbol: "°C" });
    expect(type.points["Tank1_Running"]).toEqual({ period: 60 });
    const iface = JSON.parse(
      fs.readFileSync(path.join(out, "models", fs.readdirSync(path.join(out, "models"))[0]!), "utf8"),
    ) as { contents: { name: string; schema: string }[] };
    expect(iface.contents.map((c) => `${c.name}:${c.schema}`)).toEqual([
      "Tank1_Temperature:double",
      "Tank1_Running:boolean",
      "Tank1_Batches:long",
    ]);
    expect(await plantCheck(out)).toMatch(/OK: plant "tanks" with 1 types, 1 assets, 3 points/);
  }, 60_000);

  it("the walk's bounds: --max-nodes stops it with a note; --depth above every variable writes nothing and says why", async () => {
    const server = await OpcUaTestServer.start({
      port: await freePort(),
      pkiDir: tmpDir("gemba-discover-pki-"),
      namespaceUri: "urn:gemba:bounds",
      variables: [
        { name: "A", dataType: DataType.Double, value: 1 },
        { name: "B", dataType: DataType.Double, value: 2 },
        { name: "C", dataType: DataType.Double, value: 3 },
      ],
    });
    cleanups.push(() => server.stop());
    const base = tmpDir("gemba-discover-opcua-");

    // Objects, Plant and one variable: three nodes.
    const capped = await runDiscover([
      "--opcua",
      server.endpoint,
      "--max-nodes",
      "3",
      "--out",
      path.join(base, "capped"),
    ]).done;
    expect(capped.code, capped.out).toBe(0);
    expect(capped.out).toContain("note: browsing stopped at --max-nodes before the whole address space was seen");
    expect(readPlant(path.join(base, "capped")).bindings[0]!.items).toHaveLength(1);

    const shallow = await runDiscover(["--opcua", server.endpoint, "--depth", "1", "--out", path.join(base, "shallow")])
      .done;
    expect(shallow.code).toBe(1);
    expect(shallow.out).toContain(
      `No variable with a number or on/off value was found on ${server.endpoint} (1 node browsed below Objects; ` +
        "objects deeper than --depth were not browsed; raise it to find more).",
    );
    expect(fs.existsSync(path.join(base, "shallow"))).toBe(false);
  }, 60_000);

  it("a server that wants SignAndEncrypt and a user: the binding carries both, the password only by its variable", async () => {
    const server = await OpcUaTestServer.start({
      port: await freePort(),
      pkiDir: tmpDir("gemba-discover-pki-"),
      namespaceUri: "urn:gemba:secured",
      variables: [{ name: "Tank.Level", dataType: DataType.Double, value: 3.5 }],
      secured: {
        policy: SecurityPolicy.Basic256Sha256,
        username: "operator",
        password: "correct horse battery staple",
      },
    });
    cleanups.push(() => server.stop());
    process.env["GEMBA_TEST_DISCOVER_PASSWORD"] = "correct horse battery staple";
    process.env["GEMBA_TEST_DISCOVER_WRONG"] = "not the password";
    cleanups.push(() => {
      delete process.env["GEMBA_TEST_DISCOVER_PASSWORD"];
      delete process.env["GEMBA_TEST_DISCOVER_WRONG"];
    });
    const base = tmpDir("gemba-discover-opcua-");
    const args = (out: string, passwordEnv: string) => [
      "--opcua",
      server.endpoint,
      "--security",
      "SignAndEncrypt:Basic256Sha256",
      "--user",
      "operator",
      "--password-env",
      passwordEnv,
      "--out",
      path.join(base, out),
    ];

    const refused = await runDiscover(args("refused", "GEMBA_TEST_DISCOVER_WRONG")).done;
    expect(refused.code).toBe(1);
    expect(refused.out).toMatch(
      new RegExp(
        `Cannot browse ${server.endpoint}: the server refused user "operator" \\(.*\\); check --user and the password variable\\.`,
      ),
    );
    expect(fs.existsSync(path.join(base, "refused"))).toBe(false);

    const { code, out: printed } = await runDiscover(args("secured", "GEMBA_TEST_DISCOVER_PASSWORD")).done;
    expect(code, printed).toBe(0);
    expect(printed).not.toContain("correct horse");
    const written = fs.readFileSync(path.join(base, "secured", "plant.json"), "utf8");
    expect(written).not.toContain("correct horse");
    expect(JSON.parse(written)).toMatchObject({
      bindings: [
        {
          format: "opcua",
          endpoint: server.endpoint,
          security: { mode: "SignAndEncrypt", policy: "Basic256Sha256" },
          user: { type: "username", username: "operator", passwordEnv: "GEMBA_TEST_DISCOVER_PASSWORD" },
          items: [{ nodeId: "nsu=urn:gemba:secured;s=Tank.Level", twin: "Plant", point: "Tank_Level" }],
        },
      ],
    });
    expect(await plantCheck(path.join(base, "secured"))).toMatch(/OK: plant "secured"/);
  }, 60_000);

  it("an endpoint where no server answers: one clear sentence, nothing written", async () => {
    const endpoint = `opc.tcp://127.0.0.1:${await freePort()}`;
    const out = path.join(tmpDir("gemba-discover-opcua-"), "none");
    const { code, out: printed } = await runDiscover(["--opcua", endpoint, "--out", out]).done;
    expect(code).toBe(1);
    expect(printed).toContain(
      `Cannot browse ${endpoint}: no OPC UA server answers there; check the host, the port and that the server is running.`,
    );
    expect(fs.existsSync(out)).toBe(false);
  });
});
