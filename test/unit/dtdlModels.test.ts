/**
 * DTDL models from the wild through the real loader and Microsoft's reference parser (in a worker):
 * published ISA-95 v2 interfaces, fixtures written from the v2/v3 specifications, an IoT Central
 * device model. Each plant is built in a temp directory; the parser's verdict cache lives there too.
 */
import fs from "node:fs";
import os from "node:os";
import path from "node:path";
import { describe, expect, it } from "vitest";
import { loadPlantDir, type LoadedPlant } from "../../server/plant/loadPlant.ts";
import { type PlantIssue } from "../../server/plant/PlantError.ts";
import { loadModels } from "../../server/plant/dtdl/loadModels.ts";
import { VERDICT_CACHE_FILE } from "../../server/plant/dtdl/verdictCache.ts";
import { PlantIngest } from "../../server/ingest/PlantIngest.ts";
import { PlantTwin } from "../../server/twin/PlantTwin.ts";
import { formatValue, structuredRows } from "../../client/ui/format.ts";
import { TwinStateSync } from "../../server/rooms/TwinStateSync.ts";
import { PlantRoomState } from "../../shared/state.ts";
import { AssetStatus } from "../../shared/status.ts";
import { editJson, plantIssues } from "./fixtures.ts";

const FIXTURES = path.resolve(import.meta.dirname, "../fixtures/dtdl");
const ROBOT = "dtmi:example:gemba:Robot;1";

interface TwinSpec {
  id: string;
  type: string;
}

/** A plant directory with the given fixture folders under models/ and one twin per spec. */
function plantWith(fixtures: string[], twins: TwinSpec[], extra: Record<string, unknown> = {}): string {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), "gemba-dtdl-"));
  for (const f of fixtures) fs.cpSync(path.join(FIXTURES, f), path.join(dir, "models", f), { recursive: true });
  fs.writeFileSync(path.join(dir, "scene.glb"), "");
  const plant = {
    id: "dtdl-test",
    name: "DTDL test",
    scene: "scene.glb",
    areas: [{ id: "a", name: "Area A" }],
    twins: twins.map((t) => ({ ...t, name: t.id, area: "a" })),
    ...extra,
  };
  fs.writeFileSync(path.join(dir, "plant.json"), JSON.stringify(plant, null, 2));
  return dir;
}

/** What loading `dir` refuses; the plant must be refused. */
async function issuesOf(dir: string): Promise<PlantIssue[]> {
  const issues = await plantIssues(dir);
  expect(issues, "the plant loads, and was expected to be refused").not.toEqual([]);
  return issues;
}

/** The plant's twin fed by its own bindings through the real ingest; rejections collected as "outcome: sentence". */
function ingestInto(plant: LoadedPlant) {
  const twin = new PlantTwin(plant.model);
  const rejects: string[] = [];
  const ingest = new PlantIngest(twin, plant.bindings, {
    maxPayloadBytes: 65536,
    onReject: (o, _t, detail) => rejects.push(`${o}: ${detail}`),
  });
  const send = (topic: string, msg: unknown, now: number) =>
    ingest.handle(topic, new TextEncoder().encode(JSON.stringify(msg)), now);
  const point = (twinId: string, name: string) => twin.points[twin.indexOf(twinId, name)!]!;
  return { twin, rejects, send, point };
}

const typeOf = (p: LoadedPlant, id: string) => p.model.types.find((t) => t.id === id)!;
const pointOf = (p: LoadedPlant, type: string, name: string) => typeOf(p, type).points.find((x) => x.name === name);

describe("DTDL v3 from the specification: inheritance, schemas, components", () => {
  it("an interface reached through two extends paths (diamond) gives each point once, inherited ones first", async () => {
    const plant = await loadPlantDir(plantWith(["spec"], [{ id: "R1", type: ROBOT }]));
    expect(typeOf(plant, ROBOT).points.map((p) => p.name)).toEqual([
      "temperature",
      "ratedPower",
      "cycles",
      "position.x",
      "position.y",
      "position.z",
      "mode",
      "jointAngles",
      "toolCounters",
      "gripper.force",
    ]);
  });

  it("the diamond's asset turns normal once its telemetry reports (an unbound Property does not hold it unknown)", async () => {
    const plant = await loadPlantDir(plantWith(["spec"], [{ id: "R1", type: ROBOT }]));
    const twin = new PlantTwin(plant.model);
    const now = Date.UTC(2026, 0, 1);
    for (const p of twin.points) {
      if (p.def.kind === "telemetry") twin.apply(twin.indexOf("R1", p.def.name)!, 1, now, 0, now);
    }
    expect(twin.twins[0]!.status).toBe(AssetStatus.NORMAL);
  });

  it("Object telemetry is flattened into addressable fields with their units; a binding reaches position.x", async () => {
    const dir = plantWith(["spec"], [{ id: "R1", type: ROBOT }], {
      bindings: [
        {
          topic: "cell/R1",
          format: "json",
          twin: "R1",
          points: [
            { point: "position.x", value: "pos.x" },
            { point: "ratedPower", value: "rated" },
          ],
        },
      ],
    });
    const plant = await loadPlantDir(dir);
    expect(pointOf(plant, ROBOT, "position.x")).toMatchObject({
      displayName: "Tool position x",
      kind: "telemetry",
      schema: "double",
      unit: "metre",
      symbol: "m",
    });
    const { send, point } = ingestInto(plant);
    send("cell/R1", { pos: { x: 1.25 }, rated: 7.5 }, Date.UTC(2026, 0, 1));
    expect(point("R1", "position.x").value).toBe(1.25);
    expect(point("R1", "ratedPower").value).toBe(7.5);
  });

  it("a Property is a point like telemetry (kind property), bindable, with a long default period", async () => {
    const plant = await loadPlantDir(plantWith(["spec"], [{ id: "R1", type: ROBOT }]));
    expect(pointOf(plant, ROBOT, "ratedPower")).toMatchObject({ kind: "property", unit: "kilowatt", symbol: "kW" });
    expect(pointOf(plant, ROBOT, "ratedPower")!.period).toBeGreaterThanOrEqual(3600);
  });

  it("Enum values show by their display names (integer codes as written; text values numbered in order)", async () => {
    const plant = await loadPlantDir(
      plantWith(
        ["spec"],
        [
          { id: "R1", type: ROBOT },
          { id: "M1", type: "dtmi:example:gemba:Mixer;1" },
        ],
      ),
    );
    const mode = pointOf(plant, ROBOT, "mode")!;
    expect(mode.states).toEqual({ "0": "Idle", "1": "Automatic", "9": "Fault" });
    expect(formatValue(mode, 9, true)).toBe("Fault");
    expect(pointOf(plant, "dtmi:example:gemba:Mixer;1", "phase")!.states).toEqual({
      "0": "Charging",
      "1": "Mixing",
      "2": "Discharging",
    });
  });

  it('a text Enum value sent by the plant ("MIX") shows as its display name; an unknown text is refused, listing the known ones', async () => {
    const MIXER = "dtmi:example:gemba:Mixer;1";
    const dir = plantWith(["spec"], [{ id: "M1", type: MIXER }], {
      bindings: [{ topic: "mixer/M1/phase", format: "json", twin: "M1", point: "phase", value: "value" }],
    });
    const plant = await loadPlantDir(dir);
    const { send, point, rejects } = ingestInto(plant);
    const now = Date.UTC(2026, 0, 1);
    expect(send("mixer/M1/phase", { value: "MIX", timestamp: now - 100 }, now)).toBe("applied");
    const phase = point("M1", "phase");
    expect(formatValue(phase.def, phase.value, true)).toBe("Mixing");
    expect(send("mixer/M1/phase", { value: "PAUSE" }, now)).toBe("bad-value");
    expect(rejects).toEqual([
      'bad-value: field "value" is the text "PAUSE", not a number (integers as text, like "123", are accepted) (this point takes CHARGE, MIX, DISCHARGE)',
    ]);
    expect(phase.value).toBe(1);
  });

  it("Map and Array contents are kept as structured points; text schemas are not points", async () => {
    const plant = await loadPlantDir(plantWith(["spec"], [{ id: "R1", type: ROBOT }]));
    expect(pointOf(plant, ROBOT, "jointAngles")).toMatchObject({ schema: "structured", kind: "telemetry" });
    expect(pointOf(plant, ROBOT, "toolCounters")).toMatchObject({ schema: "structured", kind: "property" });
    expect(pointOf(plant, ROBOT, "serialNumber")).toBeUndefined();
  });

  it("a Map and an Array sent by the plant are kept as JSON and shown as a small table; a number point refuses an array", async () => {
    const dir = plantWith(["spec"], [{ id: "R1", type: ROBOT }], {
      bindings: [
        {
          topic: "cell/R1",
          format: "json",
          twin: "R1",
          timestamp: "ts",
          points: [
            { point: "jointAngles", value: "joints" },
            { point: "toolCounters", value: "tools" },
            { point: "temperature", value: "temp" },
          ],
        },
      ],
    });
    const plant = await loadPlantDir(dir);
    const { twin, send, point, rejects } = ingestInto(plant);
    const state = new PlantRoomState();
    const sync = new TwinStateSync(twin, state);
    const now = Date.UTC(2026, 0, 1);
    send(
      "cell/R1",
      { ts: now - 500, joints: [10.5, -20, 90], tools: { gripperA: 1200, welder: 37 }, temp: [1, 2] },
      now,
    );
    sync.flush();
    const points = state.twins.get("R1")!.points;
    expect(points.get("jointAngles")).toMatchObject({ json: "[10.5,-20,90]", ts: now - 500, q: 0 });
    expect(structuredRows(points.get("toolCounters")!.json)).toEqual([
      ["gripperA", "1200"],
      ["welder", "37"],
    ]);
    expect(rejects).toEqual([
      'bad-value: field "temp" is an array, not a number (other points of this message were applied)',
    ]);
    expect(point("R1", "temperature").receivedAt).toBe(0);
    sync.dispose();
  });

  it("an inline component schema is accepted and its points are named component.point", async () => {
    const plant = await loadPlantDir(plantWith(["spec"], [{ id: "R1", type: ROBOT }]));
    expect(pointOf(plant, ROBOT, "gripper.force")).toMatchObject({ displayName: "Grip force", unit: "newton" });
  });
});

describe("published ontologies: ISA-95 (DTDL v2), searched recursively", () => {
  it("interfaces in nested folders load; extends chains, string-enum Properties and Map components resolve", async () => {
    const dir = plantWith(
      ["isa95"],
      [
        { id: "Line1", type: "dtmi:digitaltwins:isa95:ProductionLine;1" },
        { id: "Press1", type: "dtmi:digitaltwins:isa95:Equipment;1" },
      ],
    );
    const plant = await loadPlantDir(dir);
    const line = typeOf(plant, "dtmi:digitaltwins:isa95:ProductionLine;1");
    expect(line.displayName).toBe("Production Line");
    expect(line.points.map((p) => p.name)).toEqual(["equipmentLevel", "tags.markers", "tags.values"]);
    expect(line.points[0]!.states).toMatchObject({ "3": "Work Center" });
    expect(typeOf(plant, "dtmi:digitaltwins:isa95:Equipment;1").points.map((p) => p.name)).toContain(
      "description.langString",
    );
  });
});

describe("bad models are refused with file, path and reason", () => {
  it("dangling extends, component and schema references each name the file and the path", async () => {
    const dir = plantWith(["spec"], [{ id: "R1", type: ROBOT }]);
    editJson(path.join(dir, "models/spec/Robot.json"), (d) => {
      d["extends"] = ["dtmi:example:gemba:ElectricalMachine;1", "dtmi:example:gemba:Hydraulic;1"];
      const contents = d["contents"] as Record<string, unknown>[];
      contents.push({ "@type": "Component", name: "vision", schema: "dtmi:example:gemba:Camera;1" });
      contents.push({ "@type": "Telemetry", name: "recipe", schema: "dtmi:example:gemba:RecipeSchema;1" });
    });
    const issues = await issuesOf(dir);
    expect(issues).toEqual([
      {
        file: "models/spec/Robot.json",
        path: "extends[1]",
        reason:
          "extends dtmi:example:gemba:Hydraulic;1, which no model file defines (check the DTMI and its version, or add the file).",
      },
      {
        file: "models/spec/Robot.json",
        path: "contents[7].schema",
        reason:
          "uses the schema dtmi:example:gemba:Camera;1, which no model file defines (check the DTMI and its version, or add the file).",
      },
      {
        file: "models/spec/Robot.json",
        path: "contents[8].schema",
        reason:
          "uses the schema dtmi:example:gemba:RecipeSchema;1, which no model file defines (check the DTMI and its version, or add the file).",
      },
    ]);
  });

  it("a unit outside its semantic type is refused at the element's path with the parser's reason", async () => {
    const dir = plantWith(["spec"], [{ id: "R1", type: ROBOT }]);
    editJson(path.join(dir, "models/spec/Machine.json"), (d) => {
      (d["contents"] as Record<string, unknown>[])[0]!["unit"] = "millimetrePerSecond";
    });
    const issues = await issuesOf(dir);
    expect(issues[0]).toMatchObject({ file: "models/spec/Machine.json", path: "contents[0].unit" });
    expect(issues[0]!.reason).toMatch(/'millimetrePerSecond'/);
  });

  it("a field of an Object with a bad schema is located inside the object", async () => {
    const dir = plantWith(["spec"], [{ id: "R1", type: ROBOT }]);
    editJson(path.join(dir, "models/spec/Robot.json"), (d) => {
      const pos = (d["contents"] as { schema: { fields: Record<string, unknown>[] } }[])[0]!;
      pos.schema.fields[1]!["schema"] = "quantum";
    });
    const issues = await issuesOf(dir);
    expect(issues[0]).toMatchObject({ file: "models/spec/Robot.json", path: "contents[0].schema.fields[1].schema" });
    expect(issues[0]!.reason).toMatch(/'quantum'/);
  });
});

describe("extension contexts", () => {
  it("IoT Central's context is accepted with a warning naming the file; its geopoint reads as lon/lat/alt fields", async () => {
    const dir = plantWith(["iotcentral"], [{ id: "TC1", type: "dtmi:com:example:TemperatureController;2" }]);
    const plant = await loadPlantDir(dir);
    expect(plant.warnings).toEqual([
      {
        file: "models/iotcentral/TemperatureController.json",
        path: "[0].@context[0]",
        reason:
          'extension context "dtmi:iotcentral:context;2" accepted; its semantic types mean nothing to Gemba (its schemas, e.g. geopoint, are read as DTDL objects).',
      },
    ]);
    expect(typeOf(plant, "dtmi:com:example:TemperatureController;2").points.map((p) => p.name)).toEqual([
      "workingSet",
      "location.lon",
      "location.lat",
      "location.alt",
      "thermostat1.temperature",
      "thermostat1.targetTemperature",
    ]);
  });

  it("a context nobody knows is left out with a warning, and the plant loads", async () => {
    const dir = plantWith(["spec"], [{ id: "R1", type: ROBOT }]);
    editJson(path.join(dir, "models/spec/lines/Mechanical.json"), (d) => {
      d["@context"] = ["dtmi:dtdl:context;3", "dtmi:acme:plantfloor:context;1"];
    });
    const plant = await loadPlantDir(dir);
    expect(plant.warnings).toEqual([
      {
        file: "models/spec/lines/Mechanical.json",
        path: "@context[1]",
        reason:
          'unknown extension context "dtmi:acme:plantfloor:context;1" ignored; terms that only it defines are refused.',
      },
    ]);
    expect(typeOf(plant, ROBOT).points.map((p) => p.name)).toContain("cycles");
  });
});

describe("the parser's verdict is cached by the models' content", () => {
  it("a second load reads the cache; changing one model file runs the parser again", async () => {
    const dir = plantWith(["spec"], [{ id: "R1", type: ROBOT }]);
    const models = path.join(dir, "models");
    const first = await loadModels(dir, models, []);
    expect(first.cached).toBe(false);
    expect(fs.existsSync(path.join(models, VERDICT_CACHE_FILE))).toBe(true);
    const second = await loadModels(dir, models, []);
    expect(second.cached).toBe(true);
    expect(second.interfaces?.get(ROBOT)?.points.length).toBe(first.interfaces?.get(ROBOT)?.points.length);
    editJson(path.join(models, "spec/Machine.json"), (d) => {
      d["displayName"] = "Machine (renamed)";
    });
    const third = await loadModels(dir, models, []);
    expect(third.cached).toBe(false);
    expect(third.interfaces?.get("dtmi:example:gemba:Machine;1")?.displayName).toBe("Machine (renamed)");
  });
});
