/** Plate heat exchanger, product flow along local z (nozzles at ±1.2 m, 0.6 m high). */
import type { Part } from "../materials.ts";
import { appendGeometry, at, box, boxFromTo, emptyGeometry } from "../primitives.ts";
import { tubeZ } from "./machineShapes.ts";

export function heatExchangerParts(): Part[] {
  const blue = emptyGeometry();
  appendGeometry(blue, boxFromTo(-0.38, 0.05, 0.72, 0.38, 1.95, 0.86)); // fixed frame plate
  appendGeometry(blue, boxFromTo(-0.36, 0.12, -0.3, 0.36, 1.88, -0.18)); // pressure plate
  appendGeometry(blue, boxFromTo(-0.12, 0.05, -0.95, 0.12, 1.95, -0.85)); // support column
  const steel = emptyGeometry();
  const plates = 18;
  const z0 = -0.16;
  const z1 = 0.7;
  const pitch = (z1 - z0) / plates;
  for (let i = 0; i < plates; i++) {
    const z = z0 + pitch * (i + 0.5);
    appendGeometry(steel, at(box(0.62, 1.5, pitch * 0.7), 0, 1.0, z));
  }
  appendGeometry(steel, boxFromTo(-0.05, 1.86, -0.9, 0.05, 1.95, 0.8)); // top guide bar
  appendGeometry(steel, boxFromTo(-0.05, 0.14, -0.9, 0.05, 0.22, 0.8)); // bottom guide bar
  for (const [x, y] of [
    [0.22, 0.28],
    [0.22, 1.7],
    [-0.22, 0.28],
    [-0.22, 1.7],
  ] as const) {
    appendGeometry(steel, at(tubeZ(0.022, 1.3, 8), x, y, 0.2)); // tie bolts
  }
  appendGeometry(steel, at(tubeZ(0.075, 0.36, 16), 0, 0.6, 1.03)); // product in/out
  appendGeometry(steel, at(tubeZ(0.075, 0.9, 16), 0, 0.6, -0.75));
  appendGeometry(steel, at(tubeZ(0.06, 0.3, 16), 0.2, 1.6, 1.0)); // medium nozzles
  appendGeometry(steel, at(tubeZ(0.06, 0.3, 16), -0.2, 1.6, 1.0));
  const dark = emptyGeometry();
  appendGeometry(dark, boxFromTo(-0.45, 0, 0.65, 0.45, 0.05, 0.95));
  appendGeometry(dark, boxFromTo(-0.25, 0, -1.0, 0.25, 0.05, -0.8));
  return [
    ["blue", blue],
    ["steel", steel],
    ["dark", dark],
  ];
}
