import { readFileSync } from "node:fs";
import { resolve } from "node:path";
import { describe, expect, it } from "vitest";
import { buildPlantScene } from "../../scripts/scene/buildScene.ts";
import { parsePlantInstance, PlantInputError, type PlantInstanceJson } from "../../scripts/scene/plantJson.ts";
import { scalePlant } from "../../scripts/scene/scalePlant.ts";

const PLANT_FILE = resolve(import.meta.dirname, "../../assets/plants/demo/plant.json");
const loadPlant = (): PlantInstanceJson => parsePlantInstance(JSON.parse(readFileSync(PLANT_FILE, "utf8")), PLANT_FILE);

interface Gltf {
  asset: { version: string };
  scene: number;
  scenes: Array<{ nodes: number[] }>;
  nodes: Array<{ name: string; mesh?: number; children?: number[]; extras?: { twin?: string; type?: string } }>;
  meshes: Array<{ primitives: Array<{ attributes: Record<string, number>; indices: number; material: number }> }>;
  materials: unknown[];
  accessors: Array<{
    bufferView: number;
    byteOffset?: number;
    componentType: number;
    count: number;
    type: string;
    min?: number[];
    max?: number[];
  }>;
  bufferViews: Array<{ buffer: number; byteOffset?: number; byteLength: number }>;
  buffers: Array<{ byteLength: number }>;
}

/** Parses a GLB container, checking header and chunk layout; returns the JSON and BIN chunk. */
function parseGlb(glb: Uint8Array): { json: Gltf; bin: Uint8Array } {
  const view = new DataView(glb.buffer, glb.byteOffset, glb.byteLength);
  expect(view.getUint32(0, true)).toBe(0x46546c67); // "glTF"
  expect(view.getUint32(4, true)).toBe(2);
  expect(view.getUint32(8, true)).toBe(glb.byteLength);
  const jsonLen = view.getUint32(12, true);
  expect(view.getUint32(16, true)).toBe(0x4e4f534a); // "JSON"
  expect(jsonLen % 4).toBe(0);
  const json = JSON.parse(new TextDecoder().decode(glb.subarray(20, 20 + jsonLen))) as Gltf;
  const binHeader = 20 + jsonLen;
  const binLen = view.getUint32(binHeader, true);
  expect(view.getUint32(binHeader + 4, true)).toBe(0x004e4942); // "BIN\0"
  expect(binLen % 4).toBe(0);
  expect(binHeader + 8 + binLen).toBe(glb.byteLength);
  return { json, bin: glb.subarray(binHeader + 8, binHeader + 8 + binLen) };
}

const COMPONENT_SIZE: Record<number, number> = { 5123: 2, 5125: 4, 5126: 4 };
const TYPE_SIZE: Record<string, number> = { SCALAR: 1, VEC3: 3 };

describe("plant scene GLB", () => {
  const plant = loadPlant();
  const glb = buildPlantScene(plant);
  const { json, bin } = parseGlb(glb);

  it("is a valid glTF 2.0 binary whose accessors stay inside the BIN chunk", () => {
    expect(json.asset.version).toBe("2.0");
    expect(json.buffers).toHaveLength(1);
    expect(json.buffers[0]!.byteLength).toBeLessThanOrEqual(bin.byteLength);
    for (const bv of json.bufferViews) {
      expect((bv.byteOffset ?? 0) % 4).toBe(0);
      expect((bv.byteOffset ?? 0) + bv.byteLength).toBeLessThanOrEqual(json.buffers[0]!.byteLength);
    }
    for (const acc of json.accessors) {
      const bv = json.bufferViews[acc.bufferView]!;
      expect(bv).toBeDefined();
      const size = COMPONENT_SIZE[acc.componentType]! * TYPE_SIZE[acc.type]!;
      expect((acc.byteOffset ?? 0) + acc.count * size).toBeLessThanOrEqual(bv.byteLength);
    }
    for (const mesh of json.meshes) {
      for (const p of mesh.primitives) {
        const pos = json.accessors[p.attributes.POSITION!]!;
        expect(pos.min).toHaveLength(3);
        expect(pos.max).toHaveLength(3);
        expect(json.accessors[p.attributes.NORMAL!]!.count).toBe(pos.count);
        expect(json.materials[p.material]).toBeDefined();
        // Every index refers to an existing vertex.
        const idx = json.accessors[p.indices]!;
        const bv = json.bufferViews[idx.bufferView]!;
        const start = bin.byteOffset + (bv.byteOffset ?? 0) + (idx.byteOffset ?? 0);
        const indices =
          idx.componentType === 5123
            ? new Uint16Array(bin.buffer, start, idx.count)
            : new Uint32Array(bin.buffer, start, idx.count);
        expect(Math.max(...indices)).toBeLessThan(pos.count);
      }
    }
  });

  it("has exactly one top-level node per twin, named by the twin id, and nothing else named like a twin", () => {
    const roots = json.scenes[json.scene]!.nodes.map((i) => json.nodes[i]!);
    for (const twin of plant.twins) {
      const top = roots.filter((n) => n.name === twin.id);
      expect(top, twin.id).toHaveLength(1);
      expect(top[0]!.extras).toEqual({ twin: twin.id, type: twin.type });
      expect(top[0]!.children?.length ?? 0, `${twin.id} has geometry below it`).toBeGreaterThan(0);
      expect(
        json.nodes.filter((n) => n.name === twin.id),
        twin.id,
      ).toHaveLength(1);
    }
    // The only other top-level node holds the non-twin geometry.
    expect(roots.map((n) => n.name).filter((n) => !plant.twins.some((t) => t.id === n))).toEqual(["_environment"]);
  });

  it("reuses meshes: far fewer meshes than twin nodes, few materials", () => {
    expect(json.meshes.length * 1.5).toBeLessThan(plant.twins.length);
    const meshNodes = json.nodes.filter((n) => n.mesh !== undefined).length;
    expect(json.meshes.length * 10).toBeLessThan(meshNodes);
    const primitives = json.meshes.reduce((n, m) => n + m.primitives.length, 0);
    expect(primitives).toBeLessThan(150);
    expect(json.materials.length).toBeLessThanOrEqual(16);
    expect(glb.byteLength).toBeLessThan(1.5 * 1024 * 1024);
  });

  it("is deterministic and matches the committed scene.glb", () => {
    expect(Buffer.from(buildPlantScene(loadPlant())).equals(Buffer.from(glb))).toBe(true);
    const committed = readFileSync(resolve(PLANT_FILE, "../scene.glb"));
    expect(
      committed.equals(Buffer.from(glb)),
      "assets/plants/demo/scene.glb is stale: run npx tsx scripts/gen-scene.ts",
    ).toBe(true);
  });

  it("loads in Babylon.js (NullEngine) with every twin found by name", async () => {
    const { NullEngine } = await import("@babylonjs/core/Engines/nullEngine.js");
    const { Scene } = await import("@babylonjs/core/scene.js");
    const { LoadAssetContainerAsync } = await import("@babylonjs/core/Loading/sceneLoader.js");
    await import("@babylonjs/loaders/glTF/index.js");
    const engine = new NullEngine();
    const scene = new Scene(engine);
    try {
      const container = await LoadAssetContainerAsync(new Uint8Array(glb), scene, { pluginExtension: ".glb" });
      const names = [...container.transformNodes, ...container.meshes].map((n) => n.name);
      for (const twin of plant.twins)
        expect(
          names.filter((n) => n === twin.id),
          twin.id,
        ).toHaveLength(1);
      // Repeated mesh references arrive as instances.
      const instances = container.meshes.filter((m) => m.getClassName() === "InstancedMesh").length;
      expect(instances).toBeGreaterThan(container.meshes.length / 2);
      const p101 = [...container.transformNodes, ...container.meshes].find((n) => n.name === "P101")!;
      expect(p101.getChildMeshes().length).toBeGreaterThan(0);
    } finally {
      scene.dispose();
      engine.dispose();
    }
  });
});

describe("scalePlant", () => {
  const plant = loadPlant();

  it("replicates twins, areas and relationships with unique, remapped ids", () => {
    const x3 = scalePlant(plant, 3);
    expect(x3.id).toBe(`${plant.id}-x3`);
    expect(x3.twins).toHaveLength(plant.twins.length * 3);
    expect(x3.areas).toHaveLength(plant.areas.length * 3);
    expect(new Set(x3.twins.map((t) => t.id)).size).toBe(x3.twins.length);
    expect(x3.twins.filter((t) => t.id === "P101" || t.id === "P101-k2" || t.id === "P101-k3")).toHaveLength(3);
    expect(x3.twins.find((t) => t.id === "P101-k2")!.name).toMatch(/\(copy 2\)$/);
    const ids = new Set(x3.twins.map((t) => t.id));
    const areaIds = new Set(x3.areas.map((a) => a.id));
    for (const t of x3.twins) expect(areaIds.has(t.area), t.id).toBe(true);
    const rels = plant.relationships ?? [];
    expect(x3.relationships).toHaveLength(rels.length * 3);
    for (const r of x3.relationships ?? []) {
      expect(ids.has(r.source) && ids.has(r.target), `${r.source} ${r.name} ${r.target}`).toBe(true);
      // A relationship never crosses copies.
      expect(r.source.match(/-k\d+$/)?.[0]).toBe(r.target.match(/-k\d+$/)?.[0]);
    }
    expect(x3.relationships).toContainEqual(
      expect.objectContaining({ source: "T101-k3", name: "feeds", target: "XV101-k3" }),
    );
    // Topics follow the plant id, so the simulator (which publishes under it) feeds the scaled plant.
    expect(x3.bindings).toEqual(
      (plant.bindings as { topic: string }[]).map((b) => ({
        ...b,
        topic: b.topic.replace("gemba/demo/", "gemba/demo-x3/"),
      })),
    );
    expect(x3.types).toEqual(plant.types);
    expect(x3.models).toBe(`../${plant.id}/${plant.models}`);
  });

  it("offsets copies so they do not overlap, and the scaled plant still builds a valid scene", () => {
    const x3 = scalePlant(plant, 3);
    const boxes = [1, 2, 3].map((k) => {
      const suffix = k === 1 ? "" : `-k${k}`;
      const areas = x3.areas.filter((a) => (k === 1 ? !/-k\d+$/.test(a.id) : a.id.endsWith(suffix)));
      return [
        Math.min(...areas.map((a) => a.bounds[0])),
        Math.min(...areas.map((a) => a.bounds[1])),
        Math.max(...areas.map((a) => a.bounds[2])),
        Math.max(...areas.map((a) => a.bounds[3])),
      ];
    });
    for (let i = 0; i < boxes.length; i++) {
      for (let j = i + 1; j < boxes.length; j++) {
        const [a, b] = [boxes[i]!, boxes[j]!];
        const overlap = a[0]! < b[2]! && b[0]! < a[2]! && a[1]! < b[3]! && b[1]! < a[3]!;
        expect(overlap, `copy ${i + 1} vs ${j + 1}`).toBe(false);
      }
    }
    const { json } = parseGlb(buildPlantScene(x3));
    const roots = new Set(json.scenes[0]!.nodes.map((i) => json.nodes[i]!.name));
    for (const t of x3.twins) expect(roots.has(t.id), t.id).toBe(true);
    expect(json.meshes.length).toBe(parseGlb(buildPlantScene(plant)).json.meshes.length);
  });
});

describe("input errors", () => {
  it("rejects a twin without a usable layout with a one-sentence message", () => {
    const plant = loadPlant();
    const broken = {
      ...plant,
      twins: [
        ...plant.twins,
        { id: "X1", type: "dtmi:gemba:demo:Pump;1", name: "x", area: "process", parent: null, layout: { rotation: 3 } },
      ],
    };
    expect(() => parsePlantInstance(broken)).toThrow(PlantInputError);
    expect(() => buildPlantScene(broken as PlantInstanceJson)).toThrow(/Twin "X1" has an unknown layout/);
  });
});
