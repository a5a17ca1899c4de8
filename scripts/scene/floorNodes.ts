/** The floor slab under the plant, and each area's coloured zone with its yellow safety lines. */
import type { SceneMeshes } from "./SceneMeshes.ts";
import { ZONE_MATS } from "./materials.ts";
import type { PlantInstanceJson } from "./plantJson.ts";

/** The floor slab, [xMin, zMin, xMax, zMax] in metres. */
export type FloorRect = [number, number, number, number];

export function floorNode(scene: SceneMeshes, [fx0, fz0, fx1, fz1]: FloorRect): number {
  const { w, mesh } = scene;
  return w.addNode({
    name: "_floor",
    mesh: mesh("env.floor"),
    translation: [(fx0 + fx1) / 2, 0, (fz0 + fz1) / 2],
    scale: [fx1 - fx0, 1, fz1 - fz0],
  });
}

/** The "_areas" group, or undefined for a plant without areas. */
export function areaNodes(scene: SceneMeshes, plant: PlantInstanceJson): number | undefined {
  const { w, mesh } = scene;
  const zoneOf = new Map<string, number>();
  const areaNodes: number[] = [];
  for (const area of plant.areas) {
    const base = area.id.replace(/-k\d+$/, "");
    if (!zoneOf.has(base)) zoneOf.set(base, zoneOf.size % ZONE_MATS.length);
    const zone = ZONE_MATS[zoneOf.get(base)!]!;
    const [x0, z0, x1, z1] = area.bounds;
    const cx = (x0 + x1) / 2;
    const cz = (z0 + z1) / 2;
    const wx = Math.abs(x1 - x0);
    const wz = Math.abs(z1 - z0);
    const lw = 0.1;
    const kids = [
      w.addNode({
        name: `_area.${area.id}.zone`,
        mesh: mesh(`env.${zone}`),
        translation: [0, 0, 0],
        scale: [wx, 1, wz],
      }),
      w.addNode({
        name: `_area.${area.id}.line0`,
        mesh: mesh("env.line"),
        translation: [0, 0, -wz / 2 + lw / 2 + 0.05],
        scale: [wx - 0.1, 1, lw],
      }),
      w.addNode({
        name: `_area.${area.id}.line1`,
        mesh: mesh("env.line"),
        translation: [0, 0, wz / 2 - lw / 2 - 0.05],
        scale: [wx - 0.1, 1, lw],
      }),
      w.addNode({
        name: `_area.${area.id}.line2`,
        mesh: mesh("env.line"),
        translation: [-wx / 2 + lw / 2 + 0.05, 0, 0],
        scale: [lw, 1, wz - 0.1 - 2 * lw],
      }),
      w.addNode({
        name: `_area.${area.id}.line3`,
        mesh: mesh("env.line"),
        translation: [wx / 2 - lw / 2 - 0.05, 0, 0],
        scale: [lw, 1, wz - 0.1 - 2 * lw],
      }),
    ];
    areaNodes.push(
      w.addNode({
        name: `_area.${area.id}`,
        translation: [cx, 0, cz],
        children: kids,
        extras: { area: area.id, name: area.name },
      }),
    );
  }
  return areaNodes.length > 0 ? w.addNode({ name: "_areas", children: areaNodes }) : undefined;
}
