/** Valve with the body at 0.6 m, flow along local x, actuator on top. */
import type { Part } from "../materials.ts";
import { appendGeometry, at, box, emptyGeometry, sphere, tube } from "../primitives.ts";
import { tubeX } from "./machineShapes.ts";

export function valveParts(): Part[] {
  const red = emptyGeometry();
  appendGeometry(red, at(sphere(0.13, 16, 8), 0, 0.6, 0));
  appendGeometry(red, at(tubeX(0.085, 0.44, 16), 0, 0.6, 0));
  const steel = emptyGeometry();
  appendGeometry(steel, at(tubeX(0.13, 0.035, 20), 0.22, 0.6, 0));
  appendGeometry(steel, at(tubeX(0.13, 0.035, 20), -0.22, 0.6, 0));
  appendGeometry(steel, at(tube(0.03, 0.2, 10), 0, 0.8, 0)); // stem
  appendGeometry(steel, at(box(0.1, 0.06, 0.1), 0, 0.72, 0)); // yoke
  const yellow = emptyGeometry();
  appendGeometry(yellow, at(tube(0.17, 0.16, 24), 0, 0.97, 0)); // actuator
  appendGeometry(yellow, at(tube(0.12, 0.05, 20), 0, 1.075, 0));
  const dark = emptyGeometry();
  appendGeometry(dark, at(tube(0.03, 0.47, 8), 0, 0.235, 0)); // stand
  appendGeometry(dark, at(box(0.18, 0.02, 0.18), 0, 0.01, 0));
  appendGeometry(dark, at(tube(0.04, 0.03, 12), 0, 1.115, 0)); // position indicator
  return [
    ["red", red],
    ["steel", steel],
    ["safety", yellow],
    ["dark", dark],
  ];
}
