/** End-suction pump with the casing on the origin, flow along local z at 0.6 m, motor along -x. */
import type { Part } from "../materials.ts";
import { appendGeometry, at, box, emptyGeometry } from "../primitives.ts";
import { tubeX, tubeZ } from "./machineShapes.ts";

export function pumpParts(): Part[] {
  const shaftY = 0.5;
  const blue = emptyGeometry();
  appendGeometry(blue, at(tubeX(0.17, 0.5, 24), -0.5, shaftY, 0)); // motor
  appendGeometry(blue, at(tubeX(0.15, 0.1, 24), -0.8, shaftY, 0)); // fan cowl
  appendGeometry(blue, at(box(0.16, 0.12, 0.16), -0.5, shaftY + 0.22, 0)); // terminal box
  appendGeometry(blue, at(box(0.4, 0.08, 0.3), -0.5, 0.12, 0)); // motor foot
  appendGeometry(blue, at(box(0.12, 0.25, 0.04), -0.5, 0.25, 0.1));
  appendGeometry(blue, at(box(0.12, 0.25, 0.04), -0.5, 0.25, -0.1));
  const steel = emptyGeometry();
  appendGeometry(steel, at(tubeX(0.25, 0.16, 28), 0, shaftY, 0)); // volute
  appendGeometry(steel, at(tubeX(0.18, 0.1, 24), -0.12, shaftY, 0)); // back plate
  appendGeometry(steel, at(tubeZ(0.08, 0.9, 16), 0, 0.6, 0)); // suction/discharge
  appendGeometry(steel, at(tubeZ(0.13, 0.035, 20), 0, 0.6, 0.43));
  appendGeometry(steel, at(tubeZ(0.13, 0.035, 20), 0, 0.6, -0.43));
  const yellow = at(box(0.14, 0.22, 0.2), -0.2, shaftY, 0); // coupling guard
  const dark = emptyGeometry();
  appendGeometry(dark, at(box(1.15, 0.08, 0.5), -0.3, 0.04, 0)); // base plate
  appendGeometry(dark, at(box(0.18, 0.2, 0.3), 0, 0.18, 0)); // casing pedestal
  return [
    ["blue", blue],
    ["steel", steel],
    ["safety", yellow],
    ["dark", dark],
  ];
}
