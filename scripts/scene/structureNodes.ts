/** The building: columns along the floor edge, tied by eave beams. */
import type { SceneMeshes } from "./SceneMeshes.ts";
import type { FloorRect } from "./floorNodes.ts";
import { COLUMN_HEIGHT } from "./parts/building.ts";

/** The "_structure" group for a floor [xMin, zMin, xMax, zMax]. */
export function structureNodes(scene: SceneMeshes, [fx0, fz0, fx1, fz1]: FloorRect): number {
  const { w, mesh } = scene;
  const structure: number[] = [];
  const inset = 0.5;
  const cx0 = fx0 + inset;
  const cx1 = fx1 - inset;
  const cz0 = fz0 + inset;
  const cz1 = fz1 - inset;
  const nx = Math.max(1, Math.round((cx1 - cx0) / 12));
  const nz = Math.max(1, Math.round((cz1 - cz0) / 12));
  let col = 0;
  const column = (x: number, z: number): void => {
    structure.push(w.addNode({ name: `_column${col++}`, mesh: mesh("env.column"), translation: [x, 0, z] }));
  };
  for (let i = 0; i <= nx; i++) {
    const x = cx0 + ((cx1 - cx0) * i) / nx;
    column(x, cz0);
    column(x, cz1);
  }
  for (let j = 1; j < nz; j++) {
    const z = cz0 + ((cz1 - cz0) * j) / nz;
    column(cx0, z);
    column(cx1, z);
  }
  const beamY = COLUMN_HEIGHT - 0.2;
  const beam = (name: string, x0: number, z0: number, x1: number, z1: number): void => {
    structure.push(
      w.addNode({
        name,
        mesh: mesh("env.beam"),
        translation: [(x0 + x1) / 2, beamY, (z0 + z1) / 2],
        scale: [Math.max(0.3, x1 - x0 + 0.3), 0.4, Math.max(0.3, z1 - z0 + 0.3)],
      }),
    );
  };
  beam("_beam.south", cx0, cz0, cx1, cz0);
  beam("_beam.north", cx0, cz1, cx1, cz1);
  beam("_beam.west", cx0, cz0, cx0, cz1);
  beam("_beam.east", cx1, cz0, cx1, cz1);
  return w.addNode({ name: "_structure", children: structure });
}
