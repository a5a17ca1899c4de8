/** Air-cooled chiller: long cabinet with two fans on top and water nozzles at +x. */
import type { Part } from "../materials.ts";
import { appendGeometry, at, box, boxFromTo, emptyGeometry, torus, tube } from "../primitives.ts";
import { tubeX } from "./machineShapes.ts";

export function chillerParts(): Part[] {
  const green = boxFromTo(-1.5, 0.1, -0.65, 1.5, 1.7, 0.65);
  const dark = emptyGeometry();
  appendGeometry(dark, boxFromTo(-1.55, 0, -0.7, 1.55, 0.1, 0.7));
  const steel = emptyGeometry();
  for (const x of [-0.75, 0.75]) {
    appendGeometry(dark, at(tube(0.55, 0.25, 32), x, 1.82, 0));
    appendGeometry(steel, at(torus(0.5, 0.02, 32, 4), x, 1.95, 0));
    appendGeometry(steel, at(box(1.0, 0.02, 0.04), x, 1.95, 0));
    appendGeometry(steel, at(box(0.04, 0.02, 1.0), x, 1.95, 0));
  }
  for (let i = 0; i < 8; i++) appendGeometry(dark, boxFromTo(-1.3 + i * 0.33, 0.3, 0.65, -1.1 + i * 0.33, 1.4, 0.67)); // coil grilles
  for (const z of [-0.3, 0.3]) {
    appendGeometry(steel, at(tubeX(0.07, 0.3, 16), 1.65, 1.3, z));
    appendGeometry(steel, at(tubeX(0.12, 0.03, 16), 1.8, 1.3, z));
  }
  return [
    ["green", green],
    ["dark", dark],
    ["steel", steel],
  ];
}
