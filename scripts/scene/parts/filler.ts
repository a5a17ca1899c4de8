/** Rotary filler: octagonal base, carousel with filling valves, product bowl, guard frame. */
import type { Part } from "../materials.ts";
import { appendGeometry, at, box, cylinder, dome, emptyGeometry, torus, tube, tubeBetween } from "../primitives.ts";
import { guardFrame } from "./machineShapes.ts";

export function fillerParts(): Part[] {
  const white = at(cylinder({ radiusTop: 1.35, radiusBottom: 1.35, height: 0.85, segments: 8 }), 0, 0.425, 0);
  const steel = emptyGeometry();
  appendGeometry(steel, at(tube(1.15, 0.08, 40), 0, 0.89, 0)); // carousel table
  appendGeometry(steel, at(tube(0.18, 1.5, 16), 0, 1.65, 0)); // centre column
  appendGeometry(steel, at(torus(1.0, 0.035, 40, 6), 0, 1.42, 0));
  appendGeometry(steel, at(tube(0.7, 0.35, 32), 0, 2.4, 0)); // product bowl
  appendGeometry(steel, at(dome(0.7, 0.16, 32, 4), 0, 2.575, 0));
  const valves = 20;
  for (let i = 0; i < valves; i++) {
    const a = (i / valves) * Math.PI * 2;
    const c = Math.cos(a);
    const s = Math.sin(a);
    appendGeometry(steel, at(tube(0.05, 0.4, 8), c * 1.0, 1.13, s * 1.0));
    appendGeometry(steel, tubeBetween([c * 0.68, 2.25, s * 0.68], [c * 1.0, 1.33, s * 1.0], 0.015, 6, false));
  }
  appendGeometry(steel, at(tube(0.36, 0.05, 20), 1.35, 0.9, -1.0)); // infeed star wheel
  const dark = guardFrame(1.6, 1.6, 2.4);
  appendGeometry(dark, at(tube(0.04, 1.2, 8), 1.85, 0.6, 1.2)); // HMI stand
  const blue = at(box(0.08, 0.4, 0.5), 1.85, 1.35, 1.2);
  return [
    ["white", white],
    ["steel", steel],
    ["dark", dark],
    ["blue", blue],
  ];
}
