/**
 * Builds the plant's 3D scene (GLB) from its instance file, so geometry and
 * twin ids cannot drift apart.
 *
 * Node contract: every twin gets exactly one top-level node (a child of the
 * scene root) named exactly the twin id, placed at its layout position and
 * rotation, with `extras: { twin, type }`; its meshes hang below it in child
 * nodes named "<id>.<part>". Everything that is not a twin (floor, area zones,
 * safety lines, walkways, columns, interconnecting pipes) lives under the
 * top-level node "_environment".
 *
 * Draw calls: one glTF mesh per (type, part), one primitive per material,
 * referenced by every asset of that type (Babylon's loader instances repeated
 * mesh references). Sizes vary through child-node scale only.
 *
 * One file per part: parts/ holds each kind of equipment's geometry (meshCatalogue.ts names them), placement.ts
 * where each twin stands, twinNodes.ts a twin's node, floorNodes.ts / walkwayNodes.ts / structureNodes.ts the
 * building, interconnectNodes.ts the decorative pipes (routed by pipeRouting.ts, drawn by pipeRunNodes.ts).
 */
import { SceneMeshes } from "./SceneMeshes.ts";
import { areaNodes, floorNode, type FloorRect } from "./floorNodes.ts";
import type { GlbStats } from "./glb.ts";
import { interconnectNodes } from "./interconnectNodes.ts";
import { pipeRunDrawer } from "./pipeRunNodes.ts";
import { placeTwins } from "./placement.ts";
import type { PlantInstanceJson } from "./plantJson.ts";
import { structureNodes } from "./structureNodes.ts";
import { twinNode } from "./twinNodes.ts";
import { walkwayNodes } from "./walkwayNodes.ts";

export type { PlantInstanceJson } from "./plantJson.ts";

export interface PlantSceneResult {
  glb: Uint8Array;
  stats: GlbStats & { bytes: number; twins: number };
}

/** Builds the GLB for a plant instance (see the module comment for the node contract). */
export function buildPlantScene(plant: PlantInstanceJson): Uint8Array {
  return buildPlantSceneWithStats(plant).glb;
}

export function buildPlantSceneWithStats(plant: PlantInstanceJson): PlantSceneResult {
  // Resolve layouts first (throws on an unknown layout before anything is written).
  const { twins, placed } = placeTwins(plant);
  const scene = new SceneMeshes();
  const pipeRunNodes = pipeRunDrawer(scene, plant, placed);

  // Twins (built first so meshes appear in type order; node order is irrelevant to readers).
  const twinRoots = twins.map((t) => twinNode(scene, pipeRunNodes, t));

  // Environment.
  const bbox = plantBounds(plant);
  const margin = 5;
  const floor: FloorRect = [bbox[0] - margin, bbox[1] - margin, bbox[2] + margin, bbox[3] + margin];
  const env = [
    floorNode(scene, floor),
    areaNodes(scene, plant),
    walkwayNodes(scene, plant, bbox),
    structureNodes(scene, floor),
    interconnectNodes(scene, plant, placed, pipeRunNodes),
  ].filter((n) => n !== undefined);

  const { w } = scene;
  const envRoot = w.addNode({ name: "_environment", children: env });
  w.setScene([envRoot, ...twinRoots], { plant: plant.id });
  const glb = w.toGlb();
  return { glb, stats: { ...w.stats(), bytes: glb.length, twins: twinRoots.length } };
}

/** [xMin, zMin, xMax, zMax] over areas, placed twins and pipe paths. */
export function plantBounds(plant: PlantInstanceJson): [number, number, number, number] {
  let x0 = Infinity;
  let z0 = Infinity;
  let x1 = -Infinity;
  let z1 = -Infinity;
  const add = (x: number, z: number): void => {
    x0 = Math.min(x0, x);
    z0 = Math.min(z0, z);
    x1 = Math.max(x1, x);
    z1 = Math.max(z1, z);
  };
  for (const a of plant.areas) {
    add(a.bounds[0], a.bounds[1]);
    add(a.bounds[2], a.bounds[3]);
  }
  for (const t of plant.twins) {
    const l = t.layout;
    if (l?.position && l.position.length === 3) add(l.position[0]!, l.position[2]!);
    for (const p of l?.path ?? []) if (p.length === 3) add(p[0]!, p[2]!);
  }
  if (!Number.isFinite(x0)) return [-10, -10, 10, 10];
  return [x0, z0, x1, z1];
}
