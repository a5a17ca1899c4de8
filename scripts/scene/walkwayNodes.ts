/** Walkways: a ring around the plant plus aisles in narrow gaps between neighbouring areas. */
import type { SceneMeshes } from "./SceneMeshes.ts";
import type { PlantInstanceJson } from "./plantJson.ts";

/** The "_walkways" group around bounds [xMin, zMin, xMax, zMax], or undefined if none fits. */
export function walkwayNodes(
  scene: SceneMeshes,
  plant: PlantInstanceJson,
  bbox: [number, number, number, number],
): number | undefined {
  const { w, mesh } = scene;
  const walk: number[] = [];
  const slab = (name: string, x0: number, z0: number, x1: number, z1: number): void => {
    if (x1 - x0 <= 0.05 || z1 - z0 <= 0.05) return;
    walk.push(
      w.addNode({
        name,
        mesh: mesh("env.walkway"),
        translation: [(x0 + x1) / 2, 0, (z0 + z1) / 2],
        scale: [x1 - x0, 1, z1 - z0],
      }),
    );
  };
  const r0 = 1;
  const r1 = 3;
  slab("_walkway.north", bbox[0] - r1, bbox[3] + r0, bbox[2] + r1, bbox[3] + r1);
  slab("_walkway.south", bbox[0] - r1, bbox[1] - r1, bbox[2] + r1, bbox[1] - r0);
  slab("_walkway.west", bbox[0] - r1, bbox[1] - r0, bbox[0] - r0, bbox[3] + r0);
  slab("_walkway.east", bbox[2] + r0, bbox[1] - r0, bbox[2] + r1, bbox[3] + r0);
  let aisle = 0;
  for (let i = 0; i < plant.areas.length; i++) {
    for (let j = 0; j < plant.areas.length; j++) {
      if (i === j) continue;
      const a = plant.areas[i]!.bounds;
      const b = plant.areas[j]!.bounds;
      // b east of a, overlapping in z.
      const gx = b[0] - a[2];
      const oz0 = Math.max(a[1], b[1]);
      const oz1 = Math.min(a[3], b[3]);
      if (gx >= 0.8 && gx <= 4 && oz1 - oz0 > 1) slab(`_walkway.aisle${aisle++}`, a[2], oz0, b[0], oz1);
      // b north of a, overlapping in x.
      const gz = b[1] - a[3];
      const ox0 = Math.max(a[0], b[0]);
      const ox1 = Math.min(a[2], b[2]);
      if (gz >= 0.8 && gz <= 4 && ox1 - ox0 > 1) slab(`_walkway.aisle${aisle++}`, ox0, a[3], ox1, b[1]);
    }
  }
  return walk.length > 0 ? w.addNode({ name: "_walkways", children: walk }) : undefined;
}
